// Profile exports (`gridmeter sim --export OBIS=FILE`): the exact CSV and JSON text of a small
// hand-built profile, the scaled decimals, and the parsing of the command-line argument.
#include "app/profile_export.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "support/measurements.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::app {
namespace {

using test::utc;

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

const TimeZone cet = TimeZone::central_europe();

constexpr Obis profile_obis{1, 0, 99, 1, 0, 255};

std::vector<CaptureColumn> sample_columns() {
  return {
      CaptureColumn{.obis = Obis{1, 0, 32, 25, 0, 255},
                    .class_id = 3,
                    .attribute = 2,
                    .scaler = -2,
                    .unit = Unit::volt,
                    .kind = ColumnKind::integer,
                    .name = "U L1 avg"},
      CaptureColumn{.obis = Obis{1, 0, 1, 8, 0, 255},
                    .class_id = 3,
                    .attribute = 2,
                    .scaler = 0,
                    .unit = Unit::watt_hour,
                    .kind = ColumnKind::integer,
                    .name = "A+"},
      CaptureColumn{.obis = Obis{1, 0, 1, 6, 0, 255},
                    .class_id = 4,
                    .attribute = 5,
                    .scaler = 0,
                    .unit = Unit::count,
                    .kind = ColumnKind::date_time,
                    .name = "P+ max time"},
      // A count has no unit, so its header has no "[…]".
      CaptureColumn{.obis = Obis{0, 0, 96, 10, 1, 255},
                    .class_id = 1,
                    .attribute = 2,
                    .scaler = 0,
                    .unit = Unit::count,
                    .kind = ColumnKind::integer,
                    .name = "status"},
  };
}

// Three entries stamped at three UTC offsets (CET, CEST and a -05:30 the meter once had), with
// values missing and a clock with milliseconds.
Profile sample_profile() {
  Profile profile(profile_obis, sample_columns(), /*capacity=*/4, /*capture_period_s=*/900);
  profile.push({.time_utc_us = utc(2026, 1, 15, 0, 15), .utc_offset_min = 60, .clock_status = 0},
               std::array<std::int64_t, 4>{23512, 1234567, utc(2026, 1, 15, 0, 7, 30), 8});
  profile.push({.time_utc_us = utc(2026, 7, 1, 10, 0), .utc_offset_min = 120, .clock_status = 0x80},
               std::array<std::int64_t, 4>{-5, null_value, null_value, 136});
  profile.push(
      {.time_utc_us = utc(2026, 7, 1, 10, 15) + 500'000, .utc_offset_min = -330, .clock_status = 0},
      std::array<std::int64_t, 4>{0, 0, utc(2026, 7, 1, 10, 3), null_value});
  return profile;
}

const std::string sample_csv =
    "0-0:1.0.0.255:2,1-0:32.25.0.255:2 [V],1-0:1.8.0.255:2 [Wh],1-0:1.6.0.255:5,"
    "0-0:96.10.1.255:2\n"
    "2026-01-15T01:15:00+01:00,235.12,1234567,2026-01-15T01:07:30+01:00,8\n"
    "2026-07-01T12:00:00+02:00,-0.05,,,136\n"
    "2026-07-01T04:45:00.500-05:30,0.00,0,2026-07-01T12:03:00+02:00,\n";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---- format_scaled ----------------------------------------------------------------------------

TEST(FormatScaled, AppliesTheScalerExactly) {
  EXPECT_EQ(format_scaled(23512, -2), "235.12");
  EXPECT_EQ(format_scaled(-23512, -2), "-235.12");
  EXPECT_EQ(format_scaled(100, -2), "1.00");
  EXPECT_EQ(format_scaled(12, -1), "1.2");
  EXPECT_EQ(format_scaled(5, -1), "0.5");
  EXPECT_EQ(format_scaled(7, 0), "7");
  EXPECT_EQ(format_scaled(-7, 0), "-7");
  EXPECT_EQ(format_scaled(5, 3), "5000");
  EXPECT_EQ(format_scaled(-5, 3), "-5000");
  EXPECT_EQ(format_scaled(5, 1), "50");
}

TEST(FormatScaled, ZeroKeepsItsDecimalsButGainsNoZerosForAPositiveScaler) {
  EXPECT_EQ(format_scaled(0, -2), "0.00");
  EXPECT_EQ(format_scaled(0, -1), "0.0");
  EXPECT_EQ(format_scaled(0, 0), "0");
  EXPECT_EQ(format_scaled(0, 3), "0");
}

TEST(FormatScaled, FractionsBelowOneGetALeadingZero) {
  EXPECT_EQ(format_scaled(-5, -3), "-0.005");
  EXPECT_EQ(format_scaled(5, -3), "0.005");
  EXPECT_EQ(format_scaled(-50, -2), "-0.50");
  EXPECT_EQ(format_scaled(999, -3), "0.999");
  EXPECT_EQ(format_scaled(1000, -3), "1.000");
  EXPECT_EQ(format_scaled(1, -20), "0.00000000000000000001");
}

TEST(FormatScaled, TheExtremesOfInt64) {
  EXPECT_EQ(format_scaled(int64_min + 1, -2), "-92233720368547758.07");
  EXPECT_EQ(format_scaled(int64_min + 1, 0), "-9223372036854775807");
  EXPECT_EQ(format_scaled(int64_min + 1, 3), "-9223372036854775807000");
  EXPECT_EQ(format_scaled(int64_min, -2), "-92233720368547758.08");
  EXPECT_EQ(format_scaled(int64_min, 0), "-9223372036854775808");
  EXPECT_EQ(format_scaled(int64_max, -2), "92233720368547758.07");
  EXPECT_EQ(format_scaled(int64_max, 3), "9223372036854775807000");
  EXPECT_EQ(format_scaled(int64_max, -19), "0.9223372036854775807");
  EXPECT_EQ(format_scaled(int64_max, -20), "0.09223372036854775807");
}

// ---- export_format_for ------------------------------------------------------------------------

TEST(ExportFormatFor, FollowsTheExtensionInAnyCase) {
  EXPECT_EQ(*export_format_for("lp.csv"), ExportFormat::csv);
  EXPECT_EQ(*export_format_for("LP.CSV"), ExportFormat::csv);
  EXPECT_EQ(*export_format_for("/tmp/dir.json/lp.Csv"), ExportFormat::csv);
  EXPECT_EQ(*export_format_for("lp.json"), ExportFormat::json);
  EXPECT_EQ(*export_format_for("lp.JSON"), ExportFormat::json);
}

TEST(ExportFormatFor, RefusesOtherExtensionsNamingThePath) {
  for (const std::string_view path :
       {"lp.txt", "lp", "csv", "lp.csv.txt", "lp.csv ", "lp.jsn", "dir.csv/lp", "", "lp.cs"}) {
    auto format = export_format_for(path);
    ASSERT_FALSE(format) << path;
    EXPECT_NE(format.error().message.find("'" + std::string(path) + "'"), std::string::npos)
        << format.error().message;
    EXPECT_NE(format.error().message.find(".csv or .json"), std::string::npos);
  }
}

// ---- parse_export_request ---------------------------------------------------------------------

TEST(ParseExportRequest, FullAndShortObis) {
  auto full = parse_export_request("1-0:99.1.0.255=lp.csv");
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->obis, (Obis{1, 0, 99, 1, 0, 255}));
  EXPECT_EQ(full->path, "lp.csv");

  auto short_form = parse_export_request("99.1.0=x.json");
  ASSERT_TRUE(short_form) << short_form.error().message;
  EXPECT_EQ(short_form->obis, (Obis{1, 0, 99, 1, 0, 255}));
  EXPECT_EQ(short_form->path, "x.json");

  auto events = parse_export_request("0-0:99.98.0.255=/tmp/out/events.json");
  ASSERT_TRUE(events) << events.error().message;
  EXPECT_EQ(events->obis, (Obis{0, 0, 99, 98, 0, 255}));
  EXPECT_EQ(events->path, "/tmp/out/events.json");
}

TEST(ParseExportRequest, UppercaseExtensionKeepsThePathAsWritten) {
  auto request = parse_export_request("1-0:99.1.0.255=LP.CSV");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->path, "LP.CSV");
}

