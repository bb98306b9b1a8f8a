// Linear inverse problems for zero-shot conditional sampling (docs/math.md#zero-shot): the measurement operator,
// the measurement y, the posterior of a Gaussian prior, and the affine scores of DDNM, BO-DDNM and the
// exact conditional score.
//
// The problem is resolved once, in double, into decimal text (H, y and the drawn x_0): every number
// type then reads the same decimal numbers, so a drawn measurement means the same thing at 16 digits
// as in a certified run.
#pragma once

#include "numerics/case_spec.hpp"

#include <string>
#include <vector>

namespace diffbound {

struct ResolvedProblem {
  long p = 0, d = 0;                           // H is p x d
  std::vector<std::vector<std::string>> H;     // p rows of d decimal entries (empty when coordinate-wise)
  std::vector<std::string> y;                  // p entries
  std::vector<std::string> x0;                 // the drawn x_0 (draw = true), d entries
  std::string sigma_y = "0";
  double kappa_H = 1, s_max = 1, s_min = 1;    // singular values of H (double)
  long rank = 0;
  // Coordinate-wise H: every row has one nonzero entry and no two rows share a column. Then the
  // problem factors over coordinates: column_of_row[j] = the coordinate row j observes.
  bool coordinatewise = false;
  std::vector<long> column_of_row;
  std::vector<std::string> entry_of_row;       // coordinate-wise: H(j, column_of_row[j])
};

// Builds H (named operators, or the matrix as given), draws y when asked, and validates the problem
// against the prior (the case's target): shapes, sigma_y >= 0, H != 0, full rank, and with
// sigma_y = 0 a measurement in the range of H. Throws InputError naming the field.
ResolvedProblem resolve_problem(const CaseSpec& spec);

// The case with its problem made explicit: a drawn y (and H = "conditioned") replaced by their
// decimal values, so that every later resolution (each engine, each precision) reads the same numbers
// without drawing again. `resolved` receives the resolution (with the drawn x_0).
CaseSpec with_explicit_problem(const CaseSpec& spec, ResolvedProblem& resolved);

// The checks of a case with a [problem] that do not need the problem resolved: score and sampler
// kinds allowed with it (and only with it).
void validate_zero_shot_kinds(const CaseSpec& spec);

bool is_zero_shot(const CaseSpec& spec);

}  // namespace diffbound
