#pragma once
// Dense path of the Gaussian engine: full d x d matrices, for covariances and scores that do not
// share an eigenbasis. Same deviation recursion as the fast path (detail/sampler_step.hpp).

#include "numerics/cancellation.hpp"
#include "numerics/detail/dense_w2.hpp"
#include "numerics/detail/gaussian_path_fast_impl.hpp"
#include "numerics/matrix_functions.hpp"

#include <Eigen/Eigenvalues>

namespace diffbound {

template <class Real>
GaussianPathResult<Real> gaussian_path_dense(const CaseSpec& spec, GaussianPathOptions options) {
  using std::sqrt; using detail::step_coefficients;
  detail::validate_case_common(spec);
  const SamplerSpec& sampler = spec.sampler;
  const ScoreSpec& score = spec.score;
  const auto sch = make_schedule<Real>(spec.schedule);
  const long T = sch.steps, t_out = sampler.t_out, d = spec.target.gaussian.dim;
  using M = Matrix<Real>;
  using V = Vector<Real>;
  const M Id = M::Identity(d, d);
  // zero-shot: the case's target is the prior; the sampler is compared with the posterior
  std::optional<detail::ZeroShotDense<Real>> zero_shot;
  if (spec.problem) zero_shot.emplace(spec);
  const bool ddnm_plus = sampler.kind == SamplerKind::ddnm_plus;
  const bool conditional_score = zero_shot && !ddnm_plus && score.kind != ScoreKind::exact_conditional;
  const M Sigma = zero_shot ? zero_shot->post_cov : covariance_matrix<Real>(spec.target.gaussian, "target");
  const V mean = zero_shot ? zero_shot->post_mean : mean_vector<Real>(spec.target.gaussian);
  const bool mismatched = score.kind == ScoreKind::mismatched;
  const bool scaled_error = score.kind == ScoreKind::perturbed && score.perturbation == Perturbation::scale;
  const bool constant_error = score.kind == ScoreKind::perturbed && score.perturbation == Perturbation::constant;
  M Sigma_train, Sigma_gap;
  V mean_gap;
  if (mismatched) {
    Sigma_train = covariance_matrix<Real>(spec.score.train->gaussian, "score.train");
    Sigma_gap = Sigma - Sigma_train;
    mean_gap = mean - mean_vector<Real>(spec.score.train->gaussian);
  }
  V error = V::Zero(d);
  if (constant_error) {
    auto e = perturbation_vector<Real>(score, d);
    for (long i = 0; i < d; ++i) error(i) = e[i];
  }
  const Real eps = from_decimal<Real>(score.epsilon);
  const bool ddpm = sampler.kind == SamplerKind::ddpm;
  const bool want_decomposition = ddpm && options.decomposition;  // (not ddnm-plus: not a score sampler)
  const bool accelerated = sampler.kind == SamplerKind::accelerated;

  GaussianPathResult<Real> r;
  r.path = "dense";
  r.directions = d;
  r.alpha_bar_T = sch.alpha_bar[T];
  r.has_decomposition = want_decomposition;
  const Real mean2 = mean.squaredNorm();
  r.m2 = Sigma.trace() + mean2;
  // sigma_y = 0: the posterior is singular along the range of H^T, KL(Q_0 || gamma) = +inf
  r.kl_q0_gamma = zero_shot && zero_shot->sigma_y2 == 0 ? positive_infinity<Real>()
                                                        : Real((trace_u_minus_log1p<Real>(M(Sigma - Id)) + mean2) / 2);
  r.E_T = (trace_u_minus_log1p<Real>(M((Sigma - Id) * sch.alpha_bar[T])) + sch.alpha_bar[T] * mean2) / 2;
  {
    // The spectrum's extremes only feed reported conditioning and rate-claim constants: estimated
    // in double, not part of any enclosure.
    Eigen::MatrixXd Sd(d, d);
    for (long i = 0; i < d; ++i)
      for (long j = 0; j < d; ++j) Sd(i, j) = mid_double(Real(Sigma(i, j)));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(Sd, Eigen::EigenvaluesOnly);
    r.lambda_min = Real(eig.eigenvalues().minCoeff());
    r.lambda_max = Real(eig.eigenvalues().maxCoeff());
  }

  auto marginal = [&](long t) { return M(Sigma * sch.alpha_bar[t] + Id * sch.one_minus_alpha_bar[t]); };
  V dm = V::Zero(d);
  M dS = M::Zero(d, d);
  if (sampler.init == Init::gaussian) {
    dm = -sqrt(sch.alpha_bar[T]) * mean;
    dS = (Id - Sigma) * sch.alpha_bar[T];
  }
  Real D(0), B(0);
  bool d_infinite = false, b_infinite = false;
  // D_T depends only on the spectrum of Sigma (every term is a function of Sigma): for point types
  // take the eigenvalues once and sum scalar terms; intervals keep the eigenvalue-free matrix series.
  std::vector<Real> spectrum;
  if constexpr (!is_interval_v<Real>) {
    if (want_decomposition) {
      Vector<Real> lambda;
      if constexpr (std::is_same_v<Real, mpfr_real>) lambda = detail::symmetric_eigenvalues_mpfr(Sigma);
      else lambda = Eigen::SelfAdjointEigenSolver<M>(Sigma, Eigen::EigenvaluesOnly).eigenvalues();
      for (Eigen::Index i = 0; i < d; ++i) spectrum.push_back(lambda(i));
    }
  }
  M sigma_t = marginal(T);
  for (long t = T; t > t_out; --t) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per step
    const auto s = step_coefficients(sch, sampler, t);
    const M sigma_prev = marginal(t - 1);
    const M P = spd_inverse<Real>(sigma_t);
    if (ddnm_plus) {
      // its own affine update: deviations advanced directly,
      // dS_{t-1} = A dS A^T + (A Sigma_t A^T + N - Sigma_{t-1}), dm_{t-1} = A dm + (A mu_t + b - mu_{t-1})
      const auto st = zero_shot->ddnm_plus_step(sch, t);
      const V shift = st.A * mean * sqrt(sch.alpha_bar[t]) + st.b - mean * sqrt(sch.alpha_bar[t - 1]);
      dm = (st.A * dm + shift).eval();
      dS = symmetrized<Real>(M(st.A * dS * st.A.transpose() + st.A * sigma_t * st.A.transpose() + st.N - sigma_prev));
      sigma_t = sigma_prev;
      continue;
    }
    // A* for ddpm/accelerated/pf-euler as (I - c' P)/sqrt(alpha) saves a matrix product per step
    // (the fast path keeps the cancellation-free scalar form sqrt(alpha) Sigma_{t-1} / Sigma_t)
    M a_star;
    switch (sampler.kind) {
      case SamplerKind::ddpm:
      case SamplerKind::ddnm_plus:
      case SamplerKind::accelerated: a_star = (Id - P * s.beta) / s.sqrt_alpha; break;
      case SamplerKind::pf_euler: a_star = (Id - P * (s.beta / 2)) / s.sqrt_alpha; break;
      case SamplerKind::ddim:
        a_star = symmetrized<Real>(detail::exact_map<M>(s, sampler.kind, Sigma, sigma_t, sigma_prev, P, Id));
        break;
      default: throw std::logic_error("continuous-time sampler in the discrete engine");
    }
    const M l_star = symmetrized<Real>(detail::exact_local_error<M>(s, sampler, Sigma, P, Id));
    M dK = M::Zero(d, d);
    V ds = V::Zero(d);
    if (conditional_score) {
      zero_shot->score_error(sch, t, score.kind, P, dK, ds);
    } else if (mismatched) {
      const M P_train = spd_inverse<Real>(M(Sigma_train * sch.alpha_bar[t] + Id * sch.one_minus_alpha_bar[t]));
      dK = symmetrized<Real>(M(P_train * Sigma_gap * P * sch.alpha_bar[t]));  // = P' - P
      ds = -(P_train * mean_gap) * sqrt(sch.alpha_bar[t]);
    } else if (scaled_error) {
      dK = P * eps;
    } else if (constant_error) {
      ds = error;
    }
    M A = a_star - dK * s.gain;
    M l = l_star;
    if (!mismatched && !scaled_error && !conditional_score) {
      // exact or constant error: A = A*, no correction
    } else {
      // A Sigma_t A^T - A* Sigma_t A*^T with A = A* - c dK (A* symmetric; dK need not be: zero-shot)
      const M G = dK * sigma_t * a_star;
      l += (dK * sigma_t * dK.transpose()) * (s.gain * s.gain) - (G + G.transpose()) * s.gain;
      if (accelerated) {
        const M m_star = Id - P * (s.beta / 2);
        const M H = dK * m_star;
        l += ((dK * dK.transpose()) * (s.beta * s.beta / 4) - (H + H.transpose()) * (s.beta / 2)) * s.noise;
      }
    }
    dm = (A * dm + ds * s.gain).eval();
    dS = symmetrized<Real>(M(A * dS * A.transpose() + l));
    if (want_decomposition) {
      const Real err2 = (dK * sigma_t * dK.transpose()).trace() + ds.squaredNorm();
      if (certainly_positive(s.noise)) {
        if constexpr (is_interval_v<Real>) {
          D += trace_u_minus_log1p<Real>(M(l_star * (Real(-1) / s.noise))) / 2;
        } else {
          const Real one(1);
          for (const Real& lam : spectrum) {
            const Real P1 = one / (sch.alpha_bar[t] * lam + sch.one_minus_alpha_bar[t]);
            D += u_minus_log1p(Real(-detail::exact_local_error(s, sampler, lam, P1, one) / s.noise)) / 2;
          }
        }
        B += s.beta * s.beta / (2 * s.alpha * s.noise) * err2;
      } else {
        d_infinite = true;
        if (!(err2 == 0)) b_infinite = true;
      }
    }
    sigma_t = sigma_prev;
  }
  // KL(N(mu, Sigma_out) || N(mu + dm, Sigma_out + dS)) = 1/2 [sum (u - log1p u) + dm^T B^-1 dm] with
  // u the eigenvalues of -L^-1 dS L^-T, B = L L^T.
  const M Bmat = sigma_t + dS;
  const Cholesky<Real> llt(Bmat, "the sampler's output covariance");
  const M Y = llt.lower_solve(dS);
  const M U = symmetrized<Real>(M(-(llt.lower_solve(M(Y.transpose())))));
  const V z = llt.lower_solve(dm);
  r.kl = max_of(Real((trace_u_minus_log1p<Real>(U) + z.squaredNorm()) / 2), Real(0));
  // Hellinger: ln BC = -1/4 log det(I + W) - 1/8 dm^T (Sigma + dS/2)^-1 dm, W = V (I + V)^-1 V / 4,
  // V = La^-1 dS La^-T with Sigma_out = La La^T.
  const Cholesky<Real> llt_a(sigma_t, "the target's covariance at t_out");
  const M Ya = llt_a.lower_solve(dS);
  const M Vm = symmetrized<Real>(M(llt_a.lower_solve(M(Ya.transpose()))));
  const M W = symmetrized<Real>(M(Vm * spd_inverse<Real>(M(Id + Vm)) * Vm / 4));
  const Cholesky<Real> llt_mid(M(sigma_t + dS / 2), "the mean of the two output covariances");
  const V zm = llt_mid.lower_solve(dm);
  const Real log_bc = -log_det_identity_plus<Real>(W) / 4 - zm.squaredNorm() / 8;
  auto tv = tv_enclosure(log_bc, r.kl);
  r.hellinger2 = tv.hellinger2;
  r.tv_lo = tv.lo;
  r.tv_hi = tv.hi;
  r.D_T = d_infinite ? positive_infinity<Real>() : D;
  r.B_T = b_infinite ? positive_infinity<Real>() : B;
  // W2 by matrix square roots at escalating MPFR precision (docs/math.md#w2-dense): an estimate, so
  // the certified type reports it labelled estimated
  if (options.w2) {
    unsigned working = 17;
    if constexpr (std::is_same_v<Real, mpfr_real>) working = mpfr_real::thread_default_precision();
    if constexpr (is_interval_v<Real>) working = interval_real::thread_default_precision();
    const detail::DenseW2 w = detail::dense_w2_squared<Real>(sigma_t, dS, dm, working);
    r.has_w2 = true;
    if constexpr (std::is_same_v<Real, double>) {
      r.w2 = static_cast<double>(sqrt(w.value));
    } else if constexpr (std::is_same_v<Real, mpfr_real>) {
      r.w2 = detail::to_current_mpfr(mpfr_real(sqrt(w.value)));
    } else {
      // [v - e, v + e] widened by the rounding to the working precision; mpfi_interv_fr rounds
      // outward to the working precision of sq
      // The interval inputs' own widths enter to first order: d W2^2 / d dm = 2 dm, and the gradient in
      // A or B is I - (the optimal map) or its mirror, of spectral norm <= 1 + sqrt(lambda_max(B) /
      // lambda_min(A)), so |<G, delta>| <= sqrt(d) (1 + sqrt(tr B / lambda_min(A))) |delta|_F.
      // (radii formed in MPFR: their double ends would be an ulp apart, far wider than the interval)
      auto radius = [](const Real& x) { return static_cast<double>(mpfr_real(upper_of(x) - lower_of(x))) / 2; };
      double rad_A = 0, rad_dS = 0, rad_dm = 0, dm_norm = 0, tr_B = 0;
      Eigen::MatrixXd A_mid(d, d);
      for (long i = 0; i < d; ++i) {
        const double rm = radius(dm(i));
        rad_dm += rm * rm;
        dm_norm += mid_double(Real(dm(i))) * mid_double(Real(dm(i)));
        tr_B += mid_double(Real(sigma_t(i, i) + dS(i, i)));
        for (long j = 0; j < d; ++j) {
          const double ra = radius(sigma_t(i, j));
          const double rs = radius(dS(i, j));
          rad_A += ra * ra;
          rad_dS += rs * rs;
          A_mid(i, j) = mid_double(Real(sigma_t(i, j)));
        }
      }
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig_mid(A_mid, Eigen::EigenvaluesOnly);
      const double lam_min = std::max(eig_mid.eigenvalues().minCoeff(), 1e-300);
      const double input_slack = std::sqrt(double(d)) * (1 + std::sqrt(tr_B / lam_min)) * (std::sqrt(rad_A) + std::sqrt(rad_dS)) +
                                 2 * std::sqrt(dm_norm * rad_dm) + rad_dm;
      interval_real sq;
      mpfr_real lo2, hi2;
      {
        PrecisionScope scope(w.digits);
        const mpfr_real slack = w.error + pow(mpfr_real(10), -static_cast<int>(working)) * w.value +
                                2 * mpfr_real(input_slack);
        lo2 = max_of(mpfr_real(w.value - slack), mpfr_real(0));
        hi2 = w.value + slack;
      }
      mpfi_interv_fr(sq.backend().data(), lo2.backend().data(), hi2.backend().data());
      r.w2 = sqrt(sq);
      r.w2_estimated = true;
    }
  }
  {
    // relative Fisher information against N(0, I) (docs/math.md#fisher-rel): tr S + |m|^2 - 2 d + tr S^-1
    if (zero_shot && zero_shot->sigma_y2 == 0) {
      r.fisher_rel = positive_infinity<Real>();
    } else {
      // as tr((S - I) S^-1 (S - I)) + |m|^2 = |L^-1 (S - I)|_F^2 + |m|^2, S = L L^T: no cancellation near S = I
      const Cholesky<Real> llt_s(Sigma, "the target's covariance");
      r.fisher_rel = llt_s.lower_solve(M(Sigma - Id)).squaredNorm() + mean2;
    }
    r.has_fisher_rel = true;
  }
  return r;
}

}  // namespace diffbound