TEST(ParseExportRequest, OnlyTheFirstEqualsSignSplits) {
  auto request = parse_export_request("99.1.0=a=b.csv");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->path, "a=b.csv");
}

std::string export_error(std::string_view text) {
  auto request = parse_export_request(text);
  EXPECT_FALSE(request) << "accepted '" << text << "'";
  return request ? std::string() : request.error().message;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(ParseExportRequest, RefusesMalformedArgumentsNamingThem) {
  const std::string no_equals = export_error("lp.csv");
  EXPECT_TRUE(contains(no_equals, "--export 'lp.csv'")) << no_equals;
  EXPECT_TRUE(contains(no_equals, "OBIS=FILE")) << no_equals;

  EXPECT_TRUE(contains(export_error(""), "--export ''"));

  for (const std::string_view text : {"1-0:99.1=lp.csv", "=lp.csv", "1-0:99.1.0.256=lp.csv",
                                      "load=lp.csv", "1.2.3.4.5.6.7=lp.csv", " 99.1.0=lp.csv"}) {
    const std::string message = export_error(text);
    EXPECT_TRUE(contains(message, "--export '" + std::string(text) + "'")) << message;
  }

  const std::string no_file = export_error("1-0:99.1.0.255=");
  EXPECT_TRUE(contains(no_file, "--export '1-0:99.1.0.255='")) << no_file;
  EXPECT_TRUE(contains(no_file, "no file name")) << no_file;

  const std::string text_file = export_error("1-0:99.1.0.255=lp.txt");
  EXPECT_TRUE(contains(text_file, "'lp.txt'")) << text_file;
  EXPECT_TRUE(contains(text_file, ".csv or .json")) << text_file;

  const std::string no_extension = export_error("99.1.0=lp");
  EXPECT_TRUE(contains(no_extension, "'lp'")) << no_extension;
}

TEST(ParseExportRequest, RefusesEmbeddedNuls) {
  using namespace std::string_view_literals;
  EXPECT_FALSE(parse_export_request("99.1.0=lp.csv\0"sv));
  EXPECT_FALSE(parse_export_request("99.1\0.0=lp.csv"sv));
}

// ---- format_profile_csv -----------------------------------------------------------------------

TEST(FormatProfileCsv, HeaderAndEntriesByteForByte) {
  EXPECT_EQ(format_profile_csv(sample_profile(), cet), sample_csv);
}

TEST(FormatProfileCsv, AnEmptyProfileIsItsHeader) {
  const Profile empty(profile_obis, sample_columns(), 4, 900);
  EXPECT_EQ(format_profile_csv(empty, cet),
            "0-0:1.0.0.255:2,1-0:32.25.0.255:2 [V],1-0:1.8.0.255:2 [Wh],1-0:1.6.0.255:5,"
            "0-0:96.10.1.255:2\n");
}

TEST(FormatProfileCsv, AProfileWithoutColumnsIsItsClock) {
  Profile clock_only(Obis{1, 0, 99, 1, 1, 255}, {}, 2, 300);
  clock_only.push({.time_utc_us = utc(2026, 1, 1, 0, 5), .utc_offset_min = 60}, {});
  EXPECT_EQ(format_profile_csv(clock_only, cet),
            "0-0:1.0.0.255:2\n"
            "2026-01-01T01:05:00+01:00\n");
}

TEST(FormatProfileCsv, AFullBufferListsWhatItHoldsOldestFirst) {
  Profile log(Obis{0, 0, 99, 98, 0, 255}, {sample_columns()[1]}, 2, 0);
  for (std::int64_t i = 1; i <= 3; ++i) {
    log.push({.time_utc_us = utc(2026, 1, 1, 0, static_cast<int>(i)), .utc_offset_min = 60},
             std::array<std::int64_t, 1>{i * 10});
  }
  EXPECT_EQ(format_profile_csv(log, cet),
            "0-0:1.0.0.255:2,1-0:1.8.0.255:2 [Wh]\n"
            "2026-01-01T01:02:00+01:00,20\n"
            "2026-01-01T01:03:00+01:00,30\n");
}

TEST(FormatProfileCsv, DateTimeValuesFollowTheZoneGiven) {
  // The stamp keeps its own offset; a date-time value is shown in the zone passed in.
  EXPECT_EQ(format_profile_csv(sample_profile(), TimeZone::utc()),
            "0-0:1.0.0.255:2,1-0:32.25.0.255:2 [V],1-0:1.8.0.255:2 [Wh],1-0:1.6.0.255:5,"
            "0-0:96.10.1.255:2\n"
            "2026-01-15T01:15:00+01:00,235.12,1234567,2026-01-15T00:07:30+00:00,8\n"
            "2026-07-01T12:00:00+02:00,-0.05,,,136\n"
            "2026-07-01T04:45:00.500-05:30,0.00,0,2026-07-01T10:03:00+00:00,\n");
}

// ---- format_profile_json ----------------------------------------------------------------------

TEST(FormatProfileJson, ColumnsAndEntriesExactly) {
  const std::string text = format_profile_json(sample_profile(), cet);
  ASSERT_TRUE(nlohmann::json::accept(text)) << text;
  const auto document = nlohmann::json::parse(text);
  const auto expected = nlohmann::json::parse(R"({
    "obis": "1-0:99.1.0.255",
    "capture_period_s": 900,
    "entries_in_use": 3,
    "profile_entries": 4,
    "columns": [
      {"obis": "0-0:1.0.0.255", "attribute": 2, "class_id": 8, "name": "clock",
       "type": "date-time"},
      {"obis": "1-0:32.25.0.255", "attribute": 2, "class_id": 3, "name": "U L1 avg",
       "unit": "V", "scaler": -2},
      {"obis": "1-0:1.8.0.255", "attribute": 2, "class_id": 3, "name": "A+", "unit": "Wh",
       "scaler": 0},
      {"obis": "1-0:1.6.0.255", "attribute": 5, "class_id": 4, "name": "P+ max time",
       "type": "date-time"},
      {"obis": "0-0:96.10.1.255", "attribute": 2, "class_id": 1, "name": "status", "unit": "",
       "scaler": 0}
    ],
    "entries": [
      ["2026-01-15T01:15:00+01:00", 235.12, 1234567, "2026-01-15T01:07:30+01:00", 8],
      ["2026-07-01T12:00:00+02:00", -0.05, null, null, 136],
      ["2026-07-01T04:45:00.500-05:30", 0.0, 0, "2026-07-01T12:03:00+02:00", null]
    ]
  })");
  EXPECT_EQ(document, expected) << document.dump(1);
  // Exactly the decimal text, not its nearest binary neighbour printed long.
  EXPECT_EQ(document["entries"][0][1].get<double>(), 235.12);
  EXPECT_TRUE(document["entries"][0][2].is_number_integer());
  // Keys in the documented order, one entry a line.
  EXPECT_EQ(text.rfind("{\n \"obis\": \"1-0:99.1.0.255\",\n \"capture_period_s\": 900,\n", 0), 0U)
      << text;
  EXPECT_TRUE(contains(text,
                       "\n \"entries\": [\n  [\"2026-01-15T01:15:00+01:00\",235.12,1234567,"
                       "\"2026-01-15T01:07:30+01:00\",8],\n  [\"2026-07-01T12:00:00+02:00\","
                       "-0.05,null,null,136],\n  [\"2026-07-01T04:45:00.500-05:30\",0.0,0,"
                       "\"2026-07-01T12:03:00+02:00\",null]\n ]\n}\n"))
      << text;
}

