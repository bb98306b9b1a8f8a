// What the explicit-constant bounds of the VP SDE share in their descriptions (docs/math.md#explicit-constant-bounds):
// where they apply and what they measure.
#pragma once

#include "bounds/bound.hpp"

namespace diffbound::detail {

// A rigorous W2 bound for the continuous-time reverse SDE (sde-exact) on a Gaussian target at time 0, with a
// score error constant in time (Kwon-Fan-Lee, Tang-Zhao).
inline BoundInfo reverse_sde_w2_info(std::string id, Provenance provenance) {
  BoundInfo b;
  b.id = std::move(id);
  b.kind = BoundKind::rigorous;
  b.metric = Metric::W2;
  b.measured = Measured::w2;
  b.provenance = provenance;
  b.requirements = {Requirement::continuous_reverse_sde, Requirement::gaussian_target, Requirement::output_at_time_zero,
                    Requirement::constant_score_error};
  return b;
}

// Strasman et al.'s bounds, as the authors' code computes them: the schemes it pairs them with, from N(0, s2 I),
// Gaussian target, at time 0, score error constant in time.
inline BoundInfo strasman_info(std::string id, Metric metric, Measured measured) {
  BoundInfo b;
  b.id = std::move(id);
  b.kind = BoundKind::rigorous;
  b.metric = metric;
  b.measured = measured;
  b.provenance = Provenance::authors_code;
  b.requirements = {Requirement::strasman_scheme, Requirement::gaussian_target, Requirement::gaussian_init,
                    Requirement::output_at_time_zero, Requirement::constant_score_error};
  return b;
}

}  // namespace diffbound::detail
