#include "app/cli.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::app {
namespace {

using Outcome = testing::CliOutcome;

Outcome run(std::vector<std::string> arguments) { return testing::run_cli(std::move(arguments)); }

struct BadArguments {
  std::vector<std::string> arguments;
  int code;
  const char* message_part;
};

class CommandLineRejects : public ::testing::TestWithParam<BadArguments> {};

TEST_P(CommandLineRejects, WithAClearMessage) {
  const Outcome outcome = run(GetParam().arguments);
  EXPECT_EQ(outcome.code, GetParam().code) << outcome.err;
  EXPECT_NE(outcome.err.find(GetParam().message_part), std::string::npos) << outcome.err;
  EXPECT_TRUE(outcome.out.empty()) << outcome.out;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, CommandLineRejects,
    ::testing::Values(
        BadArguments{{}, exit_usage, "subcommand"}, BadArguments{{"fly"}, exit_usage, "fly"},
        BadArguments{{"sim"}, exit_usage, "--days is required"},
        BadArguments{{"sim", "--days", "-1"}, exit_usage, "--days"},
        BadArguments{{"sim", "--days", "0"}, exit_usage, "--days"},
        BadArguments{{"sim", "--days", "ten"}, exit_usage, "--days"},
        BadArguments{{"sim", "--days", "1", "--seed", "-5"}, exit_usage, "--seed"},
        BadArguments{{"sim", "--days", "1", "--colour"}, exit_usage, "--colour"},
        BadArguments{{"sim", "--days", "1", "--scenario", "mansion"}, 1, "household-pv"},
        BadArguments{{"sim", "--days", "1", "--start", "2026-02-30"}, exit_usage, "--start"},
        BadArguments{{"sim", "--days", "1", "--start", "yesterday"}, exit_usage, "--start"},
        BadArguments{
            {"sim", "--days", "1", "--time-zone", "Mars/Olympus"}, exit_usage, "Mars/Olympus"},
        BadArguments{{"sim", "--days", "1", "--export", "lp.csv"}, exit_usage, "OBIS=FILE"},
        BadArguments{
            {"sim", "--days", "1", "--export", "1.2.3.4.5.6.7=lp.csv"}, exit_usage, "--export"},
        BadArguments{
            {"sim", "--days", "1", "--action", "2026-01-01=teleport"}, exit_usage, "--action"},
        BadArguments{{"sim", "--days", "1", "--action", "noon=billing-reset"},
                     exit_usage,
                     "--action 'noon=billing-reset'"},
        BadArguments{{"sim", "--days", "1", "--config", "/nonexistent/meter.toml"},
                     exit_usage,
                     "/nonexistent/meter.toml"},
        BadArguments{{"run", "--speed", "0"}, exit_usage, "--speed"},
        BadArguments{{"run", "--speed", "fast"}, exit_usage, "--speed"},
        BadArguments{{"run", "--duration", "-3"}, exit_usage, "--duration"}),
    [](const ::testing::TestParamInfo<BadArguments>& param) {
      std::string name = "case" + std::to_string(param.index);
      for (const std::string& argument : param.param.arguments) {
        for (char c : argument)
          name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      }
      return name;
    });

TEST(CommandLine, HelpAndVersionSucceed) {
  const Outcome help = run({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("sim"), std::string::npos);
  const Outcome version = run({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_NE(version.out.find("gridmeter"), std::string::npos);
}

TEST(CommandLine, SimPrintsJsonKeyedByObis) {
  const Outcome outcome = run({"sim", "--days", "1", "--json"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  const auto document = nlohmann::json::parse(outcome.out);
  EXPECT_EQ(document["scenario"], "household");
  EXPECT_EQ(document["seed"], 1);
  EXPECT_EQ(document["connection"], "1p2w");
  EXPECT_EQ(document["period"]["start"], "2026-01-01T00:00:00+01:00");
  EXPECT_EQ(document["period"]["end"], "2026-01-02T00:00:00+01:00");
  EXPECT_EQ(document["period"]["measurement_intervals"], 432000);
  const auto& a_plus = document["registers"]["1-0:1.8.0.255"];
  EXPECT_EQ(a_plus["unit"], "Wh");
  EXPECT_EQ(a_plus["scaler"], 0);
  EXPECT_GT(a_plus["value"].get<std::int64_t>(), 1000);  // a day of a household
  EXPECT_EQ(a_plus["value"], document["registers"]["1-0:21.8.0.255"]["value"]);
}

TEST(CommandLine, SimTableNamesEveryRegister) {
  const Outcome outcome = run({"sim", "--days", "0.1", "--scenario", "household-3ph"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  for (const char* code : {"1-0:1.8.0.255", "1-0:16.8.0.255", "1-0:41.8.0.255", "1-0:70.8.0.255"}) {
    EXPECT_NE(outcome.out.find(code), std::string::npos) << code;
  }
}

TEST(CommandLine, TwoRunsOfTenDaysEqualOneRunOfTwenty) {
  testing::TempDir dir;
  const std::string store = dir.file("meter.db");
  const Outcome first =
      run({"sim", "--scenario", "household-pv", "--days", "10", "--store", store, "--json"});
  ASSERT_EQ(first.code, 0) << first.err;
  const Outcome second = run({"sim", "--days", "10", "--store", store, "--json"});
  ASSERT_EQ(second.code, 0) << second.err;
  const Outcome whole = run({"sim", "--scenario", "household-pv", "--days", "20", "--json"});
  ASSERT_EQ(whole.code, 0) << whole.err;
  const auto resumed = nlohmann::json::parse(second.out);
  const auto uninterrupted = nlohmann::json::parse(whole.out);
  EXPECT_EQ(resumed["scenario"], "household-pv");  // taken from the store
  EXPECT_EQ(resumed["registers"], uninterrupted["registers"]);
  EXPECT_EQ(resumed["meter"], uninterrupted["meter"]);
  EXPECT_EQ(resumed["period"]["start"], "2026-01-11T00:00:00+01:00");
  EXPECT_GT(uninterrupted["registers"]["1-0:2.8.0.255"]["value"].get<std::int64_t>(), 0);
}

TEST(CommandLine, StoreRefusesAnotherScenarioOrSeed) {
  testing::TempDir dir;
  const std::string store = dir.file("meter.db");
  ASSERT_EQ(run({"sim", "--days", "0.01", "--store", store}).code, 0);
  const Outcome scenario =
      run({"sim", "--days", "0.01", "--store", store, "--scenario", "household-pv"});
  EXPECT_EQ(scenario.code, 1);
  EXPECT_NE(scenario.err.find("cannot continue it with 'household-pv'"), std::string::npos)
      << scenario.err;
  const Outcome seed = run({"sim", "--days", "0.01", "--store", store, "--seed", "9"});
  EXPECT_EQ(seed.code, 1);
  EXPECT_NE(seed.err.find("seed 9"), std::string::npos) << seed.err;
}

TEST(CommandLine, StartIsLocalMeterTime) {
  const Outcome outcome = run({"sim", "--days", "0.5", "--start", "2026-06-01T06:00", "--json"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  const auto document = nlohmann::json::parse(outcome.out);
  EXPECT_EQ(document["period"]["start"], "2026-06-01T06:00:00+02:00");
  EXPECT_EQ(document["period"]["end"], "2026-06-01T18:00:00+02:00");
}

TEST(CommandLine, RunMetersInRealTimeAndStopsCleanly) {
  testing::TempDir dir;
  const std::string store = dir.file("live.db");
  // Any free port: tests run side by side, and 4059 may be taken.
  const Outcome outcome = run(
      {"run", "--speed", "600", "--duration", "2.2", "--store", store, "--listen", "127.0.0.1:0"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  // Two status lines, one a second, each with the three columns the issue names.
  EXPECT_NE(outcome.out.find("| L1 "), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find(" V "), std::string::npos);
  EXPECT_NE(outcome.out.find("A+ "), std::string::npos);
  EXPECT_NE(outcome.out.find("A- "), std::string::npos);
  EXPECT_GE(std::count(outcome.out.begin(), outcome.out.end(), '\n'), 2);
  // 2.2 s at 600 times real time is 22 minutes of meter time: 6,600 intervals of 200 ms,
  // all flushed to the store, which is marked as cleanly closed.
  auto opened = store::Store::open(store, {});
  ASSERT_TRUE(opened);
  auto loaded = opened->load();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_TRUE((*loaded)->clean_shutdown);
  EXPECT_GE((*loaded)->meter.measurement_count, 6000U);
  EXPECT_LE((*loaded)->meter.measurement_count, 6700U);
  EXPECT_GT((*loaded)->meter.energy.total[EnergyKind::active_import].watt_hours(), 0U);
}

}  // namespace
}  // namespace gridmeter::app
