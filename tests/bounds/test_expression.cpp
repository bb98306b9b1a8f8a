// The expression language of user-defined bounds: grammar, every variable, every error class with its
// position, domain errors instead of NaN, interval evaluation enclosing point evaluations; UserBound.
#include "bounds/expression.hpp"
#include "sample_inputs.hpp"

#include <gtest/gtest.h>

#include <set>

namespace diffbound {
namespace {

double eval(const std::string& text) {
  return Expression::parse(text, "bound[0].expr").evaluate(test::sample_inputs<double>());
}

TEST(Expression, PrecedenceAndAssociativity) {
  EXPECT_EQ(eval("1 + 2 * 3"), 7);
  EXPECT_EQ(eval("(1 + 2) * 3"), 9);
  EXPECT_EQ(eval("10 - 4 - 3"), 3);     // left-associative
  EXPECT_EQ(eval("8 / 4 / 2"), 1);      // left-associative
  EXPECT_EQ(eval("2 ^ 3 ^ 2"), 512);    // right-associative: 2^(3^2)
  EXPECT_EQ(eval("-2 ^ 2"), -4);        // ^ binds tighter than unary minus
  EXPECT_EQ(eval("2 ^ -1"), 0.5);       // unary minus in an exponent
  EXPECT_EQ(eval("- -3"), 3);
  EXPECT_EQ(eval("2 * -3"), -6);
  EXPECT_EQ(eval("+4"), 4);
  EXPECT_EQ(eval("(-2) ^ 3"), -8);      // integer power of a negative number is defined
  EXPECT_EQ(eval("1e-3 * 1E+3"), 1);
  EXPECT_EQ(eval(".5 + 1."), 1.5);
  EXPECT_EQ(eval("  3*(2 + (1))  "), 9);
}

TEST(Expression, Functions) {
  EXPECT_NEAR(eval("log(exp(2))"), 2, 1e-15);
  EXPECT_EQ(eval("sqrt(16)"), 4);
  EXPECT_EQ(eval("abs(-3)"), 3);
  EXPECT_EQ(eval("min(2, 3)"), 2);
  EXPECT_EQ(eval("max(2, 3)"), 3);
  EXPECT_NEAR(eval("4 ^ 0.5"), 2, 1e-15);
  EXPECT_NEAR(eval("log(T)"), std::log(100.0), 1e-15);
}

// The variable table (bounds/inputs.hpp) is indexed by the enum: a row out of place would read another
// variable's value under this one's name; names must be unique and value members distinct.
TEST(Expression, VariableTableIsInEnumOrderWithDistinctNamesAndMembers) {
  const auto& rows = variable_rows<double>();
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(rows[i].variable), i) << rows[i].name;
    EXPECT_TRUE(names.insert(rows[i].name).second) << rows[i].name;
    for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(rows[i].value == rows[j].value) << rows[i].name << " and " << rows[j].name;
  }
  // set() stores the value and marks an optional variable present
  BoundInputs<double> in;
  EXPECT_FALSE(available(in, Variable::B_T));
  set(in, Variable::B_T, 0.25);
  EXPECT_TRUE(available(in, Variable::B_T));
  EXPECT_EQ(in.B_T, 0.25);
  EXPECT_FALSE(available(in, Variable::beta_int));
  set(in, Variable::horizon, 2.0);
  EXPECT_TRUE(available(in, Variable::beta_int));  // horizon and beta_int come together
}

TEST(Expression, EveryVariableReadsItsInput) {
  auto in = test::sample_inputs<double>();
  const auto names = variable_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto v = static_cast<Variable>(i);
    Expression e = Expression::parse(std::string(names[i]), "x");
    ASSERT_EQ(e.variables().size(), 1u);
    EXPECT_EQ(e.variables()[0], v);
    EXPECT_EQ(e.evaluate(in), get(in, v)) << names[i];
  }
  // The sample case has distinct values, so reading the wrong field would show: spot-check a few.
  EXPECT_EQ(eval("D_T"), 0.003);
  EXPECT_EQ(eval("kl_q0_gamma"), 2);
  EXPECT_EQ(eval("L"), 10);
  EXPECT_NEAR(eval("tau"), std::log(10.0), 1e-15);
}

TEST(Expression, VariablesAreListedOnceInOrderOfFirstUse) {
  Expression e = Expression::parse("E_T + D_T * E_T + log(T)", "x");
  EXPECT_EQ(e.variables(), (std::vector<Variable>{Variable::E_T, Variable::D_T, Variable::T}));
}

struct ErrorCase {
  std::string text;
  ExpressionError::Kind kind;
  std::size_t position;
};