TEST(FormatProfileJson, AnEmptyProfileIsValidJson) {
  const Profile empty(profile_obis, sample_columns(), 4, 900);
  const std::string text = format_profile_json(empty, cet);
  ASSERT_TRUE(nlohmann::json::accept(text)) << text;
  const auto document = nlohmann::json::parse(text);
  EXPECT_EQ(document["entries_in_use"], 0);
  EXPECT_EQ(document["profile_entries"], 4);
  EXPECT_EQ(document["entries"], nlohmann::json::array());
  EXPECT_EQ(document["columns"].size(), 5U);
}

TEST(FormatProfileJson, AProfileWithoutColumnsIsValidJson) {
  Profile clock_only(Obis{1, 0, 99, 1, 1, 255}, {}, 1, 300);
  const auto empty = nlohmann::json::parse(format_profile_json(clock_only, cet));
  EXPECT_EQ(empty["columns"].size(), 1U);
  EXPECT_EQ(empty["entries"], nlohmann::json::array());
  clock_only.push({.time_utc_us = utc(2026, 1, 1, 0, 5), .utc_offset_min = 60}, {});
  const auto one = nlohmann::json::parse(format_profile_json(clock_only, cet));
  EXPECT_EQ(one["entries"], nlohmann::json::parse(R"([["2026-01-01T01:05:00+01:00"]])"));
}

