#pragma once
// The exact-score recursion of the fast path in MPFR and MPFI (issue 12), on raw mpfr_t / mpfi_t:
// the generic loop (gaussian_path_fast_impl.hpp) allocates a number for every intermediate result and
// looks up the thread's default precision for each; here the state lives in the callers' numbers and a
// few scratch numbers made once. Sigma_t, dm and dS get the generic loop's operations in its order, so
// the same bits (tests/numerics/test_fast_mpfr.cpp checks it).
//
// D_T: sum_t (u_t - log1p u_t) / 2 per direction. The generic loop calls log1p at p + log2(1/|u|) + 16
// bits every step, with a wide temporary and Boost temporaries around it: at d = 1000, T = 1000, 50 digits
// the generic loop took 7.2 s with D_T against 0.96 s without. Here (docs/math.md#d-t-product)
//   sum_t (u_t - log1p u_t) = S - log Q,   S = sum_t u_t,   Q = prod_t (1 + u_t),
// accumulated at W = p + 64 bits with one logarithm per direction. S and log Q nearly cancel; the
// rounding error of S - log Q is at most 2^-W (T sum |u_t| + 3 T + |log Q|) and is checked against
// 2^-(p+2) of the result; a direction that fails the check (a tiny D_T next to a large sum |u_t|) is
// run again with the per-step kernel. Intervals: the accumulation is done at a point m_t of each
// interval u_t (exactly, in MPFI at W bits) and the spread is added rigorously by the mean value
// theorem, |f(u) - f(m)| <= sup_u |u / (1 + u)| |u - m| for f(u) = u - log1p u; a sum of intervals
// instead would give a width ~ 2/|u| times the per-step kernel's.

#include "numerics/cancellation.hpp"
#include "numerics/detail/fast_exact_double.hpp"  // ExactForm
#include "numerics/detail/sampler_step.hpp"
#include "numerics/divergence.hpp"
#include "numerics/real.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

