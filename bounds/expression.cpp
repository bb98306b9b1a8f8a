// Parser of the expression language (recursive descent over the grammar in expression.hpp) and the
// UserBound built from it. Evaluation lives in detail/expression_eval.hpp, one number type per file.
#include "bounds/expression.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace diffbound {

namespace {
std::string caret_message(const std::string& text, std::size_t position, const std::string& reason) {
  // The expression on its own line with a caret under the offending character.
  return "position " + std::to_string(position) + ": " + reason + "\n    " + text + "\n    " +
         std::string(position > 0 ? position - 1 : 0, ' ') + "^";
}

struct Function {
  const char* name;
  Expression::Op op;
  int arity;
};
constexpr Function functions[] = {{"log", Expression::Op::log, 1},   {"sqrt", Expression::Op::sqrt, 1},
                                  {"exp", Expression::Op::exp, 1},   {"abs", Expression::Op::abs, 1},
                                  {"min", Expression::Op::min, 2},   {"max", Expression::Op::max, 2}};
}  // namespace

ExpressionError::ExpressionError(Kind kind, const std::string& field, const std::string& text, std::size_t position,
                                 const std::string& reason)
    : InputError(field, text, caret_message(text, position, reason)), kind_(kind), position_(position),
      reason_(reason) {}

class ExpressionParser {
public:
  ExpressionParser(Expression& e) : e_(e), s_(e.text_) {}

  void run() {
    skip_space();
    if (pos_ == s_.size()) fail(Kind::syntax, pos_, "empty expression");
    e_.root_ = expr();
    skip_space();
    if (pos_ < s_.size()) fail(Kind::syntax, pos_, "unexpected '" + std::string(1, s_[pos_]) + "'");
  }

private:
  using Kind = ExpressionError::Kind;
  using Op = Expression::Op;

  [[noreturn]] void fail(Kind kind, std::size_t index0, const std::string& reason) {
    throw ExpressionError(kind, e_.field_, s_, index0 + 1, reason);
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // Evaluation recurses over the tree and parsing over the nesting, so both are bounded: a long chain
  // (1+1+...+1, ----x, ((((x))))) is a syntax error at the operator that goes too deep, not a stack overflow
  // (found by fuzzing: 2 KB of '-' and '+' overflowed the interval evaluation's stack under ASan).
  static constexpr int max_depth = 200;
  int add(Expression::Node n) {
    int d = 1;
    for (int child : {n.a, n.b})
      if (child >= 0) d = std::max(d, depth_[static_cast<std::size_t>(child)] + 1);
    if (d > max_depth) fail(Kind::syntax, n.position - 1, "expression nested too deeply (more than " + std::to_string(max_depth) + " levels)");
    e_.nodes_.push_back(std::move(n));
    depth_.push_back(d);
    return static_cast<int>(e_.nodes_.size()) - 1;
  }
  struct Nesting {
    ExpressionParser& p;
    explicit Nesting(ExpressionParser& parser, std::size_t at) : p(parser) {
      if (++p.nesting_ > max_depth) p.fail(Kind::syntax, at, "expression nested too deeply (more than " + std::to_string(max_depth) + " levels)");
    }
    ~Nesting() { --p.nesting_; }
  };
  int binary(Op op, int a, int b, std::size_t index0) { return add({op, a, b, {}, {}, index0 + 1}); }

  int expr() {
    int left = term();
    for (;;) {
      skip_space();
      std::size_t at = pos_;
      if (accept('+')) left = binary(Op::add, left, term(), at);
      else if (accept('-')) left = binary(Op::sub, left, term(), at);
      else return left;
    }
  }
  int term() {
    int left = unary();
    for (;;) {
      skip_space();
      std::size_t at = pos_;
      if (accept('*')) left = binary(Op::mul, left, unary(), at);
      else if (accept('/')) left = binary(Op::div, left, unary(), at);
      else return left;
    }
  }
  int unary() {
    skip_space();
    std::size_t at = pos_;
    const Nesting nesting(*this, at);
    if (accept('-')) return add({Op::neg, unary(), -1, {}, {}, at + 1});
    if (accept('+')) return unary();
    return power();
  }
  int power() {
    int base = primary();
    skip_space();
    std::size_t at = pos_;
    if (accept('^')) return binary(Op::pow, base, unary(), at);  // unary -> power: right-associative
    return base;
  }
  int primary() {
    skip_space();
    if (pos_ == s_.size()) fail(Kind::syntax, pos_, "unexpected end of expression, expected a number, variable or '('");
    std::size_t at = pos_;
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      int inner = expr();
      if (!accept(')')) expect_failure(at, "')' to close the '(' at position " + std::to_string(at + 1));
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return identifier();
    fail(Kind::syntax, pos_, "unexpected '" + std::string(1, c) + "', expected a number, variable or '('");
  }
  [[noreturn]] void expect_failure(std::size_t, const std::string& expected) {
    skip_space();
    if (pos_ == s_.size()) fail(Kind::syntax, pos_, "unexpected end of expression, expected " + expected);
    fail(Kind::syntax, pos_, "unexpected '" + std::string(1, s_[pos_]) + "', expected " + expected);
  }
  int number() {
    std::size_t at = pos_;
    auto digits = [&] {
      std::size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      return pos_ - start;
    };
    std::size_t n = digits();
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      n += digits();
    }
    if (n == 0) fail(Kind::syntax, at, "malformed number");
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (digits() == 0) fail(Kind::syntax, at, "malformed number (exponent without digits)");
    }
    return add({Op::number, -1, -1, s_.substr(at, pos_ - at), {}, at + 1});
  }
  int identifier() {
    std::size_t at = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    std::string name = s_.substr(at, pos_ - at);
    skip_space();
    bool call = pos_ < s_.size() && s_[pos_] == '(';
    if (call) return function_call(name, at);
    if (auto v = variable_from_name(name)) {
      if (std::find(e_.variables_.begin(), e_.variables_.end(), *v) == e_.variables_.end()) e_.variables_.push_back(*v);
      return add({Op::variable, -1, -1, {}, *v, at + 1});
    }
    for (const Function& f : functions)
      if (name == f.name) fail(Kind::syntax, at, "function '" + name + "' needs its argument in parentheses");
    std::string known;
    for (auto v : variable_names()) known += (known.empty() ? "" : ", ") + std::string(v);
    fail(Kind::unknown_variable, at, "unknown variable '" + name + "' (known: " + known + ")");
  }
  int function_call(const std::string& name, std::size_t at) {
    const Function* f = nullptr;
    for (const Function& g : functions)
      if (name == g.name) f = &g;
    if (!f) {
      if (variable_from_name(name)) fail(Kind::syntax, at, "'" + name + "' is a variable, not a function");
      fail(Kind::unknown_function, at, "unknown function '" + name + "' (known: log, sqrt, exp, abs, min, max)");
    }
    accept('(');
    std::vector<int> args{expr()};
    while (accept(',')) args.push_back(expr());
    if (!accept(')')) expect_failure(at, "')' or ',' in the call of " + name);
    if (static_cast<int>(args.size()) != f->arity)
      fail(Kind::arity, at,
           name + " takes " + std::to_string(f->arity) + " argument" + (f->arity > 1 ? "s" : "") + ", got " +
               std::to_string(args.size()));
    return add({f->op, args[0], f->arity > 1 ? args[1] : -1, {}, {}, at + 1});
  }

  Expression& e_;
  const std::string& s_;
  std::size_t pos_ = 0;
  int nesting_ = 0;         // unary() calls in progress (every recursion of the grammar passes through it)
  std::vector<int> depth_;  // depth of each node of e_.nodes_
};

