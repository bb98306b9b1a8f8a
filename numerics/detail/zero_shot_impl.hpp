#pragma once
// Zero-shot conditional sampling on a Gaussian prior (docs/math.md#zero-shot), in a number type: the posterior
// Q_{0|y}, and for every step the sampler's deviation from the exact conditional sampler.
//
// DDNM and BO-DDNM use s_t(x) = (I - P) s'_t(x) + H^+(sqrt(ab_t) y - H x)/c_t with P = H^+ H,
// s'_t the prior's score and c_t = 1 - ab_t + ab_t sigma_y^2 (BO-DDNM) or 1 - ab_t (DDNM): an affine
// score -K_t x + k_t, K_t = (I - P) Sigma'_t^-1 + P / c_t, k_t = sqrt(ab_t) [(I - P) Sigma'_t^-1 mu + H^+ y / c_t].
// Coordinate-wise H with a diagonal prior: on an observed coordinate (entry h) the score is exactly the
// marginal score of N(y/h, c_t-law) = N(y/h, sigma_y^2) (BO-DDNM) or of the point mass at y/h (DDNM); on
// an unobserved one it is the prior's score, and there the posterior is the prior. So each coordinate
// is the "mismatched training law" recursion of the fast path.

#include "numerics/gaussian_target.hpp"
#include "numerics/matrix_functions.hpp"
#include "numerics/schedule.hpp"
#include "numerics/zero_shot.hpp"

