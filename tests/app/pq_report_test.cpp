// The command line's voltage-quality output: `gridmeter meter --input FILE --json` lists the
// recording's events (type, phases, start, duration_s, extreme_V); `--pq-report` adds the
// EN 50160 report, in the JSON or as a table; `gridmeter sim` does the same.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "app/vq_report.hpp"
#include "meter/meter.hpp"
#include "support/measurements.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::app {
namespace {

using Outcome = testing::CliOutcome;

Outcome run(std::vector<std::string> arguments) { return testing::run_cli(std::move(arguments)); }

TEST(PqReport, MeterListsTheEventsOfARecording) {
  testing::TempDir dir;
  const std::string cfg = dir.file("dip.cfg");
  const Outcome synth = run({"synth", "--out", cfg, "--connection", "3p4w", "--duration", "3",
                             "--sample-rate", "6400", "--start", "2026-03-02T10:00:00", "--event",
                             "dip:1.0:0.1:0.7", "--event", "swell:2.0:0.5:1.15"});
  ASSERT_EQ(synth.code, 0) << synth.err;
  const Outcome metered = run({"meter", "--input", cfg, "--json", "--pq-report"});
  ASSERT_EQ(metered.code, 0) << metered.err;
  const auto document = nlohmann::json::parse(metered.out);
  const auto& events = document["events"];
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0]["type"], "dip");
  EXPECT_EQ(events[0]["phases"], nlohmann::json::array({"L1", "L2", "L3"}));
  EXPECT_EQ(events[0]["start"].get<std::string>().substr(0, 19), "2026-03-02T10:00:00");
  EXPECT_NEAR(events[0]["duration_s"].get<double>(), 0.1, 0.01);
  EXPECT_NEAR(events[0]["extreme_V"].get<double>(), 161.0, 0.3);
  EXPECT_EQ(events[1]["type"], "swell");
  EXPECT_NEAR(events[1]["duration_s"].get<double>(), 0.5, 0.01);
  EXPECT_NEAR(events[1]["extreme_V"].get<double>(), 264.5, 0.5);
  const auto& report = document["pq_report"];
  EXPECT_EQ(report["declared_voltage_V"], 230.0);
  EXPECT_EQ(report["nominal_frequency_Hz"], 50.0);
  ASSERT_EQ(report["weeks"].size(), 2U);
  const auto& running = report["weeks"][1];
  EXPECT_EQ(running["week"], "running");
  EXPECT_EQ(running["start"], "2026-03-02T00:00:00+01:00");
  EXPECT_EQ(running["events"]["dips"], 1);
  EXPECT_EQ(running["events"]["swells"], 1);
  // The dip of 70 % for 100 ms: row 70..40 %, column 10..200 ms.
  EXPECT_EQ(running["dip_table"]["counts"][2][0], 1);
  // The swell of 115 % for 0.5 s: row 110..120 %, column 10..500 ms.
  EXPECT_EQ(running["swell_table"]["counts"][0][0], 1);
  // Seconds of recording: no 10-minute value yet, so no harmonic is judged.
  EXPECT_EQ(running["harmonics"]["L1"]["values"], 0);
  EXPECT_TRUE(running["harmonics"]["L1"]["pass"].is_null());
  EXPECT_EQ(running["harmonics"]["L1"]["orders"].size(), 24U);
  EXPECT_EQ(report["counters"]["phases"]["L2"]["dips"], 1);

  const Outcome table = run({"meter", "--input", cfg, "--pq-report"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("voltage quality events (2)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("EN 50160 compliance report"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("running week 2026-03-02T00:00:00+01:00"), std::string::npos);
}

TEST(PqReport, SimPrintsTheReportAndAnEmptyEventListOfAQuietDay) {
  const Outcome json = run({"sim", "--days", "0.25", "--scenario", "household-3ph", "--seed", "3",
                            "--json", "--pq-report"});
  ASSERT_EQ(json.code, 0) << json.err;
  const auto document = nlohmann::json::parse(json.out);
  ASSERT_TRUE(document.contains("events"));
  EXPECT_TRUE(document["events"].is_array());
  const auto& running = document["pq_report"]["weeks"][1];
  // Six hours: 36 ten-minute values per phase, all inside ±10 %; 2160 ten-second frequencies.
  EXPECT_EQ(running["supply_voltage"]["phases"]["L1"]["values"], 36);
  EXPECT_EQ(running["supply_voltage"]["phases"]["L1"]["within_10_percent"], 100.0);
  EXPECT_EQ(running["frequency"]["values"], 2160);
  // The grid's harmonics (THD 1..4 %, the 5th largest) stay inside EN 50160 table 1.
  const auto& harmonics = running["harmonics"]["L2"];
  EXPECT_EQ(harmonics["values"], 36);
  EXPECT_EQ(harmonics["pass"], true);
  EXPECT_EQ(harmonics["orders"][3]["order"], 5);
  EXPECT_EQ(harmonics["orders"][3]["limit_percent"], 6.0);
  EXPECT_EQ(harmonics["orders"][3]["within_limit_percent"], 100.0);
  EXPECT_TRUE(harmonics["worst_order"].is_null());
  EXPECT_EQ(running["pass"], true);
  const Outcome plain = run({"sim", "--days", "0.25", "--json"});
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_FALSE(nlohmann::json::parse(plain.out).contains("pq_report"));
}

TEST(PqReport, AHarmonicOverItsLimitFailsTheWeekAndIsNamed) {
  // Twenty 10-minute values; in five of them the 11th is at 4 % (limit 3.5 %): 75 % within.
  const UtcMicros start = gridmeter::test::utc(2026, 3, 2, 12, 0);
  Meter meter(Connection::single_phase_2w, start);
  for (int i = 0; i < 20 * 3000; ++i) {
    Measurement m = gridmeter::test::single_phase(meter.state().time_utc_us, 1000.0);
    m.frequency_hz = 50.0;
    m.voltage_harmonics = true;
    m.voltage_harmonic_percent[0][11] = i < 5 * 3000 ? 4.0F : 1.0F;
    m.voltage_harmonic_percent[0][13] = i < 2 * 3000 ? 3.5F : 1.0F;  // 90 % within 3 %
    meter.advance(m);
  }
  const nlohmann::ordered_json report = pq_report_json(meter);
  const auto& harmonics = report["weeks"][1]["harmonics"]["L1"];
  EXPECT_EQ(harmonics["values"], 20);
  EXPECT_EQ(harmonics["orders"][9]["order"], 11);
  EXPECT_EQ(harmonics["orders"][9]["within_limit_percent"], 75.0);
  EXPECT_EQ(harmonics["orders"][11]["within_limit_percent"], 90.0);
  EXPECT_EQ(harmonics["orders"][3]["within_limit_percent"], 100.0);
  EXPECT_EQ(harmonics["worst_order"], 11);
  EXPECT_EQ(harmonics["pass"], false);
  EXPECT_EQ(report["weeks"][1]["pass"], false);
  const std::string table = pq_report_table(meter);
  EXPECT_NE(table.find("harmonics L1 (table 1, 95 %)"), std::string::npos) << table;
  EXPECT_NE(table.find("75.00 %    worst h11  FAIL"), std::string::npos) << table;
}

}  // namespace
}  // namespace gridmeter::app
