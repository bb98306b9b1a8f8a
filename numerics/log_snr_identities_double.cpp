// Explicit instantiation of the log-SNR identities for double (one number type per translation unit).
#include "numerics/detail/log_snr_identities_impl.hpp"

namespace diffbound {
template IdentityValue<double> density_identity<double>(const TargetSpec&, const std::vector<std::string>&);
template IdentityValue<double> noise_classifier_identity<double>(const TargetSpec&, const std::vector<std::string>&,
                                                                 const std::string&);
template ClassifierProbability<double> clean_probability<double>(const IdentityValue<double>&);
template MmsePair<double> zeta_mmse_both_ways<double>(const TargetSpec&, const std::string&, const std::string&,
                                                      const std::string&);
}  // namespace diffbound
