// `gridmeter synth` → `gridmeter meter` / `gridmeter run --input` end to end: a recording with
// analytically known energy, metered through the files, the readers and the engine.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli.hpp"
#include "store/store.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::app {
namespace {

using Outcome = testing::CliOutcome;

Outcome run(std::vector<std::string> arguments) { return testing::run_cli(std::move(arguments)); }

TEST(MeterCommand, MetersASynthesisedRecordingToItsAnalyticEnergy) {
  testing::TempDir dir;
  const std::string cfg = dir.file("load.cfg");
  // Three phases, 230 V, 5 A at 60° lagging (PF 0.5 inductive), 4 s.
  const Outcome synth = run({"synth", "--out", cfg, "--connection", "3p4w", "--duration", "4",
                             "--current", "5", "--angle", "-60"});
  ASSERT_EQ(synth.code, 0) << synth.err;
  const Outcome metered = run({"meter", "--input", cfg, "--json"});
  ASSERT_EQ(metered.code, 0) << metered.err;
  const auto document = nlohmann::json::parse(metered.out);
  EXPECT_EQ(document["input"], cfg);
  EXPECT_EQ(document["connection"], "3p4w");
  // The engine meters up to the middle of the last sample: 4 s - 62.5 µs.
  const double seconds = 4.0 - 0.5 / 8000.0;
  const double active_mwh = 3 * 230.0 * 5.0 * 0.5 * seconds / 3.6;
  const double reactive_mvarh = 3 * 230.0 * 5.0 * std::sin(M_PI / 3) * seconds / 3.6;
  const auto& registers = document["registers"];
  EXPECT_EQ(registers["1-0:1.8.0.255"]["scaler"], -3);
  EXPECT_NEAR(registers["1-0:1.8.0.255"]["value"].get<double>(), active_mwh,
              active_mwh * 2e-4 + 1.0);
  EXPECT_NEAR(registers["1-0:3.8.0.255"]["value"].get<double>(), reactive_mvarh,
              reactive_mvarh * 5e-4 + 1.0);
  EXPECT_NEAR(registers["1-0:5.8.0.255"]["value"].get<double>(), reactive_mvarh,
              reactive_mvarh * 5e-4 + 1.0);
  EXPECT_EQ(registers["1-0:2.8.0.255"]["value"], 0);
  EXPECT_EQ(registers["1-0:4.8.0.255"]["value"], 0);
  // Four seconds of summaries, each with the three phases' values.
  const auto& summary = document["summary"];
  ASSERT_EQ(summary.size(), 4U);
  for (const auto& second : summary) {
    ASSERT_EQ(second["phases"].size(), 3U);
    EXPECT_NEAR(second["phases"][1]["voltage_v"].get<double>(), 230.0, 230.0 * 2e-4);
    EXPECT_NEAR(second["phases"][1]["current_a"].get<double>(), 5.0, 5.0 * 5e-4);
    EXPECT_NEAR(second["phases"][2]["power_factor"].get<double>(), 0.5, 1e-3);
    EXPECT_NEAR(second["frequency_hz"].get<double>(), 50.0, 0.002);
  }
  EXPECT_FALSE(document.contains("measurements"));
}

TEST(MeterCommand, MeasurementsListEveryInterval) {
  testing::TempDir dir;
  const std::string cfg = dir.file("short.cfg");
  ASSERT_EQ(run({"synth", "--out", cfg, "--duration", "1"}).code, 0);
  const Outcome metered = run({"meter", "--input", cfg, "--json", "--measurements"});
  ASSERT_EQ(metered.code, 0) << metered.err;
  const auto document = nlohmann::json::parse(metered.out);
  const auto& measurements = document["measurements"];
  ASSERT_EQ(measurements.size(), document["period"]["measurement_intervals"].get<std::size_t>());
  ASSERT_GE(measurements.size(), 4U);
  EXPECT_EQ(measurements[1]["duration_us"], 200000);  // 10 cycles at 50 Hz
  EXPECT_EQ(measurements[1]["phases"].size(), 1U);
  const Outcome table = run({"meter", "--input", cfg, "--measurements"});
  ASSERT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("measurement intervals"), std::string::npos);
  EXPECT_NE(table.out.find("per second"), std::string::npos);
}

TEST(MeterCommand, RefusesMissingAndUnknownInputsClearly) {
  testing::TempDir dir;
  const Outcome missing = run({"meter", "--input", dir.file("absent.cfg")});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("absent.cfg"), std::string::npos) << missing.err;
  const Outcome unknown = run({"meter", "--input", dir.file("notes.txt")});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("notes.txt"), std::string::npos) << unknown.err;
  const Outcome connection = run({"meter", "--input", "x.wav", "--connection", "4p"});
  EXPECT_EQ(connection.code, 1);
  EXPECT_NE(connection.err.find("--connection"), std::string::npos) << connection.err;
  const Outcome frequency = run({"meter", "--input", "x.wav", "--frequency", "55"});
  EXPECT_NE(frequency.err.find("--frequency"), std::string::npos) << frequency.err;
  const Outcome synth = run({"synth", "--out", dir.file("x.cfg"), "--event", "dip:1"});
  EXPECT_EQ(synth.code, 2);
  EXPECT_NE(synth.err.find("--event 'dip:1'"), std::string::npos) << synth.err;
}

TEST(RunCommand, LiveMeterFedFromARecording) {
  testing::TempDir dir;
  const std::string cfg = dir.file("feed.cfg");
  const std::string store_path = dir.file("live.db");
  ASSERT_EQ(run({"synth", "--out", cfg, "--duration", "3", "--current", "10"}).code, 0);
  // Played at 30 times real time: 0.1 s of wall time.
  // Any free port: tests run side by side, and 4059 may be taken.
  const Outcome live = run(
      {"run", "--input", cfg, "--speed", "30", "--store", store_path, "--listen", "127.0.0.1:0"});
  ASSERT_EQ(live.code, 0) << live.err;
  auto store = store::Store::open(store_path, {});
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_TRUE((*loaded)->clean_shutdown);
  EXPECT_TRUE((*loaded)->source.scenario.empty());  // a waveform-fed meter
  // 2300 W for 3 s = 1.9167 Wh, registered to the µWh.
  EXPECT_NEAR((*loaded)->meter.energy.total[EnergyKind::active_import].watt_hours_exact(),
              2300.0 * (3.0 - 0.5 / 8000.0) / 3600.0, 2300.0 * 3.0 / 3600.0 * 2e-4);
  // The store now belongs to a waveform-fed meter: a scenario cannot continue it.
  const Outcome scenario = run({"run", "--store", store_path, "--duration", "0.1"});
  EXPECT_EQ(scenario.code, 1);
  EXPECT_NE(scenario.err.find("fed by waveforms"), std::string::npos) << scenario.err;
}

}  // namespace
}  // namespace gridmeter::app