class ExpressionParseError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ExpressionParseError, ReportsKindPositionFieldAndCaret) {
  const ErrorCase& c = GetParam();
  try {
    Expression::parse(c.text, "bound[2].expr");
    FAIL() << "expected an error for: " << c.text;
  } catch (const ExpressionError& e) {
    EXPECT_EQ(e.kind(), c.kind) << c.text << ": " << e.what();
    EXPECT_EQ(e.position(), c.position) << c.text << ": " << e.what();
    EXPECT_EQ(e.field(), "bound[2].expr");
    std::string caret = "\n    " + c.text + "\n    " + std::string(c.position - 1, ' ') + "^";
    EXPECT_NE(std::string(e.what()).find(caret), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("position " + std::to_string(c.position)), std::string::npos);
  }
}

using K = ExpressionError::Kind;
INSTANTIATE_TEST_SUITE_P(
    AllClasses, ExpressionParseError,
    ::testing::Values(ErrorCase{"", K::syntax, 1},                // empty
                      ErrorCase{"d + x", K::unknown_variable, 5},
                      ErrorCase{"t * 2", K::unknown_variable, 1},  // names are case-sensitive (T)
                      ErrorCase{"foo(T)", K::unknown_function, 1},
                      ErrorCase{"d + log(T, d)", K::arity, 5},
                      ErrorCase{"min(T)", K::arity, 1},
                      ErrorCase{"d + * T", K::syntax, 5},          // missing operand
                      ErrorCase{"(d + T", K::syntax, 7},           // unclosed parenthesis (end of input)
                      ErrorCase{"d + T)", K::syntax, 6},           // stray parenthesis
                      ErrorCase{"d $ T", K::syntax, 3},            // unknown character
                      ErrorCase{"d + 1e+ 2", K::syntax, 5},        // malformed number
                      ErrorCase{"log T", K::syntax, 1},            // function without parentheses
                      ErrorCase{"d(2)", K::syntax, 1},             // variable called as a function
                      ErrorCase{"d +", K::syntax, 4},              // trailing operator
                      ErrorCase{"max(d,)", K::syntax, 7}));

TEST(ExpressionDomain, ErrorsInsteadOfNaNInEveryNumberType) {
  struct Case {
    std::string text;
    std::size_t position;
  };
  for (const Case& c : {Case{"log(E_T - 1)", 1}, Case{"2 * sqrt(-d)", 5}, Case{"1 / (T - T)", 3},
                        Case{"(-d) ^ 0.5", 6}, Case{"0 ^ -1", 3}, Case{"log(0)", 1}}) {
    auto check = [&](auto in) {
      try {
        Expression::parse(c.text, "bound[1].expr").evaluate(in);
        FAIL() << "expected a domain error for " << c.text;
      } catch (const ExpressionError& e) {
        EXPECT_EQ(e.kind(), K::domain) << c.text;
        EXPECT_EQ(e.position(), c.position) << c.text << ": " << e.what();
      }
    };
    PrecisionScope scope(30);
    check(test::sample_inputs<double>());
    check(test::sample_inputs<mpfr_real>());
    check(test::sample_inputs<interval_real>());
  }
}

TEST(ExpressionDomain, DoubleOverflowIsAnErrorNotInfinity) {
  EXPECT_THROW(eval("exp(1000)"), ExpressionError);
}

// Found by fuzzing (tests/fuzz/corpus/expression): a literal beyond double's range escaped as std::stod's
// std::out_of_range. Overflow is a domain error at the number; underflow is the rounded value (0, subnormal).
TEST(ExpressionDomain, LiteralsOutsideDoubleRange) {
  try {
    eval("d + 1e400");
    FAIL() << "expected a domain error";
  } catch (const ExpressionError& e) {
    EXPECT_EQ(e.kind(), K::domain);
    EXPECT_EQ(e.position(), 5u) << e.what();
  }
  EXPECT_EQ(eval("1e-400 + 0"), 0.0);
  EXPECT_GT(eval("1e-310"), 0.0);
  PrecisionScope scope(30);
  EXPECT_GT(Expression::parse("1e400", "bound[1].expr").evaluate(test::sample_inputs<mpfr_real>()), 1);  // in range for MPFR
}

