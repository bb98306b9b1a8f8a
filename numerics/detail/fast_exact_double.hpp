#pragma once
// The exact-score recursion of the fast path in double, at the hardware limit (issue 12): one fused pass
// over the directions per step, on structure-of-arrays state, with the sampler's form a template
// parameter so the inner loop has no branch, no call and no allocation and vectorizes (SSE2, and AVX2 /
// AVX-512 through a runtime-dispatched clone). The arithmetic of each direction is the generic path's
// (gaussian_path_fast_impl.hpp, sampler_step.hpp) operation for operation, except u - log1p u, which is
// the fixed-degree series below with log1p only for the rare |u| >= 0.1.

#include "numerics/cancellation.hpp"
#include "numerics/detail/sampler_step.hpp"
#include "numerics/engine_threads.hpp"
#include "numerics/detail/u_minus_log1p_small.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace diffbound::detail {

// The closed forms of exact_map and exact_local_error (sampler_step.hpp), one per sampler and variance.
enum class ExactForm { ddpm_theory, ddpm_beta, ddpm_posterior, accelerated, pf_euler, ddim };

inline ExactForm exact_form_of(const SamplerSpec& sampler) {
  switch (sampler.kind) {
    case SamplerKind::ddpm:
      switch (sampler.variance) {
        case Variance::theory: return ExactForm::ddpm_theory;
        case Variance::beta: return ExactForm::ddpm_beta;
        case Variance::posterior: return ExactForm::ddpm_posterior;
      }
      break;
    case SamplerKind::accelerated: return ExactForm::accelerated;
    case SamplerKind::pf_euler: return ExactForm::pf_euler;
    case SamplerKind::ddim: return ExactForm::ddim;
    default: break;
  }
  throw std::logic_error("exact_form_of: not an exact-score discrete sampler");
}

// State of a run of directions: the variance lambda, the marginal variance Sigma_t, the deviations dm, dS
// and the running D_T contribution; `big` is scratch (the u of this step where |u| >= 0.1, else 0).
struct ExactBlock {
  const double* lambda;
  double *sigma, *dm, *dS, *D, *big;
  std::size_t n;
};

// One step t -> t-1 of every direction of the block. Returns whether some |u| >= 0.1 was left in `big`
// (only when WithD). Same operations as gaussian_path_fast's generic loop, so the same rounding.
template <ExactForm F, bool WithD>
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
bool exact_block_step(const StepCoefficients<double>& s, std::size_t n, const double* __restrict lam,
                      double* __restrict sigma, double* __restrict dm, double* __restrict dS, double* __restrict D,
                      double* __restrict big) {
  // (__restrict on the parameters: GCC honours it there, and without it the alias checks of six arrays
  // exceed what it versions a loop for, and the loop stays scalar)
  const double ab_prev = s.ab_prev, omab_prev = s.omab_prev, sqrt_alpha = s.sqrt_alpha, half_beta = s.beta / 2;
  const double signal = s.ddim_mix_signal, mix = s.ddim_mix_noise, f = s.local_factor;
  const double neg_inv_noise = WithD ? -1.0 / s.noise : 0.0;
  long n_big = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double l = lam[i], sig = sigma[i];
    const double sigma_prev = ab_prev * l + omab_prev;
    const double P = 1.0 / sig;
    double a, ls;
    if constexpr (F == ExactForm::pf_euler) a = (sig - half_beta) * P / sqrt_alpha;
    else if constexpr (F == ExactForm::ddim) a = (l * signal + mix) * P;
    else a = sigma_prev * P * sqrt_alpha;  // ddpm, accelerated: (1 - beta P) / sqrt(alpha)
    if constexpr (F == ExactForm::ddpm_beta) ls = (1.0 - l) * P * f;
    else if constexpr (F == ExactForm::ddpm_posterior || F == ExactForm::ddim) ls = l * P * f;
    else if constexpr (F == ExactForm::accelerated) ls = P * P * f;
    else ls = P * f;  // ddpm theory, pf-euler
    dm[i] *= a;
    dS[i] = a * a * dS[i] + ls;
    if constexpr (WithD) {
      const double u = ls * neg_inv_noise;
      // selects between computed values only (no floating-point operation under a condition, which
      // -ftrapping-math forbids the compiler to if-convert): a large u adds the series at 0, i.e. nothing
      const bool small = std::abs(u) < 0.1;
      const double u_small = small ? u : 0.0;
      D[i] += u_minus_log1p_small(u_small) / 2;
      big[i] = small ? 0.0 : u;
      n_big += small ? 0 : 1;
    }
    sigma[i] = sigma_prev;
  }
  return n_big > 0;
}

