// Schedules (docs/math.md#forward-process): closed forms checked term by term, 1 - alpha_bar accuracy, rejection of bad betas.
#include "numerics/input_error.hpp"
#include "numerics/schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace diffbound;

TEST(Schedule, EtcMatchesDefinition) {
  ScheduleSpec s;
  s.kind = ScheduleKind::etc;
  s.steps = 50;
  auto sch = make_schedule<double>(s);
  const double rate = 4 * std::log(50.0) / 50;
  EXPECT_DOUBLE_EQ(sch.beta[1], 1e-3);
  for (int t = 2; t <= 50; ++t) EXPECT_NEAR(sch.beta[t], rate * std::min(1e-3 * std::pow(1 + rate, t), 1.0), 1e-15) << t;
}

TEST(Schedule, LinearEndpointsAtT1000) {
  ScheduleSpec s;
  s.kind = ScheduleKind::linear;
  s.steps = 1000;
  auto sch = make_schedule<double>(s);
  EXPECT_NEAR(sch.beta[1], 1e-4, 1e-18);
  EXPECT_NEAR(sch.beta[1000], 0.02, 1e-16);
}

TEST(Schedule, CosineMatchesRatioOfF) {
  // Reference: alpha_bar_t = f(t)/f(0) directly at 60 digits (the engine uses a sin-product form).
  PrecisionScope p(60);
  ScheduleSpec s;
  s.kind = ScheduleKind::cosine;
  s.steps = 100;
  auto sch = make_schedule<mpfr_real>(s);
  const mpfr_real off("0.008"), pi = boost::math::constants::pi<mpfr_real>();
  auto f = [&](int u) { mpfr_real c = cos((mpfr_real(u) / 100 + off) / (1 + off) * pi / 2); return c * c; };
  for (int t = 1; t <= 99; ++t) {  // beta_100 is clipped at 0.999
    mpfr_real expected = f(t) / f(0);
    EXPECT_LT(abs(sch.alpha_bar[t] / expected - 1), mpfr_real("1e-55")) << t;
  }
  EXPECT_EQ(sch.beta[100], mpfr_real("0.999"));
}

TEST(Schedule, OneMinusAlphaBarKeepsRelativeAccuracy) {
  ScheduleSpec s;
  s.kind = ScheduleKind::constant;
  s.eta = "1e-9";
  s.steps = 3;
  auto d = make_schedule<double>(s);
  // 1 - (1 - 1e-9)^t = t e-9 - ... ; naive 1 - alpha_bar in double would be off in the 8th digit
  for (int t = 1; t <= 3; ++t) {
    const double exact = -std::expm1(t * std::log1p(-1e-9));
    EXPECT_NEAR(d.one_minus_alpha_bar[t] / exact, 1.0, 1e-15);
  }
}

TEST(Schedule, IntervalEnclosesMpfr) {
  PrecisionScope p(40);
  for (auto kind : {ScheduleKind::etc, ScheduleKind::linear, ScheduleKind::cosine}) {
    ScheduleSpec s;
    s.kind = kind;
    s.steps = 200;
    auto m = make_schedule<mpfr_real>(s);
    auto i = make_schedule<interval_real>(s);
    for (int t = 1; t <= 200; t += 7) {
      EXPECT_LE(lower_of(i.alpha_bar[t]), m.alpha_bar[t]);
      EXPECT_GE(upper_of(i.alpha_bar[t]), m.alpha_bar[t]);
    }
  }
}

TEST(Schedule, RejectsBetaOutsideUnitInterval) {
  ScheduleSpec lin;
  lin.kind = ScheduleKind::linear;
  lin.steps = 20;  // beta_20 = 20/20 = 1
  try {
    make_schedule<double>(lin);
    FAIL() << "linear with T = 20 must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("beta_20"), std::string::npos) << e.what();
  }
  ScheduleSpec table;
  table.kind = ScheduleKind::table;
  table.steps = 3;
  table.betas = {"0.1", "1.5", "0.2"};
  try {
    make_schedule<double>(table);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "schedule.betas[1]");
  }
  ScheduleSpec c;
  c.kind = ScheduleKind::constant;
  c.steps = 2;
  for (const char* bad : {"0", "-0.1", "1", "nan"}) {
    c.eta = bad;
    EXPECT_THROW(make_schedule<double>(c), InputError) << bad;
  }
  c.eta = "0.5";
  c.steps = 0;
  EXPECT_THROW(make_schedule<double>(c), InputError);
}
