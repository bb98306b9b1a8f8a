#include "numerics/case_kinds.hpp"

namespace diffbound {

std::string to_string(SamplerKind k) { return std::string(row_of(sampler_table, k).name); }
std::string to_string(Variance v) { return std::string(row_of(variance_table, v).name); }
std::string to_string(Init i) { return std::string(row_of(init_table, i).name); }
std::string to_string(ScoreKind k) { return std::string(row_of(score_table, k).name); }
std::string to_string(Perturbation p) { return std::string(row_of(perturbation_table, p).name); }
std::string to_string(ScheduleKind k) { return std::string(row_of(schedule_table, k).name); }
std::string to_string(Family f) { return std::string(row_of(family_table, f).name); }
std::string to_string(Spectrum s) { return std::string(row_of(spectrum_table, s).name); }
std::string to_string(MixtureLayout l) { return std::string(row_of(layout_table, l).name); }
std::string to_string(Precision p) { return std::string(row_of(precision_table, p).name); }
std::string to_string(EnginePath e) { return std::string(row_of(engine_table, e).name); }
std::string to_string(Operator o) { return std::string(row_of(operator_table, o).name); }

}  // namespace diffbound
