// Supply control survives a crash: `gridmeter sim --store` with prepayment, a limiter, top-ups,
// button presses and a cover opened is killed with SIGKILL at random instants; after each kill
// the store holds exactly the state an uninterrupted meter had at the saved time, breaker,
// credit, token memory, pulse train and logs included, and a final clean run ends on the very
// state of the uninterrupted meter.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "app/sim_actions.hpp"
#include "app/sim_command.hpp"
#include "config/meter_config_file.hpp"
#include "meter/meter.hpp"
#include "sim/scenario.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter {
namespace {

constexpr const char* programming = R"([disconnector]
mode = 1
[limiter]
value = "p_total"
normal = 2500
min_over = 30
min_under = 60
[prepayment]
low_credit = 1
emergency_credit = 0.5
[tamper]
disconnect = ["meter_cover"]
[pulse_output]
constant = 2000
)";

const std::vector<std::string> actions{
    "2026-01-01T00:00:10=topup:1:3",     "2026-01-01T00:00:20=button",
    "2026-01-01T09:00=topup:2:4.5",      "2026-01-01T09:00:05=button",
    "2026-01-01T13:00=meter-cover:open", "2026-01-01T13:30=reconnect",
    "2026-01-01T13:31=button",           "2026-01-01T18:00=emergency-credit",
    "2026-01-01T18:00:01=button",        "2026-01-02T02:00=topup:3:10",
    "2026-01-02T02:00:01=button",        "2026-01-02T02:00:02=topup:2:1"};

pid_t start_sim(const std::string& store_path, const std::string& config_path, const char* days) {
  std::vector<std::string> arguments{GRIDMETER_BINARY, "sim",      "--scenario", "household",
                                     "--seed",         "7",        "--days",     days,
                                     "--store",        store_path, "--config",   config_path};
  for (const std::string& action : actions) {
    arguments.push_back("--action");
    arguments.push_back(action);
  }
  const pid_t child = fork();
  if (child == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    std::vector<char*> argv;
    for (std::string& argument : arguments)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    execv(GRIDMETER_BINARY, argv.data());
    _exit(127);
  }
  return child;
}

// The uninterrupted meter: the same household, programming and actions, applied as
// `gridmeter sim` applies them (at interval boundaries, the household behind the breaker).
class ReferenceMeter {
 public:
  explicit ReferenceMeter(const MeterConfig& config) : plan_(parsed_actions()) {
    auto made = sim::make_scenario({.name = "household", .seed = 7});
    EXPECT_TRUE(made);
    scenario_ = std::move(*made);
    meter_ = std::make_unique<Meter>(scenario_->connection(),
                                     app::default_sim_start(TimeZone::central_europe()), config);
  }
  const MeterState& at(UtcMicros time) {
    Measurement m;
    for (UtcMicros t = meter_->state().time_utc_us; t < time; t = meter_->state().time_utc_us) {
      t = plan_.apply_due(t, *meter_, {});
      scenario_->measure(t, m);
      meter_->apply_breaker(m);
      meter_->advance(m);
    }
    return meter_->state();
  }

 private:
  static std::vector<app::SimAction> parsed_actions() {
    std::vector<app::SimAction> parsed;
    for (const std::string& text : actions) {
      auto action = app::parse_sim_action(text, TimeZone::central_europe());
      EXPECT_TRUE(action) << text;
      if (action) parsed.push_back(*action);
    }
    return parsed;
  }

  app::SimActionPlan plan_;
  std::unique_ptr<sim::Scenario> scenario_;
  std::unique_ptr<Meter> meter_;
};

TEST(SupplyCrashSafety, SigkillLeavesTheSupplyStateOfOneInstant) {
  testing::TempDir dir;
  const std::string store_path = dir.file("meter.db");
  const std::string config_path = dir.file("meter.toml");
  std::ofstream(config_path) << programming;
  auto config = config::parse_meter_config(programming, "meter.toml");
  ASSERT_TRUE(config) << config.error().message;
  const unsigned seed = static_cast<unsigned>(std::random_device{}());
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(30, 300);
  SCOPED_TRACE("random seed " + std::to_string(seed));

  ReferenceMeter reference(*config);
  int saved_rounds = 0;
  for (int round = 0; round < 8; ++round) {
    const pid_t child = start_sim(store_path, config_path, "3");
    ASSERT_GT(child, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    auto store = store::Store::open(store_path, {});
    ASSERT_TRUE(store) << "round " << round << ": " << store.error().message;
    auto loaded = store->load();
    ASSERT_TRUE(loaded) << "round " << round << ": " << loaded.error().message;
    if (!loaded->has_value()) continue;
    ++saved_rounds;
    MeterState saved = (*loaded)->meter;
    const MeterState& expected = reference.at(saved.time_utc_us);
    ASSERT_EQ(saved.time_utc_us, expected.time_utc_us) << "round " << round;
    EXPECT_EQ(saved.energy, expected.energy) << "round " << round;
    EXPECT_EQ(saved.supply, expected.supply) << "round " << round;
    EXPECT_EQ(saved.disconnector_events, expected.disconnector_events) << "round " << round;
    EXPECT_EQ(saved.token_log, expected.token_log) << "round " << round;
    EXPECT_EQ(saved.fraud_events, expected.fraud_events) << "round " << round;
  }
  EXPECT_GE(saved_rounds, 1);

  // A clean run to the end: the state of the meter that never stopped (but for the power
  // failures the kills recorded, which the reference did not have).
  const pid_t child = start_sim(store_path, config_path, "3");
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto loaded = store::Store::open(store_path, {})->load();
  ASSERT_TRUE(loaded && loaded->has_value());
  const MeterState& final_state = (*loaded)->meter;
  const MeterState& expected = reference.at(final_state.time_utc_us);
  EXPECT_EQ(final_state.energy, expected.energy);
  EXPECT_EQ(final_state.supply, expected.supply);
  EXPECT_EQ(final_state.disconnector_events, expected.disconnector_events);
  EXPECT_EQ(final_state.token_log, expected.token_log);
  // The run really went through the supply control: credit bought and used, the supply opened.
  EXPECT_EQ(final_state.supply.prepayment.top_up_count, 3U);
  EXPECT_GE(final_state.disconnector_events.size(), 8U);
  EXPECT_GT(final_state.supply.pulse_output.emitted, 1000U);
}

}  // namespace
}  // namespace gridmeter