namespace diffbound::detail {

// One coordinate of a coordinate-wise problem: the posterior N(mean, variance) and the Gaussian law
// N(train_mean, train_variance) whose marginal score the sampler uses there.
template <class Real> struct ZeroShotCoordinate {
  Real variance, mean, train_variance, train_mean;
  // the prior and the measurement of this coordinate (DDNM+ works from them directly)
  Real prior_variance, prior_mean;
  bool observed = false;
  Real h = Real(0), y = Real(0);
  std::string key;  // equal keys: equal coordinates
};

template <class Real>
std::vector<ZeroShotCoordinate<Real>> zero_shot_coordinates(const CaseSpec& spec, const ResolvedProblem& pr) {
  const auto prior = diagonal_entries<Real>(spec.target.gaussian, "target");
  const long d = spec.target.gaussian.dim;
  const Real sy = from_decimal<Real>(pr.sigma_y), sy2 = sy * sy;
  std::vector<long> row_of(static_cast<std::size_t>(d), -1);
  for (std::size_t j = 0; j < pr.column_of_row.size(); ++j) row_of[static_cast<std::size_t>(pr.column_of_row[j])] = static_cast<long>(j);
  std::vector<ZeroShotCoordinate<Real>> out(static_cast<std::size_t>(d));
  for (long i = 0; i < d; ++i) {
    auto& c = out[static_cast<std::size_t>(i)];
    const auto& p = prior[static_cast<std::size_t>(i)];
    const long j = row_of[static_cast<std::size_t>(i)];
    c.prior_variance = p.variance;
    c.prior_mean = p.mean;
    if (j < 0) {  // unobserved: posterior = prior, score = prior score
      c.variance = c.train_variance = p.variance;
      c.mean = c.train_mean = p.mean;
      c.key = p.key;
      continue;
    }
    const Real h = from_decimal<Real>(pr.entry_of_row[static_cast<std::size_t>(j)]);
    const Real y = from_decimal<Real>(pr.y[static_cast<std::size_t>(j)]);
    c.observed = true;
    c.h = h;
    c.y = y;
    const Real denom = h * h * p.variance + sy2;
    // sigma_y = 0: variance 0, mean y/h (the gain form below would divide 0 by 0 only if h = 0)
    c.variance = p.variance * sy2 / denom;
    c.mean = p.mean + p.variance * h * (y - h * p.mean) / denom;
    switch (spec.score.kind) {
      case ScoreKind::bo_ddnm: c.train_variance = sy2; c.train_mean = y / h; break;
      case ScoreKind::ddnm: c.train_variance = Real(0); c.train_mean = y / h; break;
      default: c.train_variance = c.variance; c.train_mean = c.mean; break;  // exact-conditional
    }
    c.key = p.key + "#" + pr.entry_of_row[static_cast<std::size_t>(j)] + "#" + pr.y[static_cast<std::size_t>(j)];
  }
  return out;
}

// DDNM+ on one coordinate (the scalar form of ZeroShotDense::ddnm_plus_step below, same step):
// Y_{t-1} = A Y_t + b + N(0, n).
template <class Real> struct ScalarStep { Real A, b, n; };
template <class Real>
ScalarStep<Real> ddnm_plus_scalar_step(const Schedule<Real>& sch, long t, const ZeroShotCoordinate<Real>& c, const Real& sigma_y2) {
  using std::sqrt; using std::abs;
  const Real ab = sch.alpha_bar[t];
  const Real c1 = sqrt(sch.alpha_bar[t - 1]) * sch.beta[t] / sch.one_minus_alpha_bar[t];
  const Real c2 = sqrt(sch.alpha[t]) * sch.one_minus_alpha_bar[t - 1] / sch.one_minus_alpha_bar[t];
  const Real var = sch.beta[t] * sch.one_minus_alpha_bar[t - 1] / sch.one_minus_alpha_bar[t];
  Real l(0), n = var, pull(0);
  if (c.observed) {
    const Real se = sqrt(sigma_y2) / abs(c.h);
    l = sigma_y2 == 0 ? Real(1) : min_of(Real(1), Real(sqrt(var) / (c1 * se)));
    n = max_of(Real(var - c1 * c1 * se * se * l * l), Real(0));
    pull = l * c.y / c.h;
  }
  const Real sp = ab * c.prior_variance + sch.one_minus_alpha_bar[t];
  const Real one(1);
  ScalarStep<Real> st;
  st.A = c1 * (one - l) * sqrt(ab) * c.prior_variance / sp + c2;
  st.b = c1 * ((one - l) * sch.one_minus_alpha_bar[t] * c.prior_mean / sp + pull);
  st.n = n;
  return st;
}

// The dense form: posterior moments, H^+, P = H^+ H and the prior, with the per-step score error and
// the DDNM+ step.
template <class Real> struct ZeroShotDense {
  using M = Matrix<Real>;
  using V = Vector<Real>;
  ResolvedProblem problem;
  M H, H_plus, P, prior_cov, post_cov, Id;
  V y, prior_mean, post_mean, H_plus_y;
  Real sigma_y2;
  // DDNM+: H^T H = W diag(e) W^T, the last `rank` eigenvalues positive
  M W;
  V e, Ht_y;

  explicit ZeroShotDense(const CaseSpec& spec) : problem(resolve_problem(spec)) {
    const long d = problem.d, p = problem.p;
    Id = M::Identity(d, d);
    prior_cov = covariance_matrix<Real>(spec.target.gaussian, "target");
    prior_mean = mean_vector<Real>(spec.target.gaussian);
    H = M::Zero(p, d);
    if (problem.coordinatewise) {
      for (long j = 0; j < p; ++j)
        H(j, problem.column_of_row[static_cast<std::size_t>(j)]) = from_decimal<Real>(problem.entry_of_row[static_cast<std::size_t>(j)]);
    } else {
      for (long j = 0; j < p; ++j)
        for (long i = 0; i < d; ++i) H(j, i) = from_decimal<Real>(problem.H[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)]);
    }
    y.resize(p);
    for (long j = 0; j < p; ++j) y(j) = from_decimal<Real>(problem.y[static_cast<std::size_t>(j)]);
    const Real sy = from_decimal<Real>(problem.sigma_y);
    sigma_y2 = sy * sy;
    // full rank (checked by resolve_problem): H^+ = H^T (H H^T)^-1 (p <= d) or (H^T H)^-1 H^T (p > d)
    if (p <= d) H_plus = H.transpose() * spd_inverse<Real>(M(H * H.transpose()));
    else H_plus = spd_inverse<Real>(M(H.transpose() * H)) * H.transpose();
    P = symmetrized<Real>(M(H_plus * H));
    H_plus_y = H_plus * y;
    // posterior: gain K = Sigma H^T (H Sigma H^T + sigma_y^2 I)^-1, mean mu + K (y - H mu), covariance in
    // Joseph form (I - K H) Sigma (I - K H)^T + sigma_y^2 K K^T: symmetric positive semi-definite
    // by construction, no subtraction of nearly equal matrices
    const M S = M(H * prior_cov * H.transpose()) + M::Identity(p, p) * sigma_y2;
    const M K = [&] {
      try {
        return M(Cholesky<Real>(S, "H Sigma H^T + sigma_y^2 I").solve(M(H * prior_cov)).transpose());
      } catch (const PrecisionLoss&) {
        throw;
      } catch (const std::runtime_error&) {
        throw InputError("problem.H", "(H Sigma H^T singular)", "with sigma_y = 0, H Sigma H^T must be invertible");
      }
    }();
    post_mean = prior_mean + K * (y - H * prior_mean);
    const M IKH = Id - K * H;
    post_cov = symmetrized<Real>(M(IKH * prior_cov * IKH.transpose() + K * K.transpose() * sigma_y2));
    Ht_y = H.transpose() * y;
  }