Expression Expression::parse(const std::string& text, const std::string& field) {
  Expression e;
  e.text_ = text;
  e.field_ = field;
  ExpressionParser(e).run();
  return e;
}

void Expression::domain_error(const Node& n, const std::string& reason) const {
  throw ExpressionError(ExpressionError::Kind::domain, field_, text_, n.position, reason);
}

// ---- UserBound --------------------------------------------------------------------------------

namespace {
void union_into(std::vector<Variable>& out, const std::vector<Variable>& more) {
  for (Variable v : more)
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}
}  // namespace

UserBound::UserBound(const UserBoundSpec& spec)
    : expr_(Expression::parse(spec.expr.empty() && spec.kind == BoundKind::rate ? spec.shape : spec.expr,
                              spec.field + (spec.expr.empty() ? ".shape" : ".expr"))) {
  const std::string& f = spec.field;
  if (spec.id.empty()) throw InputError(f + ".id", "\"\"", "a bound needs an id");
  if (spec.kind == BoundKind::rigorous) {
    if (!spec.shape.empty()) throw InputError(f + ".shape", spec.shape, "shape is only for kind = \"rate\"");
    if (!spec.swept.empty()) throw InputError(f + ".swept", "[...]", "swept is only for kind = \"rate\"");
  } else {
    if (spec.shape.empty()) throw InputError(f + ".shape", "\"\"", "a rate claim needs its shape (the claimed rate)");
    if (spec.swept.empty())
      throw InputError(f + ".swept", "[]", "a rate claim names the swept variable(s) it speaks of (T, d, kappa)");
    shape_ = Expression::parse(spec.shape, f + ".shape");
  }
  info_.id = spec.id;
  info_.citation = spec.citation.empty() ? "user-defined" : spec.citation;
  info_.description = spec.description.empty() ? "user-defined bound: " + expr_.text() : spec.description;
  info_.kind = spec.kind;
  info_.metric = spec.metric;
  info_.measured = spec.measured ? *spec.measured
                 : spec.metric == Metric::KL ? Measured::kl
                 : spec.metric == Metric::W2 ? Measured::w2
                                             : Measured::tv;
  info_.provenance = spec.provenance;
  info_.needs = expr_.variables();
  info_.formula = expr_.text();
  if (shape_) {
    union_into(info_.needs, shape_->variables());
    info_.shape = shape_->text();
  }
  info_.swept = spec.swept;
}

const Expression& UserBound::shape_expression() const {
  if (!shape_) throw std::logic_error("bound " + info_.id + " is rigorous: it has no rate shape");
  return *shape_;
}

double UserBound::evaluate(const BoundInputs<double>& in) const { return expr_.evaluate(in); }
mpfr_real UserBound::evaluate(const BoundInputs<mpfr_real>& in) const { return expr_.evaluate(in); }
interval_real UserBound::evaluate(const BoundInputs<interval_real>& in) const { return expr_.evaluate(in); }
double UserBound::shape(const BoundInputs<double>& in) const { return shape_expression().evaluate(in); }
mpfr_real UserBound::shape(const BoundInputs<mpfr_real>& in) const { return shape_expression().evaluate(in); }
interval_real UserBound::shape(const BoundInputs<interval_real>& in) const {
  return shape_expression().evaluate(in);
}

}  // namespace diffbound
