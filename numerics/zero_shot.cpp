#include "numerics/zero_shot.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/gaussian_target.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_target.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <cstdint>
#include <random>
#include <set>

namespace diffbound {

namespace {

// Standard normals from mt19937_64 (its sequence is fixed by the C++ standard) by Box-Muller: the
// same seed gives the same draw with every standard library, which std::normal_distribution does not.
class NormalSource {
public:
  explicit NormalSource(unsigned long seed) : engine_(seed) {}
  double uniform() {  // in (0, 1)
    return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
  }
  double normal() {
    if (has_spare_) { has_spare_ = false; return spare_; }
    const double r = std::sqrt(-2 * std::log(uniform())), a = 2 * M_PI * uniform();
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

double number(const std::string& text, const std::string& field) {
  double v;
  try { v = from_decimal<double>(text); } catch (...) { throw InputError(field, text, "not a number"); }
  if (!std::isfinite(v)) throw InputError(field, text, "must be finite");
  return v;
}

// A random orthogonal n x n matrix (Householder QR of a Gaussian matrix, signs fixed so the law is Haar).
Eigen::MatrixXd random_orthogonal(long n, NormalSource& rng) {
  Eigen::MatrixXd G(n, n);
  for (long i = 0; i < n; ++i)
    for (long j = 0; j < n; ++j) G(i, j) = rng.normal();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(G);
  Eigen::MatrixXd Q = qr.householderQ() * Eigen::MatrixXd::Identity(n, n);
  const Eigen::MatrixXd R = qr.matrixQR();
  for (long j = 0; j < n; ++j)
    if (R(j, j) < 0) Q.col(j) *= -1;
  return Q;
}

// H, in the form it is used: named coordinate-wise operators as (row -> column, entry) lists, the
// others as dense matrices (named ones never allocate d x d).
struct Operator_ {
  long p = 0;
  bool sparse = false;
  std::vector<long> column;   // sparse: column of each row
  std::vector<double> entry;  // sparse: the row's nonzero
  std::vector<std::string> entry_text;
  Eigen::MatrixXd dense;
};

Operator_ build_operator(const ProblemSpec& pr, long d) {
  Operator_ H;
  auto sparse_rows = [&](const std::vector<long>& cols) {
    H.sparse = true;
    H.p = static_cast<long>(cols.size());
    H.column = cols;
    H.entry.assign(cols.size(), 1.0);
    H.entry_text.assign(cols.size(), "1");
  };
  switch (pr.op) {
    case Operator::identity: {
      std::vector<long> cols(static_cast<std::size_t>(d));
      for (long i = 0; i < d; ++i) cols[static_cast<std::size_t>(i)] = i;
      sparse_rows(cols);
      return H;
    }
    case Operator::inpaint: {
      if (pr.observed.empty()) throw InputError("problem.observed", "[]", "inpaint needs at least one observed coordinate");
      std::set<long> seen;
      for (std::size_t j = 0; j < pr.observed.size(); ++j) {
        const long c = pr.observed[j];
        const std::string field = "problem.observed[" + std::to_string(j) + "]";
        if (c < 0 || c >= d) throw InputError(field, std::to_string(c), "must be a coordinate in 0.." + std::to_string(d - 1));
        if (!seen.insert(c).second) throw InputError(field, std::to_string(c), "coordinate listed twice");
      }
      sparse_rows(pr.observed);
      return H;
    }
    case Operator::subsample: {
      if (pr.factor < 1) throw InputError("problem.factor", std::to_string(pr.factor), "must be at least 1");
      std::vector<long> cols;
      for (long i = 0; i < d; i += pr.factor) cols.push_back(i);
      sparse_rows(cols);
      return H;
    }
    case Operator::conditioned: {
      const double kappa = number(pr.kappa_H, "problem.kappa_H");
      if (!(kappa >= 1)) throw InputError("problem.kappa_H", pr.kappa_H, "must be >= 1");
      const long p = pr.rows == 0 ? d : pr.rows;
      if (p < 1) throw InputError("problem.rows", std::to_string(pr.rows), "must be at least 1");
      if (p > 4096 || d > 4096) throw InputError("problem.rows", std::to_string(p), "a dense H is limited to 4096 x 4096");
      // H = U diag(s) V^T with s geometric from 1 down to 1/kappa_H: kappa(H) = kappa_H by construction
      NormalSource rng(pr.seed * 2654435761ul + 17);
      const Eigen::MatrixXd U = random_orthogonal(p, rng), V = random_orthogonal(d, rng);
      const long r = std::min(p, d);
      H.p = p;
      H.dense = Eigen::MatrixXd::Zero(p, d);
      for (long i = 0; i < r; ++i) {
        const double s = r == 1 ? 1.0 : std::pow(kappa, -static_cast<double>(i) / static_cast<double>(r - 1));
        H.dense += s * U.col(i) * V.col(i).transpose();
      }
      return H;
    }
    case Operator::matrix: {
      const long p = static_cast<long>(pr.matrix.size());
      if (p == 0) throw InputError("problem.H", "[]", "needs at least one row");
      if (d > 4096) throw InputError("target.dim", std::to_string(d), "a dense H is limited to dim <= 4096");
      H.p = p;
      H.dense.resize(p, d);
      for (long j = 0; j < p; ++j) {
        const auto& row = pr.matrix[static_cast<std::size_t>(j)];
        if (static_cast<long>(row.size()) != d)
          throw InputError("problem.H[" + std::to_string(j) + "]", std::to_string(row.size()) + " entries",
                           "every row of H must have target.dim = " + std::to_string(d) + " entries");
        for (long i = 0; i < d; ++i)
          H.dense(j, i) = number(row[static_cast<std::size_t>(i)], "problem.H[" + std::to_string(j) + "][" + std::to_string(i) + "]");
      }
      return H;
    }
  }
  return H;
}

// x_0 ~ prior, in double.
Eigen::VectorXd draw_prior(const TargetSpec& target, NormalSource& rng) {
  const long d = target.dim();
  Eigen::VectorXd x(d);
  if (target.family == Family::gaussian) {
    const auto Sigma = covariance_matrix<double>(target.gaussian, "target");
    const auto mean = mean_vector<double>(target.gaussian);
    Eigen::LLT<Eigen::MatrixXd> llt(Sigma);
    Eigen::VectorXd z(d);
    for (long i = 0; i < d; ++i) z(i) = rng.normal();
    return mean + llt.matrixL() * z;
  }
  const MixtureSpec& m = target.mixture;
  auto draw_line = [&]() {
    double u = rng.uniform(), acc = 0;
    std::size_t k = 0;
    for (; k + 1 < m.weights.size(); ++k) {
      acc += std::stod(m.weights[k]);
      if (u < acc) break;
    }
    return std::stod(m.means[k]) + std::sqrt(std::stod(m.variances[k])) * rng.normal();
  };
  for (long i = 0; i < d; ++i) {
    if (i == 0 || m.layout == MixtureLayout::product) x(i) = draw_line();
    else x(i) = std::sqrt(std::stod(m.variances[0])) * rng.normal();
  }
  return x;
}

}  // namespace

bool is_zero_shot(const CaseSpec& spec) { return spec.problem.has_value(); }

void validate_zero_shot_kinds(const CaseSpec& spec) {
  const ScoreKind k = spec.score.kind;
  const bool conditional_score = traits_of(k).conditional;
  if (!spec.problem) {
    if (conditional_score)
      throw InputError("score.kind", to_string(k), "is a conditional score: the case needs a [problem] table (H, sigma_y, y)");
    if (traits_of(spec.sampler.kind).family == SamplerFamily::zero_shot)
      throw InputError("sampler.kind", to_string(spec.sampler.kind), "is a conditional sampler: the case needs a [problem] table (H, sigma_y, y)");
    return;
  }
  if (spec.sampler.kind == SamplerKind::ddnm_plus) {
    if (k != ScoreKind::exact)
      throw InputError("score.kind", to_string(k),
                       "sampler ddnm-plus uses the exact unconditional (prior) score: leave score.kind = \"exact\"");
    return;
  }
  if (spec.sampler.kind != SamplerKind::ddpm)
    throw InputError("sampler.kind", to_string(spec.sampler.kind),
                     "with a [problem], the sampler is \"ddpm\" (any variance, with score kind ddnm, bo-ddnm or "
                     "exact-conditional) or \"ddnm-plus\"");
  if (!conditional_score)
    throw InputError("score.kind", to_string(k),
                     "with a [problem], the score is \"ddnm\", \"bo-ddnm\" or \"exact-conditional\" (the sampler knows only "
                     "the prior's score and corrects it with y)");
}

ResolvedProblem resolve_problem(const CaseSpec& spec) {
  if (!spec.problem) throw InputError("problem", "(missing)", "the case has no [problem] table");
  validate_zero_shot_kinds(spec);
  const ProblemSpec& pr = *spec.problem;
  if (spec.target.family == Family::gaussian) validate_gaussian(spec.target.gaussian, "target");
  else validate_mixture(spec.target.mixture, "target");
  const long d = spec.target.dim();
  ResolvedProblem r;
  r.d = d;
  const double sigma_y = number(pr.sigma_y, "problem.sigma_y");
  if (!(sigma_y >= 0)) throw InputError("problem.sigma_y", pr.sigma_y, "must be >= 0 (a standard deviation)");
  r.sigma_y = pr.sigma_y;

  Operator_ H = build_operator(pr, d);
  r.p = H.p;
  if (!H.sparse) {
    if (H.dense.cwiseAbs().maxCoeff() == 0) throw InputError("problem.H", "0", "H = 0 observes nothing");
    // a dense matrix given by the user may still act coordinate-wise
    std::set<long> columns;
    bool coordinatewise = true;
    std::vector<long> cols;
    std::vector<double> entries;
    for (long j = 0; j < r.p && coordinatewise; ++j) {
      long col = -1, nonzero = 0;
      for (long i = 0; i < d; ++i)
        if (H.dense(j, i) != 0) { ++nonzero; col = i; }
      if (nonzero != 1 || !columns.insert(col).second) coordinatewise = false;
      else { cols.push_back(col); entries.push_back(H.dense(j, col)); }
    }
    if (coordinatewise) {
      H.sparse = true;
      H.column = cols;
      H.entry = entries;
      for (long j = 0; j < r.p; ++j)
        H.entry_text.push_back(pr.op == Operator::matrix ? pr.matrix[static_cast<std::size_t>(j)][static_cast<std::size_t>(cols[static_cast<std::size_t>(j)])]
                                                         : to_decimal(entries[static_cast<std::size_t>(j)]));
    }
  }
  Eigen::JacobiSVD<Eigen::MatrixXd> svd;
  if (H.sparse) {
    // singular values of a coordinate-wise H: the absolute values of its entries
    r.coordinatewise = true;
    r.column_of_row = H.column;
    r.entry_of_row = H.entry_text;
    r.rank = r.p;
    r.s_max = 0;
    r.s_min = INFINITY;
    for (double e : H.entry) {
      r.s_max = std::max(r.s_max, std::abs(e));
      r.s_min = std::min(r.s_min, std::abs(e));
    }
    if (r.s_max == 0) throw InputError("problem.H", "0", "H = 0 observes nothing");
    if (r.s_min == 0) throw InputError("problem.H", "(a zero row)", "must have full rank: a row of H is zero");
  } else {
    for (long j = 0; j < r.p; ++j) {
      std::vector<std::string> row;
      for (long i = 0; i < d; ++i)
        row.push_back(pr.op == Operator::matrix ? pr.matrix[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)] : to_decimal(H.dense(j, i)));
      r.H.push_back(std::move(row));
    }
    svd.compute(H.dense, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const auto& s = svd.singularValues();
    r.s_max = s(0);
    r.rank = 0;
    for (long i = 0; i < s.size(); ++i)
      if (s(i) > 1e-12 * r.s_max * static_cast<double>(std::max(r.p, d))) ++r.rank;
    if (r.rank < std::min(r.p, d))
      throw InputError("problem.H", std::to_string(r.p) + " x " + std::to_string(d) + " of rank " + std::to_string(r.rank),
                       "must have full rank (drop redundant rows): its pseudo-inverse is formed from H H^T or H^T H");
    r.s_min = s(r.rank - 1);
  }
  r.kappa_H = r.s_max / r.s_min;

  auto apply_H = [&](const Eigen::VectorXd& x) {
    if (!H.sparse) return Eigen::VectorXd(H.dense * x);
    Eigen::VectorXd y(r.p);
    for (long j = 0; j < r.p; ++j) y(j) = H.entry[static_cast<std::size_t>(j)] * x(H.column[static_cast<std::size_t>(j)]);
    return y;
  };
  if (pr.draw) {
    NormalSource rng(pr.seed);
    const Eigen::VectorXd x0 = draw_prior(spec.target, rng);
    Eigen::VectorXd y = apply_H(x0);
    for (long j = 0; j < r.p; ++j) y(j) += sigma_y * rng.normal();
    for (long i = 0; i < d; ++i) r.x0.push_back(to_decimal(x0(i)));
    for (long j = 0; j < r.p; ++j) r.y.push_back(to_decimal(y(j)));
  } else {
    if (static_cast<long>(pr.y.size()) != r.p)
      throw InputError("problem.y", std::to_string(pr.y.size()) + " entries",
                       "must have one entry per row of H (p = " + std::to_string(r.p) + "), or be \"draw\"");
    Eigen::VectorXd y(r.p);
    for (long j = 0; j < r.p; ++j) y(j) = number(pr.y[static_cast<std::size_t>(j)], "problem.y[" + std::to_string(j) + "]");
    r.y = pr.y;
    if (sigma_y == 0 && !H.sparse && r.rank < r.p) {
      // noiseless and H not onto: y must be a possible measurement
      const Eigen::VectorXd fit = H.dense * svd.solve(y);
      if ((fit - y).norm() > 1e-9 * std::max(1.0, y.norm()))
        throw InputError("problem.y", "(not in the range of H)",
                         "with sigma_y = 0 the measurement must satisfy y = H x for some x (residual " +
                             std::to_string((fit - y).norm()) + ")");
    }
  }
  if (sigma_y == 0 && spec.sampler.t_out == 0)
    throw InputError("sampler.t_out", "0",
                     "with sigma_y = 0 the posterior Q_{0|y} is singular (a point mass along the observed directions), "
                     "so KL(Q_{0|y} || output) is infinite; use t_out = 1");
  if (spec.target.family == Family::mixture && !r.coordinatewise)
    throw InputError("problem.H", "(not coordinate-wise)",
                     "a mixture prior needs H acting coordinate-wise (each row observes one coordinate, no coordinate "
                     "twice), so that the posterior separates into 1-D lines");
  return r;
}

CaseSpec with_explicit_problem(const CaseSpec& spec, ResolvedProblem& resolved) {
  resolved = resolve_problem(spec);
  CaseSpec out = spec;
  ProblemSpec& pr = *out.problem;
  pr.draw = false;
  pr.y = resolved.y;
  if (pr.op == Operator::conditioned) {
    pr.op = Operator::matrix;
    pr.matrix = resolved.H;
  }
  return out;
}

}  // namespace diffbound
