#include "numerics/case_spec.hpp"

namespace diffbound {

std::string to_string(Spectrum s) {
  switch (s) {
    case Spectrum::isotropic: return "isotropic";
    case Spectrum::geometric: return "geometric";
    case Spectrum::two_level: return "two-level";
    case Spectrum::list: return "list";
    case Spectrum::matrix: return "matrix";
  }
  return "?";
}
std::string to_string(SamplerKind k) {
  switch (k) {
    case SamplerKind::ddpm: return "ddpm";
    case SamplerKind::accelerated: return "accelerated";
    case SamplerKind::ddim: return "ddim";
    case SamplerKind::pf_euler: return "pf-euler";
    case SamplerKind::ddnm_plus: return "ddnm-plus";
    case SamplerKind::sde_exact: return "sde-exact";
    case SamplerKind::ode_exact: return "ode-exact";
    case SamplerKind::sde_em: return "sde-em";
    case SamplerKind::sde_ei: return "sde-ei";
    case SamplerKind::ode_euler: return "ode-euler";
    case SamplerKind::ode_heun: return "ode-heun";
    case SamplerKind::ode_rk4: return "ode-rk4";
  }
  return "?";
}
std::string to_string(Variance v) {
  switch (v) {
    case Variance::theory: return "theory";
    case Variance::beta: return "beta";
    case Variance::posterior: return "posterior";
  }
  return "?";
}
std::string to_string(Init i) { return i == Init::gaussian ? "gaussian" : "exact"; }
std::string to_string(ScoreKind k) {
  switch (k) {
    case ScoreKind::exact: return "exact";
    case ScoreKind::mismatched: return "mismatched";
    case ScoreKind::perturbed: return "perturbed";
    case ScoreKind::gaussian_surrogate: return "gaussian-surrogate";
    case ScoreKind::ddnm: return "ddnm";
    case ScoreKind::bo_ddnm: return "bo-ddnm";
    case ScoreKind::exact_conditional: return "exact-conditional";
  }
  return "?";
}
std::string to_string(Perturbation p) { return p == Perturbation::constant ? "constant" : "scale"; }
std::string to_string(Precision p) {
  switch (p) {
    case Precision::double_: return "double";
    case Precision::extended: return "extended";
    case Precision::mpfr: return "mpfr";
    case Precision::certified: return "certified";
  }
  return "?";
}
std::string to_string(EnginePath e) {
  switch (e) {
    case EnginePath::automatic: return "auto";
    case EnginePath::fast: return "fast";
    case EnginePath::dense: return "dense";
  }
  return "?";
}
std::string to_string(Family f) { return f == Family::gaussian ? "gaussian" : "mixture"; }
std::string to_string(MixtureLayout l) { return l == MixtureLayout::axis ? "axis" : "product"; }
std::string to_string(Operator o) {
  switch (o) {
    case Operator::matrix: return "matrix";
    case Operator::identity: return "identity";
    case Operator::inpaint: return "inpaint";
    case Operator::subsample: return "subsample";
    case Operator::conditioned: return "conditioned";
  }
  return "?";
}

}  // namespace diffbound
