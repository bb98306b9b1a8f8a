// A tiny expression language for user-defined bounds in suite files.
//
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?          -- right-associative, binds tighter than unary minus:
//                                               -x^2 = -(x^2), 2^3^2 = 2^9, 2^-1 = 0.5
//   primary := number | variable | function '(' expr (',' expr)* ')' | '(' expr ')'
// Variables: the names of bounds/inputs.hpp (d, T, kappa, t_out, abar_T, E_T, D_T, B_T, kl_q0_gamma,
// m2, eps2, L, h, tau, kl). Functions: log (natural), sqrt, exp, abs, min, max.
//
// Parsed once to an AST, evaluated in any number type. Numbers are kept as decimal text so that an
// interval evaluation encloses the decimal value itself (0.1 is not a binary number).
// Evaluation never returns NaN silently: log of a value that may be <= 0, sqrt of a value that may be
// < 0, division by a value that may be 0, a non-integer power of a value that may be <= 0, or a
// non-finite result throws ExpressionError naming the position of the offending operation.
#pragma once

#include "bounds/bound.hpp"
#include "numerics/input_error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace diffbound {

class ExpressionError : public InputError {
public:
  enum class Kind { syntax, unknown_variable, unknown_function, arity, domain };
  // position: 1-based character position in the expression text.
  ExpressionError(Kind kind, const std::string& field, const std::string& text, std::size_t position,
                  const std::string& reason);
  Kind kind() const { return kind_; }
  std::size_t position() const { return position_; }
  const std::string& reason() const { return reason_; }

private:
  Kind kind_;
  std::size_t position_;
  std::string reason_;
};

class Expression {
public:
  // Parses text; field names the suite field for error messages (e.g. "bound[2].expr").
  static Expression parse(const std::string& text, const std::string& field);

  // Evaluates with the inputs' number type. Throws BoundNotApplicable when a variable the
  // expression uses is not available (D_T, B_T, kl), ExpressionError(domain) as described above.
  template <class Real> Real evaluate(const BoundInputs<Real>& in) const;

  const std::string& text() const { return text_; }
  const std::string& field() const { return field_; }
  // The distinct variables the expression reads, in order of first use.
  const std::vector<Variable>& variables() const { return variables_; }

  enum class Op { number, variable, neg, add, sub, mul, div, pow, log, sqrt, exp, abs, min, max };
  struct Node {
    Op op;
    int a = -1, b = -1;     // children (indices into nodes)
    std::string number;     // Op::number: the literal
    Variable var{};         // Op::variable
    std::size_t position;   // 1-based, for error messages
  };

private:
  template <class Real> Real eval(int node, const BoundInputs<Real>& in) const;
  [[noreturn]] void domain_error(const Node& n, const std::string& reason) const;

  std::string text_, field_;
  std::vector<Node> nodes_;
  int root_ = -1;
  std::vector<Variable> variables_;
  friend class ExpressionParser;
};

extern template double Expression::evaluate<double>(const BoundInputs<double>&) const;
extern template mpfr_real Expression::evaluate<mpfr_real>(const BoundInputs<mpfr_real>&) const;
extern template interval_real Expression::evaluate<interval_real>(const BoundInputs<interval_real>&) const;

// What a suite's [[bound]] table declares. field is the table's name for errors, e.g. "bound[2]".
struct UserBoundSpec {
  std::string field;
  std::string id, citation, description;
  BoundKind kind = BoundKind::rigorous;
  Metric metric = Metric::KL;
  std::optional<Measured> measured;    // default: kl for KL, tv for TV
  std::string expr;                    // required for rigorous; for rate claims defaults to shape
  std::string shape;                   // rate claims only (required)
  std::vector<SweepVariable> swept;    // rate claims only (required, non-empty)
  Provenance provenance = Provenance::user;  // a suite may declare the level it read the statement at
};

// A bound defined by expressions over the exact quantities; provenance as declared (default `user`).
class UserBound final : public Bound {
public:
  explicit UserBound(const UserBoundSpec& spec);  // parses; throws InputError naming spec.field.*
  const BoundInfo& info() const override { return info_; }

  double evaluate(const BoundInputs<double>& in) const override;
  mpfr_real evaluate(const BoundInputs<mpfr_real>& in) const override;
  interval_real evaluate(const BoundInputs<interval_real>& in) const override;
  double shape(const BoundInputs<double>& in) const override;
  mpfr_real shape(const BoundInputs<mpfr_real>& in) const override;
  interval_real shape(const BoundInputs<interval_real>& in) const override;

  const Expression& expression() const { return expr_; }

private:
  const Expression& shape_expression() const;
  BoundInfo info_;
  Expression expr_;
  std::optional<Expression> shape_;
};

}  // namespace diffbound