template <ExactForm F, bool WithD> void exact_block_run(const std::vector<StepCoefficients<double>>& steps, long T,
                                                        long t_out, const ExactBlock& b) {
  for (long t = T; t > t_out; --t) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per step and block
    const auto& s = steps[t];
    // a step without noise has an infinite path KL (the caller records it); it adds nothing to D
    if (WithD && s.noise > 0) {
      if (exact_block_step<F, true>(s, b.n, b.lambda, b.sigma, b.dm, b.dS, b.D, b.big))
        for (std::size_t i = 0; i < b.n; ++i)
          if (b.big[i] != 0) b.D[i] += (b.big[i] - std::log1p(b.big[i])) / 2;  // |u| >= 0.1: <= 1 digit lost
    } else {
      exact_block_step<F, false>(s, b.n, b.lambda, b.sigma, b.dm, b.dS, b.D, b.big);
    }
  }
}

// Runs the exact-score recursion of every direction from t = T down to t_out: sigma, dm, dS hold the
// initial values and receive Sigma_{t_out} and the deviations; D receives sum_t (u - log1p u) / 2 (only
// with with_D). Directions go in blocks that stay in L1 over all steps; with engine_threads() > 1 and
// enough work (numerics/engine_threads.hpp) the blocks are shared between threads, each block computed
// by one thread with the same operations, so the bits do not depend on the thread count. Returns the
// number of threads used.
inline std::size_t exact_recursion_double(const std::vector<StepCoefficients<double>>& steps, long T, long t_out,
                                   const SamplerSpec& sampler, bool with_D, const std::vector<double>& lambda,
                                   std::vector<double>& sigma, std::vector<double>& dm, std::vector<double>& dS,
                                   std::vector<double>& D) {
  constexpr std::size_t kBlock = 512;  // 6 arrays x 512 x 8 bytes = 24 KiB: in L1 for all T steps
  // a thread is worth starting (~50 us) above about 10^6 direction-steps (~5 ms)
  constexpr double kThreadedWork = 1e6;
  const std::size_t n = lambda.size();
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  const ExactForm form = exact_form_of(sampler);
  auto run_block = [&](std::size_t index, std::vector<double>& big) {
    const std::size_t start = index * kBlock;
    const ExactBlock b{lambda.data() + start, sigma.data() + start, dm.data() + start, dS.data() + start,
                       D.data() + start, big.data(), std::min(kBlock, n - start)};
    auto run = [&]<ExactForm F>() {
      if (with_D) exact_block_run<F, true>(steps, T, t_out, b);
      else exact_block_run<F, false>(steps, T, t_out, b);
    };
    switch (form) {
      case ExactForm::ddpm_theory: run.template operator()<ExactForm::ddpm_theory>(); break;
      case ExactForm::ddpm_beta: run.template operator()<ExactForm::ddpm_beta>(); break;
      case ExactForm::ddpm_posterior: run.template operator()<ExactForm::ddpm_posterior>(); break;
      case ExactForm::accelerated: run.template operator()<ExactForm::accelerated>(); break;
      case ExactForm::pf_euler: run.template operator()<ExactForm::pf_euler>(); break;
      case ExactForm::ddim: run.template operator()<ExactForm::ddim>(); break;
    }
  };
  const double work = static_cast<double>(n) * static_cast<double>(T - t_out);
  const std::size_t threads = work < kThreadedWork ? 1 : std::min<std::size_t>(engine_threads(), blocks);
  if (threads <= 1) {
    std::vector<double> big(std::min(n, kBlock));
    for (std::size_t index = 0; index < blocks; ++index) run_block(index, big);
    return 1;
  }
  // blocks handed out one at a time; the spawned threads poll the caller's cancellation flag, and the first
  // exception (a cancellation) is rethrown here after every thread has stopped
  const std::atomic<bool>* flag = detail::cancel_flag;
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto worker = [&] {
    const CancelScope scope(flag);
    std::vector<double> big(kBlock);
    try {
      for (std::size_t index; (index = next.fetch_add(1)) < blocks;) run_block(index, big);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(blocks);  // the others stop after their current block
    }
  };
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < threads; ++i) others.emplace_back(worker);
  worker();
  for (auto& t : others) t.join();
  if (error) std::rethrow_exception(error);
  return threads;
}

}  // namespace diffbound::detail