  Real c_t(const Schedule<Real>& sch, long t, ScoreKind kind) const {
    return kind == ScoreKind::bo_ddnm ? Real(sch.one_minus_alpha_bar[t] + sch.alpha_bar[t] * sigma_y2) : sch.one_minus_alpha_bar[t];
  }

  // s_t = s*_t - dK (x - mu_t) + ds with s*_t the exact conditional score (precision P_post of the
  // posterior marginal, mean mu_t = sqrt(ab_t) m_y): dK = K_t - P_post, ds = s_t(mu_t).
  void score_error(const Schedule<Real>& sch, long t, ScoreKind kind, const M& P_post, M& dK, V& ds) const {
    using std::sqrt;
    const Real sab = sqrt(sch.alpha_bar[t]);
    const M P_prior = spd_inverse<Real>(M(prior_cov * sch.alpha_bar[t] + Id * sch.one_minus_alpha_bar[t]));
    const Real c = c_t(sch, t, kind);
    const M null_part = (Id - P) * P_prior;
    const M K = null_part + P / c;
    dK = K - P_post;
    // k_t - K_t mu_t = sqrt(ab_t) [(I - P) Sigma'^-1 (mu - m_y) + (H^+ y - P m_y) / c]
    ds = (null_part * (prior_mean - post_mean) + (H_plus_y - P * post_mean) / c) * sab;
  }

