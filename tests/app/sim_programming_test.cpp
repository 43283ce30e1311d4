// `gridmeter sim` with a programming file, exports and actions, end to end.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::app {
namespace {

using Outcome = testing::CliOutcome;

Outcome run(std::vector<std::string> arguments) { return testing::run_cli(std::move(arguments)); }

std::string read(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);)
    result.push_back(line);
  return result;
}

std::string write(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

std::int64_t value(const nlohmann::json& document, const char* obis) {
  return document["registers"][obis]["value"].get<std::int64_t>();
}

TEST(SimProgramming, AFlatTariffFromTheConfigGetsAllTheEnergy) {
  testing::TempDir dir;
  const std::string config = write(dir, "flat.toml", R"toml(
[tariffs]
4 = "flat"

[calendar]
name = "flat"

[[calendar.season]]
name = "all-year"
start = "01-01"
week = "every-day"

[[calendar.week]]
name = "every-day"
monday = "flat"
tuesday = "flat"
wednesday = "flat"
thursday = "flat"
friday = "flat"
saturday = "flat"
sunday = "flat"

[[calendar.day]]
name = "flat"
switches = [ { time = "00:00", tariff = 4 } ]

[demand]
period = 30
)toml");
  const Outcome outcome = run({"sim", "--days", "2", "--config", config, "--json"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  const auto document = nlohmann::json::parse(outcome.out);
  EXPECT_EQ(value(document, "1-0:1.8.4.255"), value(document, "1-0:1.8.0.255"));
  EXPECT_EQ(value(document, "1-0:1.8.1.255"), 0);
  EXPECT_EQ(document["meter"]["active_tariff"], 4);
  // 30-minute demand: the last average closed at the end of the run.
  EXPECT_EQ(document["demand"]["1-0:1.5.0.255"]["time"], "2026-01-03T00:00:00+01:00");
  EXPECT_GT(document["demand"]["1-0:1.6.4.255"]["value"].get<std::int64_t>(), 0);
}

TEST(SimProgramming, TheDefaultCalendarSplitsDayNightAndWeekend) {
  // 2026-01-05 is a Monday: a week holds all three tariffs, which add up to the total.
  const Outcome outcome = run({"sim", "--days", "7", "--start", "2026-01-05", "--json"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  const auto document = nlohmann::json::parse(outcome.out);
  const std::int64_t day = value(document, "1-0:1.8.1.255");
  const std::int64_t night = value(document, "1-0:1.8.2.255");
  const std::int64_t weekend = value(document, "1-0:1.8.3.255");
  EXPECT_GT(day, 0);
  EXPECT_GT(night, 0);
  EXPECT_GT(weekend, 0);
  // Whole-Wh readings truncate each register: the sum is within one Wh per tariff.
  const std::int64_t total = value(document, "1-0:1.8.0.255");
  EXPECT_LE(day + night + weekend, total);
  EXPECT_GE(day + night + weekend, total - 3);
}

TEST(SimProgramming, ExportsTheLoadProfileAsCsvAndJson) {
  testing::TempDir dir;
  const std::string csv = dir.file("lp.csv");
  const std::string json = dir.file("lp.json");
  const Outcome outcome = run({"sim", "--days", "1", "--json", "--export", "1-0:99.1.0.255=" + csv,
                               "--export", "99.1.0=" + json});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  const auto document = nlohmann::json::parse(outcome.out);
  const std::vector<std::string> rows = lines(read(csv));
  ASSERT_EQ(rows.size(), 97U);
  EXPECT_EQ(rows[0],
            "0-0:1.0.0.255:2,0-0:96.10.1.255:2,1-0:1.8.0.255:2 [Wh],1-0:2.8.0.255:2 [Wh],"
            "1-0:3.8.0.255:2 [varh],1-0:4.8.0.255:2 [varh]");
  EXPECT_EQ(rows[1].substr(0, 28), "2026-01-01T00:15:00+01:00,0,");
  EXPECT_EQ(rows[96], "2026-01-02T00:00:00+01:00,0," +
                          std::to_string(value(document, "1-0:1.8.0.255")) + ",0," +
                          std::to_string(value(document, "1-0:3.8.0.255")) + "," +
                          std::to_string(value(document, "1-0:4.8.0.255")));
  const auto profile = nlohmann::json::parse(read(json));
  EXPECT_EQ(profile["obis"], "1-0:99.1.0.255");
  EXPECT_EQ(profile["capture_period_s"], 900);
  EXPECT_EQ(profile["entries"].size(), 96U);
  EXPECT_EQ(profile["columns"][2]["unit"], "Wh");
  EXPECT_EQ(profile["entries"][95][2], value(document, "1-0:1.8.0.255"));
}

TEST(SimProgramming, ExportRefusesAProfileTheMeterDoesNotKeep) {
  testing::TempDir dir;
  const Outcome outcome =
      run({"sim", "--days", "0.1", "--export", "1-0:99.2.0.255=" + dir.file("x.csv")});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_NE(outcome.err.find("keeps no profile 1-0:99.2.0.255"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("0-0:99.98.0.255"), std::string::npos) << outcome.err;
  const Outcome extension = run({"sim", "--days", "0.1", "--export", "99.1.0=lp.xlsx"});
  EXPECT_EQ(extension.code, 2);
  EXPECT_NE(extension.err.find(".csv or .json"), std::string::npos) << extension.err;
}

TEST(SimProgramming, ABadConfigFileIsAClearError) {
  testing::TempDir dir;
  const std::string config = write(dir, "bad.toml", "[load_profile]\nperiod = 20\n");
  const Outcome outcome = run({"sim", "--days", "1", "--config", config});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_NE(outcome.err.find("bad.toml"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("load_profile.period"), std::string::npos) << outcome.err;
  const Outcome missing = run({"sim", "--days", "1", "--config", dir.file("nowhere.toml")});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("nowhere.toml"), std::string::npos) << missing.err;
}

TEST(SimProgramming, TheStoreKeepsTheProgrammingAndTheProfiles) {
  testing::TempDir dir;
  const std::string config = write(dir, "hourly.toml", "[load_profile]\nperiod = 60\n");
  const std::string store = dir.file("meter.db");
  const std::string split_csv = dir.file("split.csv");
  const std::string whole_csv = dir.file("whole.csv");
  ASSERT_EQ(run({"sim", "--days", "1.5", "--config", config, "--store", store}).code, 0);
  // The second run has no --config: the store's programming (hourly) goes on.
  const Outcome second =
      run({"sim", "--days", "1.5", "--store", store, "--json", "--export", "99.1.0=" + split_csv});
  ASSERT_EQ(second.code, 0) << second.err;
  const Outcome whole =
      run({"sim", "--days", "3", "--config", config, "--json", "--export", "99.1.0=" + whole_csv});
  ASSERT_EQ(whole.code, 0) << whole.err;
  EXPECT_EQ(read(split_csv), read(whole_csv));
  EXPECT_EQ(lines(read(whole_csv)).size(), 73U);  // header + 72 hours
  const auto resumed = nlohmann::json::parse(second.out);
  const auto uninterrupted = nlohmann::json::parse(whole.out);
  EXPECT_EQ(resumed["registers"], uninterrupted["registers"]);
  EXPECT_EQ(resumed["demand"], uninterrupted["demand"]);
  EXPECT_EQ(resumed["profiles"], uninterrupted["profiles"]);
}

TEST(SimProgramming, ActionsShiftTheClockAndCutTheSupply) {
  testing::TempDir dir;
  const std::string events = dir.file("events.csv");
  const std::string profile = dir.file("lp.csv");
  const Outcome outcome =
      run({"sim", "--days", "1", "--action", "2026-01-01T10:07=shift:-600", "--action",
           "2026-01-01T15:00=outage:45", "--export", "0-0:99.98.0.255=" + events, "--export",
           "99.1.0=" + profile, "--json"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_EQ(
      lines(read(events)),
      (std::vector<std::string>{"0-0:1.0.0.255:2,0-0:96.11.0.255:2", "2026-01-01T10:07:00+01:00,4",
                                "2026-01-01T09:57:00+01:00,5", "2026-01-01T14:50:00+01:00,1",
                                "2026-01-01T15:35:00+01:00,2"}));
  const std::string lp = read(profile);
  // After the shift back the clock passes 10:00 again: no second entry.
  EXPECT_EQ(lp.find("2026-01-01T10:00:00+01:00"), lp.rfind("2026-01-01T10:00:00+01:00"));
  EXPECT_NE(lp.find("2026-01-01T10:15:00+01:00,36,"), std::string::npos) << lp;  // CAD | DNV
  EXPECT_EQ(lp.find("2026-01-01T15:00:00+01:00"), std::string::npos);  // inside the outage
  EXPECT_NE(lp.find("2026-01-01T14:45:00+01:00,0,"), std::string::npos);
  EXPECT_NE(lp.find("2026-01-01T15:45:00+01:00,132,"), std::string::npos) << lp;  // PDN | DNV
  const auto document = nlohmann::json::parse(outcome.out);
  EXPECT_EQ(document["meter"]["power_failures"], 1);
  EXPECT_EQ(document["meter"]["clock"], "2026-01-01T23:50:00+01:00");
}

TEST(SimProgramming, AStoreNotClosedCleanlyLogsPowerDownAndUp) {
  testing::TempDir dir;
  const std::string store = dir.file("meter.db");
  const std::string events = dir.file("events.csv");
  ASSERT_EQ(run({"sim", "--days", "0.5", "--store", store}).code, 0);
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(store.c_str(), &database), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(database, "UPDATE meter SET clean_shutdown = 0", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(database);
  ASSERT_EQ(
      run({"sim", "--days", "0.5", "--store", store, "--export", "0-0:99.98.0.255=" + events}).code,
      0);
  EXPECT_EQ(lines(read(events)), (std::vector<std::string>{"0-0:1.0.0.255:2,0-0:96.11.0.255:2",
                                                           "2026-01-01T12:00:00+01:00,1",
                                                           "2026-01-01T12:00:00+01:00,2"}));
}

}  // namespace
}  // namespace gridmeter::app
