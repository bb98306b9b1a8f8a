// Explicit instantiation of the log-SNR identities for mpfr_real (one number type per translation unit).
#include "numerics/detail/log_snr_identities_impl.hpp"

namespace diffbound {
template IdentityValue<mpfr_real> density_identity<mpfr_real>(const TargetSpec&, const std::vector<std::string>&);
template IdentityValue<mpfr_real> noise_classifier_identity<mpfr_real>(const TargetSpec&, const std::vector<std::string>&,
                                                                 const std::string&);
template ClassifierProbability<mpfr_real> clean_probability<mpfr_real>(const IdentityValue<mpfr_real>&);
template MmsePair<mpfr_real> zeta_mmse_both_ways<mpfr_real>(const TargetSpec&, const std::string&, const std::string&,
                                                      const std::string&);
}  // namespace diffbound