  // DDNM+ (Wang et al. 2022, eqs. 17-19): the DDPM posterior step from x_{0|t} corrected by the
  // measurement, Y_{t-1} = c1 x0_hat + c2 Y_t + N^{1/2} Z with c1 = sqrt(ab_{t-1}) beta_t / (1 - ab_t),
  // c2 = sqrt(alpha_t) (1 - ab_{t-1}) / (1 - ab_t), sigma_t^2 = beta_t (1 - ab_{t-1}) / (1 - ab_t). Per
  // eigen-direction of H^T H with singular value s_i, sigma_e = sigma_y / s_i: lambda_i =
  // min(1, sigma_t / (c1 sigma_e)) and noise sigma_t^2 - (c1 sigma_e lambda_i)^2 >= 0, so that the
  // measurement noise carried by x0_hat plus the fresh noise has the DDPM variance sigma_t^2; null
  // space of H: lambda = 0, noise sigma_t^2. x_{0|t}(x) = sqrt(ab_t) Sigma Sigma'^-1 x + (1 - ab_t)
  // Sigma'^-1 mu (Tweedie with the prior score), x0_hat = (I - R) x_{0|t} + W diag(lambda/e) W^T H^T y.
  // (the collapsing restatement (docs/math.md#ddnm-plus-collapsing-restatement) writes the step without the c2 Y_t term, with sqrt(ab_{t-1}) and sqrt(1 - ab_{t-1})
  // in place of c1 and sigma_t: that chain has no noise along observed directions once lambda < 1 and
  // contracts them to a point mass; see docs/zero-shot.md.)
  struct Step { M A, N; V b; };
  Step ddnm_plus_step(const Schedule<Real>& sch, long t) {
    using std::sqrt;
    const long d = problem.d;
    if (W.size() == 0) spectral_data();
    const Real ab = sch.alpha_bar[t], ab_prev = sch.alpha_bar[t - 1];
    const Real c1 = sqrt(ab_prev) * sch.beta[t] / sch.one_minus_alpha_bar[t];
    const Real c2 = sqrt(sch.alpha[t]) * sch.one_minus_alpha_bar[t - 1] / sch.one_minus_alpha_bar[t];
    const Real var = sch.beta[t] * sch.one_minus_alpha_bar[t - 1] / sch.one_minus_alpha_bar[t], sd = sqrt(var);
    V lam = V::Zero(d), noise = V::Constant(d, var), gain = V::Zero(d);
    for (long i = d - problem.rank; i < d; ++i) {
      // min(1, .) is continuous in its argument: no branch has to be decided in interval arithmetic
      const Real se = sqrt(sigma_y2 / e(i));
      const Real l = sigma_y2 == 0 ? Real(1) : min_of(Real(1), Real(sd / (c1 * se)));
      lam(i) = l;
      noise(i) = max_of(Real(var - c1 * c1 * se * se * l * l), Real(0));
      gain(i) = l / e(i);
    }
    const M R = W * lam.asDiagonal() * W.transpose();
    const M P_prior = spd_inverse<Real>(M(prior_cov * ab + Id * sch.one_minus_alpha_bar[t]));
    Step s;
    s.A = (Id - R) * prior_cov * P_prior * (sqrt(ab) * c1) + Id * c2;
    s.b = ((Id - R) * P_prior * prior_mean * sch.one_minus_alpha_bar[t] + W * gain.asDiagonal() * (W.transpose() * Ht_y)) * c1;
    s.N = symmetrized<Real>(M(W * noise.asDiagonal() * W.transpose()));
    return s;
  }

private:
  void spectral_data() {
    const long d = problem.d;
    M HtH = symmetrized<Real>(M(H.transpose() * H));
    if (problem.coordinatewise) {
      // H^T H is diagonal: order the coordinates with unobserved ones first (eigenvalue 0)
      std::vector<long> order;
      std::vector<bool> observed(static_cast<std::size_t>(d), false);
      for (long c : problem.column_of_row) observed[static_cast<std::size_t>(c)] = true;
      for (long i = 0; i < d; ++i) if (!observed[static_cast<std::size_t>(i)]) order.push_back(i);
      for (long i = 0; i < d; ++i) if (observed[static_cast<std::size_t>(i)]) order.push_back(i);
      W = M::Zero(d, d);
      e = V::Zero(d);
      for (long k = 0; k < d; ++k) {
        W(order[static_cast<std::size_t>(k)], k) = Real(1);
        e(k) = HtH(order[static_cast<std::size_t>(k)], order[static_cast<std::size_t>(k)]);
      }
      return;
    }
    if constexpr (is_interval_v<Real>) {
      throw InputError("numerics.precision", "certified",
                       "ddnm-plus with an H that is not coordinate-wise needs the singular vectors of H, which are not "
                       "computed in interval arithmetic: use precision \"double\" or \"mpfr\"");
    } else {
      Eigen::SelfAdjointEigenSolver<M> eig(HtH);
      W = eig.eigenvectors();
      e = eig.eigenvalues();  // ascending: the last `rank` are the positive ones
    }
  }
};

}  // namespace diffbound::detail
