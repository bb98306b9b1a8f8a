#!/usr/bin/python3
"""The fast Gaussian path of diffbound written naively in numpy (issue 12's comparison).

Reads nothing: it computes the case bench/cases/fast-d1e4-T1000.toml (geometric spectrum with
d = 10^4, kappa = 1000, mean 0.3; etc schedule, T = 1000; DDPM with the theory variance, exact score,
Y_T ~ N(0, I), t_out = 1) in double, vectorized over the eigen-directions with one Python loop over the
steps, and prints KL(Q_1 || P_1), KL(Q_0 || gamma), E_T, D_T and B_T (0: the score is exact) with 17
digits, in the order `diffbound kl` prints them. The recursion is the one of
numerics/detail/gaussian_path_fast_impl.hpp (docs/math.md#gaussian-path): the deviations dm, dS of the
sampler's law from the target's marginal, and D_T as the sum over steps of (u - log1p u)/2 with
u = -l*_t / sigma_t^2. Per step u - log1p(u) is taken naively (|u| >= 2.8e-5 here, so it keeps ~11
digits); the final KL uses the series near 0, where the naive difference would lose all digits.

Usage: /usr/bin/python3 bench/numpy_fast_path.py [--dim D] [--steps T]
"""
import argparse
import math

import numpy as np


def u_minus_log1p(u):
    """u - log1p(u) without cancellation: the series u^2 sum_k (-u)^k/(k+2) for |u| < 0.1."""
    series = np.zeros_like(u)
    for k in range(16, -1, -1):  # Horner: 17 terms are exact to double for |u| < 0.1
        series = series * (-u) + 1.0 / (k + 2)
    small = np.abs(u) < 0.1
    return np.where(small, u * u * series, u - np.log1p(np.where(small, 0.0, u)))


def phi_of_ratio(r, u):
    """r - 1 - ln r from r and u = r - 1 (numerics/divergence.hpp)."""
    return np.where(np.abs(u) < 0.5, u_minus_log1p(u), u - np.log(r))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dim", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=1000)
    args = ap.parse_args()
    d, T, t_out = args.dim, args.steps, 1
    kappa, mean, c, delta = 1000.0, 0.3, 4.0, 0.001

    # etc schedule (numerics/schedule.cpp)
    rate = c * math.log(T) / T
    beta = np.zeros(T + 1)
    beta[1] = delta
    t = np.arange(2, T + 1, dtype=float)
    beta[2:] = rate * np.minimum(delta * (1.0 + rate) ** t, 1.0)
    alpha = 1.0 - beta
    log_ab = np.concatenate(([0.0], np.cumsum(np.log1p(-beta[1:]))))
    ab, omab = np.exp(log_ab), -np.expm1(log_ab)

    # geometric spectrum lambda_i = kappa^(-i/(d-1))
    lam = kappa ** (-np.arange(d, dtype=float) / (d - 1)) if d > 1 else np.ones(1)
    m = np.full(d, mean)

    kl_q0 = 0.5 * np.sum(phi_of_ratio(lam, lam - 1.0) + m * m)
    E_T = 0.5 * np.sum(phi_of_ratio(ab[T] * lam + omab[T], ab[T] * (lam - 1.0)) + ab[T] * m * m)

    dm = -math.sqrt(ab[T]) * m
    dS = ab[T] * (1.0 - lam)
    sigma = ab[T] * lam + omab[T]
    D = np.zeros(d)
    for t in range(T, t_out, -1):
        sigma_prev = ab[t - 1] * lam + omab[t - 1]
        P = 1.0 / sigma
        a = sigma_prev * P * math.sqrt(alpha[t])
        l = P * (beta[t] ** 2 / alpha[t])  # beta^2/alpha P
        dm *= a
        dS = a * a * dS + l
        u = -l / (beta[t] / alpha[t])
        D += u - np.log1p(u)
        sigma = sigma_prev
    b = sigma + dS
    kl = 0.5 * np.sum(phi_of_ratio(sigma / b, -dS / b) + dm * dm / b)
    D_T = 0.5 * np.sum(D)

    for name, v in (("KL", kl), ("KL_Q0_gamma", kl_q0), ("E_T", E_T), ("D_T", D_T), ("B_T", 0.0)):
        print(f"{name} {v:.17g}")


if __name__ == "__main__":
    main()