namespace diffbound::detail {

template <class Real> struct RawOps;

template <> struct RawOps<mpfr_real> {
  using raw = __mpfr_struct;
  using ptr = mpfr_ptr;
  using src = mpfr_srcptr;
  static ptr of(mpfr_real& x) { return x.backend().data(); }
  static src of(const mpfr_real& x) { return x.backend().data(); }
  static mpfr_prec_t prec(src x) { return mpfr_get_prec(x); }
  static void init(ptr x, mpfr_prec_t p) { mpfr_init2(x, p); }
  static void clear(ptr x) { mpfr_clear(x); }
  static void set(ptr r, src a) { mpfr_set(r, a, MPFR_RNDN); }
  static void add(ptr r, src a, src b) { mpfr_add(r, a, b, MPFR_RNDN); }
  static void sub(ptr r, src a, src b) { mpfr_sub(r, a, b, MPFR_RNDN); }
  static void mul(ptr r, src a, src b) { mpfr_mul(r, a, b, MPFR_RNDN); }
  static void div(ptr r, src a, src b) { mpfr_div(r, a, b, MPFR_RNDN); }
  static void set_ui(ptr r, unsigned long v) { mpfr_set_ui(r, v, MPFR_RNDN); }
};

template <> struct RawOps<interval_real> {
  using raw = __mpfi_struct;
  using ptr = mpfi_ptr;
  using src = mpfi_srcptr;
  static ptr of(interval_real& x) { return x.backend().data(); }
  static src of(const interval_real& x) { return x.backend().data(); }
  static mpfr_prec_t prec(src x) { return mpfi_get_prec(x); }
  static void init(ptr x, mpfr_prec_t p) { mpfi_init2(x, p); }
  static void clear(ptr x) { mpfi_clear(x); }
  static void set(ptr r, src a) { mpfi_set(r, a); }
  static void add(ptr r, src a, src b) { mpfi_add(r, a, b); }
  static void sub(ptr r, src a, src b) { mpfi_sub(r, a, b); }
  static void mul(ptr r, src a, src b) { mpfi_mul(r, a, b); }
  static void div(ptr r, src a, src b) { mpfi_div(r, a, b); }
  static void set_ui(ptr r, unsigned long v) { mpfi_set_ui(r, v); }
};

// A number of precision p made once and freed at scope exit.
template <class Real> class RawScratch {
 public:
  using Ops = RawOps<Real>;
  explicit RawScratch(mpfr_prec_t p) { Ops::init(&x_, p); }
  ~RawScratch() { Ops::clear(&x_); }
  RawScratch(const RawScratch&) = delete;
  RawScratch& operator=(const RawScratch&) = delete;
  typename Ops::ptr get() { return &x_; }

 private:
  typename Ops::raw x_;
};

// S = sum u_t and Q = prod (1 + u_t) at W bits (see the header); for intervals at a point m_t of u_t, with
// `spread` (MPFR, rounded up) collecting sup |u / (1 + u)| |u - m| over the steps.
template <class Real> class ProductD {
 public:
  ProductD(mpfr_prec_t p, mpfr_prec_t wide)
      : p_(p), wide_(wide), S_(wide), Q_(wide), q_(wide), L_(wide), qfr_(wide), m_(p), a_(64), b_(64), spread_(64), abs_sum_(64) {
    reset();
  }
  void reset() {
    mpfr_set_ui(spread_.get(), 0, MPFR_RNDN);
    mpfr_set_ui(abs_sum_.get(), 0, MPFR_RNDN);
    if constexpr (std::is_same_v<Real, mpfr_real>) {
      mpfr_set_ui(S_.get(), 0, MPFR_RNDN);
      mpfr_set_ui(Q_.get(), 1, MPFR_RNDN);
    } else {
      mpfi_set_ui(S_.get(), 0);
      mpfi_set_ui(Q_.get(), 1);
    }
    steps_ = 0;
    usable_ = true;
    nonzero_ = false;
    spread_d_ = 0;
  }
  // u: this step's u (precision p), for a step with noise
  void add(typename RawOps<Real>::src u) {
    ++steps_;
    if constexpr (std::is_same_v<Real, mpfr_real>) {
      mpfr_add(S_.get(), S_.get(), u, MPFR_RNDN);
      mpfr_add_ui(q_.get(), u, 1, MPFR_RNDN);
      if (mpfr_sgn(q_.get()) <= 0) { usable_ = false; return; }  // 1 + u <= 0: no logarithm; the per-step kernel decides
      mpfr_mul(Q_.get(), Q_.get(), q_.get(), MPFR_RNDN);
      mpfr_abs(a_.get(), u, MPFR_RNDU);
      mpfr_add(abs_sum_.get(), abs_sum_.get(), a_.get(), MPFR_RNDU);
    } else {
      mpfr_ptr m = m_.get();
      mpfi_mid(m, u);  // a point of u (mpfi_mid may round; any point inside u will do)
      if (mpfi_is_inside_fr(m, u) <= 0) mpfr_set(m, &u->left, MPFR_RNDN);
      if (!mpfr_zero_p(&u->left) || !mpfr_zero_p(&u->right)) nonzero_ = true;
      mpfi_add_fr(S_.get(), S_.get(), m);
      // Q *= 1 + m: a point product when 1 + m is exact at W bits (|m| >= 2^-64), else as an interval
      if (mpfr_add_ui(qfr_.get(), m, 1, MPFR_RNDN) == 0) {
        if (!(mpfr_sgn(qfr_.get()) > 0)) { usable_ = false; return; }
        mpfi_mul_fr(Q_.get(), Q_.get(), qfr_.get());
      } else {
        mpfi_set_fr(q_.get(), m);
        mpfi_add_ui(q_.get(), q_.get(), 1);
        if (!(mpfr_sgn(&q_.get()->left) > 0)) { usable_ = false; return; }
        mpfi_mul(Q_.get(), Q_.get(), q_.get());
      }
      // |f(u) - f(m)| <= sup |g| |u - m| with g(x) = f'(x) = x / (1 + x), and on [lo, hi] (lo > -1)
      // sup |g| <= max(|lo|, |hi|) / (1 + lo). In double, each input rounded away from the bound's side
      // and each operation's rounding (relative 2^-53) covered by the factor in finish().
      const double lo_down = mpfr_get_d(&u->left, MPFR_RNDD);
      if (!(lo_down > -1)) { usable_ = false; return; }  // u reaches -1: no logarithm
      const double mag = std::max(std::abs(mpfr_get_d(&u->left, MPFR_RNDA)), std::abs(mpfr_get_d(&u->right, MPFR_RNDA)));
      const double den = (1 + lo_down) * (1 - 0x1p-52);
      mpfr_sub(a_.get(), &u->right, m, MPFR_RNDU);
      mpfr_sub(b_.get(), m, &u->left, MPFR_RNDU);
      const double dist = std::max(mpfr_get_d(a_.get(), MPFR_RNDU), mpfr_get_d(b_.get(), MPFR_RNDU));
      const double term = mag / den * dist;
      // a term below double's normal range would have lost its relative accuracy (or vanished)
      if (dist > 0 && !(term >= 0x1p-1000)) { usable_ = false; return; }
      spread_d_ += term;
    }
  }
  // D += (S - log Q) / 2 if the accumulation kept p + 2 bits of it; false (D untouched) otherwise.
  bool finish(typename RawOps<Real>::ptr D) {
    if (!usable_) return false;
    // every u_t = 0: the sum is exactly 0
    if (steps_ == 0) return true;
    if constexpr (std::is_same_v<Real, mpfr_real>) {
      if (mpfr_zero_p(abs_sum_.get())) return true;
    } else {
      if (!nonzero_) return true;
    }
    if constexpr (std::is_same_v<Real, mpfr_real>) {
      mpfr_log(L_.get(), Q_.get(), MPFR_RNDN);
      // error bound 2^-W (T sum |u| + 3 T + |log Q|): T roundings of S, each at most 2^-W of a partial sum
      // (<= sum |u|); 2 T roundings in Q (1 + u and the product), each moving log Q by at most 2^-W (3 T
      // covers their second order); the logarithm's own. Against 2^-(p+2) |S - log Q| (the final
      // subtraction's 2^-W |S - log Q| is 2^62 times below that).
      mpfr_ptr err = a_.get(), val = b_.get();
      const unsigned long T = static_cast<unsigned long>(steps_);
      mpfr_mul_ui(err, abs_sum_.get(), T, MPFR_RNDU);
      mpfr_abs(val, L_.get(), MPFR_RNDU);
      mpfr_add(err, err, val, MPFR_RNDU);
      mpfr_add_ui(err, err, 3 * T, MPFR_RNDU);
      mpfr_mul_2si(err, err, -static_cast<long>(wide_), MPFR_RNDU);
      mpfr_sub(L_.get(), S_.get(), L_.get(), MPFR_RNDN);  // S - log Q
      mpfr_abs(val, L_.get(), MPFR_RNDD);
      mpfr_mul_2si(val, val, -static_cast<long>(p_ + 2), MPFR_RNDD);
      if (mpfr_cmp(err, val) > 0) return false;
      mpfr_div_2ui(L_.get(), L_.get(), 1, MPFR_RNDN);
      // D += the direction's sum, rounded once to p
      mpfr_add(D, D, L_.get(), MPFR_RNDN);
    } else {
      mpfi_log(L_.get(), Q_.get());
      mpfi_sub(L_.get(), S_.get(), L_.get());  // encloses sum_t f(m_t)
      // the accumulation's width against 2^-(p+2) of the value, as for MPFR (the spread is the width that
      // u's own width gives, as in the per-step kernel)
      mpfr_ptr w = a_.get(), val = b_.get();
      // the double sum's roundings: at most 6 per step of relative 2^-53 each (inputs, quotient, product, sum)
      mpfr_set_d(spread_.get(), spread_d_, MPFR_RNDU);
      mpfr_mul_d(spread_.get(), spread_.get(), 1 + (6.0 * static_cast<double>(steps_) + 8) * 0x1p-52, MPFR_RNDU);
      if (!mpfr_number_p(spread_.get())) return false;  // u near -1: 1 + u rounded to 0 in the bound
      mpfi_diam_abs(w, L_.get());
      mpfi_mag(val, L_.get());
      mpfr_mul_2si(val, val, -static_cast<long>(p_ + 2), MPFR_RNDD);
      if (mpfr_cmp(w, val) > 0) return false;
      // plus [-spread, spread]
      RawScratch<interval_real> s(64);
      mpfr_t lo;
      mpfr_init2(lo, 64);
      mpfr_neg(lo, spread_.get(), MPFR_RNDD);
      mpfi_interv_fr(s.get(), lo, spread_.get());
      mpfr_clear(lo);
      mpfi_add(L_.get(), L_.get(), s.get());
      mpfi_div_2ui(L_.get(), L_.get(), 1);
      mpfi_add(D, D, L_.get());
    }
    return true;
  }

 private:
  mpfr_prec_t p_, wide_;
  RawScratch<Real> S_, Q_, q_, L_;
  RawScratch<mpfr_real> qfr_;
  RawScratch<mpfr_real> m_, a_, b_, spread_, abs_sum_;
  long steps_ = 0;
  bool usable_ = true;
  bool nonzero_ = false;  // intervals: some u_t is not exactly 0
  double spread_d_ = 0;   // intervals: sum of the mean-value bounds, each rounded to nearest
};

// Runs the exact-score recursion of every direction from t = T down to t_out, as exact_recursion_double
// (fast_exact_double.hpp) does in double: sigma, dm, dS hold the initial values and receive Sigma_{t_out}
// and the deviations; D receives sum_t (u_t - log1p u_t) / 2 over the steps with noise (only with with_D).
// One direction at a time, over all steps. Returns how many directions fell back to the per-step kernel.
template <class Real>
std::size_t exact_recursion_raw(const std::vector<StepCoefficients<Real>>& steps, long T, long t_out, const SamplerSpec& sampler,
                         bool with_D, const std::vector<Real>& lambda, std::vector<Real>& sigma, std::vector<Real>& dm,
                         std::vector<Real>& dS, std::vector<Real>& D) {
  using Ops = RawOps<Real>;
  const std::size_t n = lambda.size();
  if (n == 0) return 0;
  const mpfr_prec_t p = Ops::prec(Ops::of(sigma[0]));
  const ExactForm form = exact_form_of(sampler);
  std::vector<char> noisy(T + 1, 0);
  std::vector<Real> neg_inv_noise(T + 1);  // u = l * (-1 / noise): one product a step instead of a quotient
  for (long t = t_out + 1; t <= T; ++t) {
    noisy[t] = certainly_positive(steps[t].noise) ? 1 : 0;
    if (with_D && noisy[t]) neg_inv_noise[t] = -(Real(1) / steps[t].noise);  // as the generic twin below
  }
  RawScratch<Real> one(p), sp(p), P(p), a(p), ls(p), t1(p), u(p);
  Ops::set_ui(one.get(), 1);
  std::vector<Real> halves;  // pf-euler: beta/2 per step, as the generic loop forms it (1 * (beta / 2))
  if (form == ExactForm::pf_euler) {
    halves.resize(T + 1);
    for (long t = t_out + 1; t <= T; ++t) halves[t] = steps[t].beta / 2;
  }
  ProductD<Real> product(p, p + 64);
  RawScratch<Real> sigma0(p), dm0(p), dS0(p);

  // one direction over all steps; per_step: the generic per-step D kernel (the fallback)
  auto run = [&](std::size_t i, bool per_step) {
    const auto lam = Ops::of(lambda[i]);
    auto sig = Ops::of(sigma[i]);
    auto m = Ops::of(dm[i]);
    auto s2 = Ops::of(dS[i]);
    for (long t = T; t > t_out; --t) {
      const auto& s = steps[t];
      // sigma_prev = ab_prev * lambda + (1 - ab_prev); P = 1 / Sigma_t
      Ops::mul(t1.get(), Ops::of(s.ab_prev), lam);
      Ops::add(sp.get(), t1.get(), Ops::of(s.omab_prev));
      Ops::div(P.get(), one.get(), sig);
      // A* (sampler_step.hpp exact_map)
      switch (form) {
        case ExactForm::pf_euler:
          Ops::sub(a.get(), sig, Ops::of(halves[t]));
          Ops::mul(a.get(), a.get(), P.get());
          Ops::div(a.get(), a.get(), Ops::of(s.sqrt_alpha));
          break;
        case ExactForm::ddim:
          Ops::mul(a.get(), lam, Ops::of(s.ddim_mix_signal));
          Ops::add(a.get(), a.get(), Ops::of(s.ddim_mix_noise));
          Ops::mul(a.get(), a.get(), P.get());
          break;
        default:  // ddpm, accelerated: Sigma_{t-1} P sqrt(alpha)
          Ops::mul(a.get(), sp.get(), P.get());
          Ops::mul(a.get(), a.get(), Ops::of(s.sqrt_alpha));
      }
      // the exact-score local error (sampler_step.hpp exact_local_error)
      switch (form) {
        case ExactForm::ddpm_beta:
          Ops::sub(ls.get(), one.get(), lam);
          Ops::mul(ls.get(), ls.get(), P.get());
          Ops::mul(ls.get(), ls.get(), Ops::of(s.local_factor));
          break;
        case ExactForm::ddpm_posterior:
        case ExactForm::ddim:
          Ops::mul(ls.get(), lam, P.get());
          Ops::mul(ls.get(), ls.get(), Ops::of(s.local_factor));
          break;
        case ExactForm::accelerated:
          Ops::mul(ls.get(), P.get(), P.get());
          Ops::mul(ls.get(), ls.get(), Ops::of(s.local_factor));
          break;
        default:  // ddpm theory, pf-euler
          Ops::mul(ls.get(), P.get(), Ops::of(s.local_factor));
      }
      Ops::mul(m, m, a.get());
      // dS = A A dS + l
      Ops::mul(t1.get(), a.get(), a.get());
      Ops::mul(t1.get(), t1.get(), s2);
      Ops::add(s2, t1.get(), ls.get());
      if (with_D && noisy[t]) {
        Ops::mul(u.get(), ls.get(), Ops::of(neg_inv_noise[t]));
        if (per_step) {
          Real ur;
          Ops::set(Ops::of(ur), u.get());
          D[i] += u_minus_log1p(ur) / 2;
        } else {
          product.add(u.get());
        }
      }
      Ops::set(sig, sp.get());
    }
  };

  std::size_t fallbacks = 0;
  for (std::size_t i = 0; i < n; ++i) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per direction (each runs every step)
    if (!with_D) { run(i, false); continue; }
    Ops::set(sigma0.get(), Ops::of(sigma[i]));
    Ops::set(dm0.get(), Ops::of(dm[i]));
    Ops::set(dS0.get(), Ops::of(dS[i]));
    product.reset();
    run(i, false);
    if (product.finish(Ops::of(D[i]))) continue;
    // the product form did not keep the digits: again with the per-step kernel, from the same start
    Ops::set(Ops::of(sigma[i]), sigma0.get());
    Ops::set(Ops::of(dm[i]), dm0.get());
    Ops::set(Ops::of(dS[i]), dS0.get());
    run(i, true);
    ++fallbacks;
  }
  return fallbacks;
}

