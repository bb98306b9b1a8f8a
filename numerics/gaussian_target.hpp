// Gaussian targets (docs/math.md#gaussian-targets) made concrete in a number type, with input validation.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/input_error.hpp"
#include "numerics/real.hpp"

#include <Eigen/Dense>
#include <boost/multiprecision/eigen.hpp>

#include <string>
#include <vector>

namespace diffbound {

template <class Real> using Matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;
template <class Real> using Vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;

// One coordinate of a diagonal Gaussian, with a key naming where its values come from: coordinates
// with equal keys have equal values and are computed once.
template <class Real> struct DiagonalEntry {
  Real variance, mean;
  std::string key;
};

template <class Real> std::vector<DiagonalEntry<Real>> diagonal_entries(const GaussianSpec& g, const std::string& where);
template <class Real> Matrix<Real> covariance_matrix(const GaussianSpec& g, const std::string& where);
template <class Real> Vector<Real> mean_vector(const GaussianSpec& g);

// Unit vector of the constant score error (the given direction, or all ones), times epsilon.
template <class Real> std::vector<Real> perturbation_vector(const ScoreSpec& score, long dim);

}  // namespace diffbound

#include "numerics/detail/gaussian_target_impl.hpp"