// Found by fuzzing (tests/fuzz/corpus/expression/crash-deep-unary-chain.txt): 2 KB of '-' and '+' overflowed
// the stack of the recursive evaluation. Nesting beyond 200 levels is a syntax error; 200 levels are fine.
TEST(ExpressionSyntax, NestingIsBounded) {
  auto repeat = [](const std::string& s, int n) {
    std::string r;
    for (int i = 0; i < n; ++i) r += s;
    return r;
  };
  for (const std::string& text : {repeat("-", 5000) + "d", repeat("(", 100000) + "d" + repeat(")", 100000),
                                  "1" + repeat("+1", 5000), repeat("log(", 3000) + "d" + repeat(")", 3000), "2" + repeat("^2", 3000)}) {
    try {
      Expression::parse(text, "bound[1].expr");
      FAIL() << "expected a syntax error for " << text.substr(0, 20);
    } catch (const ExpressionError& e) {
      EXPECT_EQ(e.kind(), K::syntax);
      EXPECT_NE(e.reason().find("nested too deeply"), std::string::npos) << e.reason();
    }
  }
  EXPECT_EQ(eval(repeat("-", 150) + "d"), 4);
  EXPECT_EQ(eval("0" + repeat("+1", 150)), 150);
}

TEST(ExpressionDomain, IntervalThatMayIncludeZeroIsRejectedByLogAndDivision) {
  PrecisionScope scope(30);
  auto in = test::sample_inputs<interval_real>();
  in.E_T = make_interval(mpfr_real("-0.001"), mpfr_real("0.01"));  // the point value 0.0045 would be fine
  EXPECT_THROW(Expression::parse("log(E_T)", "x").evaluate(in), ExpressionError);
  EXPECT_THROW(Expression::parse("sqrt(E_T)", "x").evaluate(in), ExpressionError);
  EXPECT_THROW(Expression::parse("1 / E_T", "x").evaluate(in), ExpressionError);
  EXPECT_THROW(Expression::parse("E_T ^ 0.5", "x").evaluate(in), ExpressionError);
  EXPECT_THROW(Expression::parse("E_T ^ -2", "x").evaluate(in), ExpressionError);
  EXPECT_NO_THROW(Expression::parse("E_T ^ 2 + abs(E_T)", "x").evaluate(in));
}

TEST(ExpressionDomain, UnavailableQuantityMakesTheBoundNotApplicable) {
  auto in = test::sample_inputs<double>();
  in.has_B_T = false;
  EXPECT_THROW(Expression::parse("E_T + B_T", "x").evaluate(in), BoundNotApplicable);
}

TEST(ExpressionInterval, IntegerPowersAreTightAcrossZero) {
  PrecisionScope scope(30);
  auto in = test::sample_inputs<interval_real>();
  in.kl = make_interval(mpfr_real(-1), mpfr_real(2));
  interval_real sq = Expression::parse("kl ^ 2", "x").evaluate(in);
  EXPECT_EQ(lower_of(sq), 0);  // x*x would give -2
  EXPECT_EQ(upper_of(sq), 4);
  interval_real cube = Expression::parse("kl ^ 3", "x").evaluate(in);
  EXPECT_EQ(lower_of(cube), -1);
  EXPECT_EQ(upper_of(cube), 8);
  interval_real a = Expression::parse("abs(kl)", "x").evaluate(in);
  EXPECT_EQ(lower_of(a), 0);
  EXPECT_EQ(upper_of(a), 2);
}

TEST(ExpressionInterval, EnclosesPointEvaluationsOverTheBox) {
  const std::string text =
      "sqrt(E_T) * log(T) ^ 2 / d - exp(-tau) + abs(B_T - 0.001) + min(kl, E_T) + max(kl, E_T)"
      " + (E_T - 0.0105) ^ 2 + (E_T - 0.0105) ^ 3 + E_T ^ 1.5 + 2 ^ -E_T - 1 / B_T";
  Expression e = Expression::parse(text, "x");
  PrecisionScope scope(30);
  auto box = test::sample_inputs<interval_real>();
  box.E_T = make_interval(mpfr_real("0.01"), mpfr_real("0.011"));
  box.B_T = make_interval(mpfr_real("0.0005"), mpfr_real("0.002"));
  box.kl = make_interval(mpfr_real("0.0102"), mpfr_real("0.0108"));
  interval_real enclosure = e.evaluate(box);
  int checked = 0;
  for (const char* et : {"0.01", "0.0104", "0.0105", "0.0107", "0.011"})
    for (const char* bt : {"0.0005", "0.001", "0.002"})
      for (const char* kl : {"0.0102", "0.0108"}) {
        PrecisionScope high(60);
        auto p = test::sample_inputs<mpfr_real>();
        p.E_T = mpfr_real(et);
        p.B_T = mpfr_real(bt);
        p.kl = mpfr_real(kl);
        mpfr_real v = e.evaluate(p);
        EXPECT_LE(lower_of(enclosure), v) << et << " " << bt << " " << kl;
        EXPECT_GE(upper_of(enclosure), v) << et << " " << bt << " " << kl;
        ++checked;
      }
  EXPECT_EQ(checked, 30);
}