TEST(FormatProfileJson, APositiveScalerMultiplies) {
  CaptureColumn kilo = sample_columns()[1];
  kilo.scaler = 3;
  Profile profile(profile_obis, {kilo}, 1, 900);
  profile.push({.time_utc_us = utc(2026, 1, 1, 0, 15), .utc_offset_min = 60},
               std::array<std::int64_t, 1>{5});
  const auto document = nlohmann::json::parse(format_profile_json(profile, cet));
  EXPECT_EQ(document["entries"][0][1].get<double>(), 5000.0);
  EXPECT_EQ(format_profile_csv(profile, cet),
            "0-0:1.0.0.255:2,1-0:1.8.0.255:2 [Wh]\n2026-01-01T01:15:00+01:00,5000\n");
}

// ---- export_profile ---------------------------------------------------------------------------

TEST(ExportProfile, WritesCsvAndJsonByExtension) {
  testing::TempDir dir;
  const Profile profile = sample_profile();
  const std::string csv = dir.file("lp.csv");
  const Status csv_written = export_profile(profile, csv, cet);
  ASSERT_TRUE(csv_written) << csv_written.error().message;
  EXPECT_EQ(read_file(csv), sample_csv);

  const std::string json = dir.file("lp.JSON");
  const Status json_written = export_profile(profile, json, cet);
  ASSERT_TRUE(json_written) << json_written.error().message;
  EXPECT_EQ(read_file(json), format_profile_json(profile, cet));
}