// The same recursion written with the number type's operators (the fast path's loop before the raw
// one, with u formed as the raw loop forms it): every intermediate a new number, u - log1p u per step.
// Kept as the raw loop's test twin.
template <class Real>
void exact_recursion_generic(const std::vector<StepCoefficients<Real>>& steps, long T, long t_out,
                             const SamplerSpec& sampler, bool with_D, const std::vector<Real>& lambda,
                             std::vector<Real>& sigma, std::vector<Real>& dm, std::vector<Real>& dS, std::vector<Real>& D) {
  const Real one(1);
  for (long t = T; t > t_out; --t) {
    const auto& s = steps[t];
    const bool noisy = with_D && certainly_positive(s.noise);
    const Real neg_inv_noise = noisy ? Real(-(one / s.noise)) : Real(0);  // u as the raw loop forms it
    for (std::size_t i = 0; i < lambda.size(); ++i) {
      const Real& lam = lambda[i];
      const Real sigma_prev = s.ab_prev * lam + s.omab_prev;
      const Real P = one / sigma[i];
      const Real a_star = exact_map(s, sampler.kind, lam, sigma[i], sigma_prev, P, one);
      const Real l_star = exact_local_error(s, sampler, lam, P, one);
      dm[i] *= a_star;
      dS[i] = a_star * a_star * dS[i] + l_star;
      if (noisy) D[i] += u_minus_log1p(Real(l_star * neg_inv_noise)) / 2;
      sigma[i] = sigma_prev;
    }
  }
}

}  // namespace diffbound::detail