TEST(ExpressionInterval, DecimalLiteralsAreEnclosedExactly) {
  PrecisionScope scope(30);
  interval_real tenth = Expression::parse("0.1", "x").evaluate(test::sample_inputs<interval_real>());
  PrecisionScope high(60);
  mpfr_real exact("0.1");
  EXPECT_LE(lower_of(tenth), exact);
  EXPECT_GE(upper_of(tenth), exact);
  EXPECT_LT(lower_of(tenth), upper_of(tenth));  // 0.1 is not binary: a proper interval
}

// ---- UserBound ----

UserBoundSpec rigorous_spec() {
  UserBoundSpec s;
  s.field = "bound[0]";
  s.id = "half-chain-rule";
  s.citation = "deliberately wrong";
  s.kind = BoundKind::rigorous;
  s.metric = Metric::KL;
  s.expr = "0.5 * (E_T + D_T + B_T)";
  return s;
}

TEST(UserBound, RigorousBoundDescribesAndEvaluatesItself) {
  UserBound b(rigorous_spec());
  EXPECT_EQ(b.id(), "half-chain-rule");
  EXPECT_EQ(b.info().provenance, Provenance::user);
  EXPECT_EQ(b.info().measured, Measured::kl);
  EXPECT_EQ(b.info().needs, (std::vector<Variable>{Variable::E_T, Variable::D_T, Variable::B_T}));
  EXPECT_NEAR(b.evaluate(test::sample_inputs<double>()), 0.0117, 1e-16);
  EXPECT_THROW(b.shape(test::sample_inputs<double>()), std::logic_error);
  PrecisionScope scope(30);
  interval_real iv = b.evaluate(test::sample_inputs<interval_real>());
  EXPECT_LE(lower_of(iv), mpfr_real("0.0117"));
  EXPECT_GE(upper_of(iv), mpfr_real("0.0117"));
}

TEST(UserBound, RateClaimHasShapeAndSweep) {
  UserBoundSpec s;
  s.field = "bound[1]";
  s.id = "my-rate";
  s.kind = BoundKind::rate;
  s.metric = Metric::TV;
  s.shape = "d * log(T) / T";
  s.swept = {SweepVariable::T};
  UserBound b(s);
  EXPECT_EQ(b.info().measured, Measured::tv);
  EXPECT_EQ(b.info().shape, "d * log(T) / T");
  double expected = 4 * std::log(100.0) / 100;
  EXPECT_NEAR(b.shape(test::sample_inputs<double>()), expected, 1e-16);
  EXPECT_NEAR(b.evaluate(test::sample_inputs<double>()), expected, 1e-16);  // expr defaults to shape
}

TEST(UserBound, BadSpecsNameTheField) {
  auto field_of = [](const UserBoundSpec& s) {
    try {
      UserBound b(s);
    } catch (const InputError& e) {
      return e.field();
    }
    return std::string("no error");
  };
  UserBoundSpec s = rigorous_spec();
  s.expr = "E_T + Q";
  EXPECT_EQ(field_of(s), "bound[0].expr");
  s = rigorous_spec();
  s.shape = "1/T";
  EXPECT_EQ(field_of(s), "bound[0].shape");
  s = rigorous_spec();
  s.kind = BoundKind::rate;
  s.shape = "";
  EXPECT_EQ(field_of(s), "bound[0].shape");
  s.shape = "1 / T";
  EXPECT_EQ(field_of(s), "bound[0].swept");
  s.swept = {SweepVariable::T};
  s.shape = "1 / T +";
  EXPECT_EQ(field_of(s), "bound[0].shape");
  s = rigorous_spec();
  s.id = "";
  EXPECT_EQ(field_of(s), "bound[0].id");
}

TEST(BoundEnums, ParsersAcceptTheDocumentedNamesAndNameTheField) {
  EXPECT_EQ(parse_bound_kind("k", "rate"), BoundKind::rate);
  EXPECT_EQ(parse_metric("m", "TV"), Metric::TV);
  EXPECT_EQ(parse_measured("m", "E_T"), Measured::E_T);
  EXPECT_EQ(parse_sweep_variable("s", "kappa"), SweepVariable::kappa);
  try {
    parse_bound_kind("bound[4].kind", "exact");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "bound[4].kind");
    EXPECT_NE(std::string(e.what()).find("rigorous, rate"), std::string::npos);
  }
}

}  // namespace
}  // namespace diffbound