TEST(ExportProfile, ReplacesAnExistingFile) {
  testing::TempDir dir;
  const std::string path = dir.file("lp.csv");
  {
    std::ofstream old(path);
    old << std::string(10'000, 'x');
  }
  ASSERT_TRUE(export_profile(sample_profile(), path, cet));
  EXPECT_EQ(read_file(path), sample_csv);
}

TEST(ExportProfile, AnUnwritablePathIsAnErrorNamingIt) {
  testing::TempDir dir;
  const std::string path = dir.file("no-such-directory/lp.csv");
  const Status written = export_profile(sample_profile(), path, cet);
  ASSERT_FALSE(written);
  EXPECT_TRUE(contains(written.error().message, "'" + path + "'")) << written.error().message;
  EXPECT_TRUE(contains(written.error().message, "No such file or directory"))
      << written.error().message;
}

TEST(ExportProfile, ADirectoryIsAnErrorNamingIt) {
  testing::TempDir dir;
  const std::string path = dir.file("existing.csv");
  std::filesystem::create_directory(path);
  const Status written = export_profile(sample_profile(), path, cet);
  ASSERT_FALSE(written);
  EXPECT_TRUE(contains(written.error().message, "'" + path + "'")) << written.error().message;
}

TEST(ExportProfile, AnUnknownExtensionWritesNothing) {
  testing::TempDir dir;
  const std::string path = dir.file("lp.txt");
  const Status written = export_profile(sample_profile(), path, cet);
  ASSERT_FALSE(written);
  EXPECT_TRUE(contains(written.error().message, "'" + path + "'")) << written.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace gridmeter::app
