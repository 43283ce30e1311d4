#include "metrology/input/comtrade.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "metrology/input/input_test_util.hpp"
#include "metrology/input/open_input.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::metrology {
namespace {

using input_test::Bytes;
using input_test::read_all;
using input_test::read_error;
using input_test::write_file;
using ::testing::HasSubstr;

// ---- a 1999 ASCII recording with three analog channels ----

constexpr std::string_view ascii_1999_cfg =
    "Station A,Relay 7,1999\r\n"
    "3,3A,0D\r\n"
    "1,VA,A,Line1,V,0.5,1,0,-32767,32767,1,1,P\r\n"
    "2,IA,A,Line1,A,0.01,-0.5,0,-32767,32767,1,1,P\r\n"
    "3,IN,N,Line1,A,0.002,0,0,-32767,32767,1,1,P\r\n"
    "50\r\n"
    "1\r\n"
    "4000,4\r\n"
    "15/03/2024,12:30:45.123456\r\n"
    "15/03/2024,12:30:45.124456\r\n"
    "ASCII\r\n"
    "1\r\n";

constexpr std::string_view ascii_1999_dat =
    "1,0,100,200,500\r\n"
    "2,250,-100,0,-500\r\n"
    "3,500,0,-200,\r\n"
    "4,750,20000,50,1000\r\n";

float scaled(double a, double x, double b) { return static_cast<float>(a * x + b); }

TEST(Comtrade, ReadsAscii1999WithScaling) {
  gridmeter::testing::TempDir dir;
  write_file(dir.file("rec.cfg"), ascii_1999_cfg);
  write_file(dir.file("rec.dat"), ascii_1999_dat);
  auto reader = open_comtrade(dir.file("rec.cfg"));
  ASSERT_TRUE(reader) << reader.error().message;
  const StreamInfo& info = (*reader)->info();
  EXPECT_EQ(info.sample_rate_hz, 4000.0);
  EXPECT_EQ(info.nominal_frequency_hz, 50.0);
  EXPECT_EQ(info.connection, Connection::single_phase_2w);
  EXPECT_TRUE(info.has_neutral_current);
  EXPECT_EQ(info.start_utc_us, utc_from_civil({2024, 3, 15, 12, 30, 45, 123456}));
  EXPECT_EQ(info.description, dir.file("rec.cfg"));
  EXPECT_EQ((*reader)->config().rev_year, 1999);
  EXPECT_EQ((*reader)->config().station_name, "Station A");

  const auto all = read_all(**reader, 3);  // buffer smaller than the recording
  ASSERT_EQ(all.count, 4U);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{51.0F, -49.0F, 1.0F, 10001.0F}));
  EXPECT_EQ(all[Channel::i1],
            (std::vector<float>{scaled(0.01, 200, -0.5), scaled(0.01, 0, -0.5),
                                scaled(0.01, -200, -0.5), scaled(0.01, 50, -0.5)}));
  EXPECT_EQ(all[Channel::i_neutral], (std::vector<float>{1.0F, -1.0F, 0.0F, 2.0F}));
  EXPECT_EQ(all[Channel::u2], (std::vector<float>(4, 0.0F)));
  EXPECT_EQ((*reader)->missing_value_count(), 1);
}

TEST(Comtrade, ReadsUpperCaseDatBesideTheCfg) {
  gridmeter::testing::TempDir dir;
  write_file(dir.file("REC.CFG"), ascii_1999_cfg);
  write_file(dir.file("REC.DAT"), ascii_1999_dat);
  auto reader = open_comtrade(dir.file("REC.CFG"));
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(read_all(**reader).count, 4U);
}

// ---- 2013 binary formats ----

std::string binary_cfg(std::string_view file_type, std::string_view end_line = "0,0\r\n0,0\r\n") {
  return std::string(
             "Sub,IED,2013\r\n"
             "8,6A,2D\r\n"
             "1,UA,L1,Feeder,V,0.1,0,0,-32767,32767,1,1,P\r\n"
             "2,UB,L2,Feeder,V,0.1,0,0,-32767,32767,1,1,P\r\n"
             "3,UC,L3,Feeder,V,0.1,0,0,-32767,32767,1,1,P\r\n"
             "4,IA,L1,Feeder,A,0.001,0.5,0,-32767,32767,1,1,P\r\n"
             "5,IB,L2,Feeder,A,0.001,0.5,0,-32767,32767,1,1,P\r\n"
             "6,IC,L3,Feeder,A,0.001,0.5,0,-32767,32767,1,1,P\r\n"
             "1,TRIP,,Feeder,0\r\n"
             "2,CB,,Feeder,1\r\n"
             "60\r\n"
             "1\r\n"
             "7680,3\r\n"
             "01/02/2025,00:00:00.000000\r\n"
             "01/02/2025,00:00:00.010000\r\n") +
         std::string(file_type) + "\r\n1\r\n" + std::string(end_line);
}

// Three records of six analog values; the value at [1][2] is the format's missing marker.
const std::vector<std::array<double, 6>> binary_values = {{3250, 100, -3250, 1000, -1000, 0},
                                                          {-3250, 200, 3250, 30000, 2000, -30000},
                                                          {0, 0 /*missing*/, 1, -1, 7, 32767}};

Bytes binary_dat(ComtradeFormat format) {
  Bytes out;
  for (std::size_t r = 0; r < binary_values.size(); ++r) {
    input_test::put_u32(out, static_cast<std::uint32_t>(r + 1));
    input_test::put_u32(out, static_cast<std::uint32_t>(r * 130));
    for (std::size_t c = 0; c < 6; ++c) {
      const bool missing = r == 2 && c == 1;
      const double x = binary_values[r][c];
      switch (format) {
        case ComtradeFormat::binary:
          input_test::put_i16(out, missing ? std::int16_t{-32768} : static_cast<std::int16_t>(x));
          break;
        case ComtradeFormat::binary32:
          input_test::put_i32(out, missing ? std::numeric_limits<std::int32_t>::min()
                                           : static_cast<std::int32_t>(x * 1000));
          break;
        default:
          input_test::put_f32(
              out, missing ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(x / 8));
          break;
      }
    }
    input_test::put_u16(out, static_cast<std::uint16_t>(r & 3U));  // the two digital bits
  }
  return out;
}

double binary_raw(ComtradeFormat format, std::size_t r, std::size_t c) {
  const double x = binary_values[r][c];
  if (format == ComtradeFormat::binary32) return x * 1000;
  if (format == ComtradeFormat::float32) return static_cast<float>(x / 8);
  return x;
}

class ComtradeBinary : public ::testing::TestWithParam<ComtradeFormat> {};

TEST_P(ComtradeBinary, ReadsExactValues) {
  const ComtradeFormat format = GetParam();
  gridmeter::testing::TempDir dir;
  write_file(dir.file("b.cfg"), binary_cfg(to_string(format)));
  write_file(dir.file("b.dat"), binary_dat(format));
  auto reader = open_comtrade(dir.file("b.cfg"));
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->config().format, format);
  EXPECT_EQ((*reader)->config().record_size_bytes(),
            8 + 6 * (format == ComtradeFormat::binary ? 2U : 4U) + 2);
  const StreamInfo& info = (*reader)->info();
  EXPECT_EQ(info.sample_rate_hz, 7680.0);
  EXPECT_EQ(info.nominal_frequency_hz, 60.0);
  EXPECT_EQ(info.connection, Connection::three_phase_4w);
  EXPECT_FALSE(info.has_neutral_current);
  EXPECT_EQ(info.start_utc_us, utc_from_civil({2025, 2, 1, 0, 0, 0, 0}));

  const auto all = read_all(**reader, 2);
  ASSERT_EQ(all.count, 3U);
  const std::array<Channel, 6> slots = {Channel::u1, Channel::u2, Channel::u3,
                                        Channel::i1, Channel::i2, Channel::i3};
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t c = 0; c < 6; ++c) {
      const bool voltage = c < 3;
      const float expected =
          r == 2 && c == 1
              ? 0.0F
              : scaled(voltage ? 0.1 : 0.001, binary_raw(format, r, c), voltage ? 0.0 : 0.5);
      EXPECT_EQ(all[slots[c]][r], expected) << "record " << r << " channel " << c;
    }
  }
  EXPECT_EQ((*reader)->missing_value_count(), 1);
}

INSTANTIATE_TEST_SUITE_P(ComtradeFormats, ComtradeBinary,
                         ::testing::Values(ComtradeFormat::binary, ComtradeFormat::binary32,
                                           ComtradeFormat::float32));

TEST(Comtrade, ReadsFromMemory) {
  auto reader =
      open_comtrade_memory(binary_cfg("BINARY32"), binary_dat(ComtradeFormat::binary32), "mem");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(read_all(**reader).count, 3U);
}

// ---- scaling: primary/secondary, kV and kA ----

constexpr std::string_view ratio_cfg =
    "PS,IED,2013\n"
    "4,4A,0D\n"
    "1,VA,A,,V,0.01,0,0,-32767,32767,20000,100,S\n"
    "2,IA,A,,A,0.001,0,0,-32767,32767,400,5,s\n"
    "3,VX,,,kV,0.001,0,0,-32767,32767,1,1,P\n"
    "4,IX,,,kA,0.0001,0,0,-32767,32767,1,1,P\n"
    "50\n"
    "1\n"
    "5000,2\n"
    "01/01/2024,00:00:00\n"
    "01/01/2024,00:00:00\n"
    "ASCII\n"
    "1\n"
    "0,0\n"
    "0,0\n";

constexpr std::string_view ratio_dat =
    "1,0,10000,5000,23000,12345\n"
    "2,200,-10000,-5000,-23000,-12345\n";

TEST(Comtrade, ConvertsSecondaryToPrimaryValues) {
  ComtradeOptions options;
  options.channel_map = *parse_channel_map("u1=0,i1=1");
  auto reader =
      open_comtrade_memory(ratio_cfg, Bytes(ratio_dat.begin(), ratio_dat.end()), "ratio", options);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->info().connection, Connection::single_phase_2w);
  const auto all = read_all(**reader);
  ASSERT_EQ(all.count, 2U);
  EXPECT_FLOAT_EQ(all[Channel::u1][0], 20000.0F);  // 100 V secondary × 20000/100
  EXPECT_FLOAT_EQ(all[Channel::u1][1], -20000.0F);
  EXPECT_FLOAT_EQ(all[Channel::i1][0], 400.0F);  // 5 A secondary × 400/5
  EXPECT_FLOAT_EQ(all[Channel::i1][1], -400.0F);
}

TEST(Comtrade, ScalesKilovoltsAndKiloamperes) {
  ComtradeOptions options;
  options.channel_map = *parse_channel_map("u1=2,i1=3*2");
  options.scale_factors = {1.0, 1.0, 1.0, 0.5};  // cancels the map's 2 on channel 4
  auto reader =
      open_comtrade_memory(ratio_cfg, Bytes(ratio_dat.begin(), ratio_dat.end()), "ratio", options);
  ASSERT_TRUE(reader) << reader.error().message;
  const auto all = read_all(**reader);
  ASSERT_EQ(all.count, 2U);
  EXPECT_FLOAT_EQ(all[Channel::u1][0], 23000.0F);  // 23 kV
  EXPECT_FLOAT_EQ(all[Channel::i1][0], 1234.5F);   // 1.2345 kA
  EXPECT_FLOAT_EQ(all[Channel::i1][1], -1234.5F);
}

TEST(Comtrade, AppliesTimeCodeToStartTime) {
  auto config = parse_comtrade_config(ratio_cfg, "ratio.cfg");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->start_utc_us(), utc_from_civil({2024, 1, 1, 0, 0, 0, 0}));

  std::string text(ratio_cfg);
  text.replace(text.find("0,0\n0,0\n"), 8, "-5h30,x\nB,3\n");
  config = parse_comtrade_config(text, "ratio.cfg");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->time_code_min, -330);
  EXPECT_EQ(config->local_code_min, std::nullopt);
  EXPECT_EQ(config->time_quality, "B");
  EXPECT_EQ(config->leap_seconds, 3);
  // File time 00:00 at UTC-5:30 is 05:30 UTC.
  EXPECT_EQ(config->start_utc_us(), utc_from_civil({2024, 1, 1, 5, 30, 0, 0}));

  text = std::string(ratio_cfg);
  text.replace(text.find("0,0\n0,0\n"), 8, "+1,+1\n0,0\n");
  config = parse_comtrade_config(text, "ratio.cfg");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->start_utc_us(), utc_from_civil({2023, 12, 31, 23, 0, 0, 0}));
}

TEST(Comtrade, OptionsOverrideFrequencyAndStart) {
  ComtradeOptions options;
  options.channel_map = *parse_channel_map("u1=0,i1=1");
  options.nominal_frequency_hz = 60.0;
  options.start_utc_us = 123'456'789;
  auto reader =
      open_comtrade_memory(ratio_cfg, Bytes(ratio_dat.begin(), ratio_dat.end()), "ratio", options);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->info().nominal_frequency_hz, 60.0);
  EXPECT_EQ((*reader)->info().start_utc_us, 123'456'789);
}

// ---- sample rates ----

std::string rate_cfg(std::string_view rates, std::string_view file_type = "ASCII",
                     std::string_view timemult = "1") {
  return "R,D,1999\n2,1A,1D\n1,VA,,,V,1,0,0,-32767,32767,1,1,P\n1,D1,,,0\n50\n" +
         std::string(rates) + "\n01/01/2024,00:00:00.000000\n01/01/2024,00:00:00.000000\n" +
         std::string(file_type) + "\n" + std::string(timemult) + "\n";
}

Result<std::unique_ptr<ComtradeReader>> open_rate(std::string_view rates, std::string_view dat,
                                                  std::string_view timemult = "1") {
  ComtradeOptions options;
  options.channel_map = *parse_channel_map("u1=0,i1=0");
  return open_comtrade_memory(rate_cfg(rates, "ASCII", timemult), Bytes(dat.begin(), dat.end()),
                              "rate", options);
}

TEST(Comtrade, DerivesRateFromTimeStampsWhenNratesIsZero) {
  auto reader = open_rate("0\n0,4", "1,0,1,0\n2,250,2,0\n3,500,3,1\n4,750,4,1\n");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_DOUBLE_EQ((*reader)->info().sample_rate_hz, 4000.0);
  EXPECT_EQ(read_all(**reader).count, 4U);

  auto scaled_stamps = open_rate("0\n0,4", "1,0,1,0\n2,125,2,0\n3,250,3,1\n4,375,4,1\n", "2");
  ASSERT_TRUE(scaled_stamps) << scaled_stamps.error().message;
  EXPECT_DOUBLE_EQ((*scaled_stamps)->info().sample_rate_hz, 4000.0);

  // 4800 Hz: 208.33 µs, time stamps rounded to whole µs.
  auto rounded = open_rate("0\n0,4", "1,0,1,0\n2,208,2,0\n3,417,3,1\n4,625,4,1\n");
  ASSERT_TRUE(rounded) << rounded.error().message;
  EXPECT_NEAR((*rounded)->info().sample_rate_hz, 4800.0, 0.1);
  EXPECT_EQ(read_all(**rounded).count, 4U);
}

TEST(Comtrade, DerivesRateFromBinaryTimeStamps) {
  Bytes dat;
  for (std::uint32_t k = 0; k < 5; ++k) {
    input_test::put_u32(dat, k + 1);
    input_test::put_u32(dat, 1000 + k * 100);
    input_test::put_i16(dat, static_cast<std::int16_t>(k));
    input_test::put_u16(dat, 0);
  }
  ComtradeOptions options;
  options.channel_map = *parse_channel_map("u1=0,i1=0");
  auto reader = open_comtrade_memory(rate_cfg("0\n0,5", "BINARY"), dat, "bin", options);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_DOUBLE_EQ((*reader)->info().sample_rate_hz, 10000.0);
  EXPECT_EQ(read_all(**reader).count, 5U);
}

TEST(Comtrade, RejectsNonUniformTimeStamps) {
  auto reader = open_rate("0\n0,4", "1,0,1,0\n2,250,2,0\n3,900,3,1\n4,1000,4,1\n");
  ASSERT_TRUE(reader) << reader.error().message;
  const std::string error = read_error(**reader);
  EXPECT_THAT(error, HasSubstr("rate.dat line 3: time stamp 900"));
  EXPECT_THAT(error, HasSubstr("non-uniform sampling is not supported"));
}

TEST(Comtrade, AcceptsSeveralEqualRates) {
  auto reader = open_rate("2\n4000,2\n4000,4", "1,,1,0\n2,,2,0\n3,,3,1\n4,,4,1\n");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->info().sample_rate_hz, 4000.0);
  EXPECT_EQ(read_all(**reader).count, 4U);
}

TEST(Comtrade, RejectsSeveralDifferentRates) {
  auto reader = open_rate("2\n4000,2\n2000,4", "");
  ASSERT_FALSE(reader);
  EXPECT_THAT(reader.error().message, HasSubstr("rate.cfg: 2 different sample rates"));
  EXPECT_THAT(reader.error().message, HasSubstr("2000 Hz to sample 4"));
}

TEST(Comtrade, RejectsAbsurdRates) {
  for (const auto& [rates, message] : std::vector<std::pair<std::string, std::string>>{
           {"1\n0,4", "line 7: sample rate 0 Hz is not positive"},
           {"1\n-4000,4", "line 7: sample rate -4000 Hz is not positive"},
           {"1\n10000000,4", "line 7: sample rate 10000000 Hz is outside"},
           {"1\n50,4", "line 7: sample rate 50 Hz is outside"},
           {"1\nfast,4", "line 7: sample rate samp \"fast\" is not a number"},
           {"1\n4000,0", "line 7: endsamp 0 is not a sample number"},
           {"2\n4000,4\n4000,2", "line 8: endsamp 2 does not follow"},
           {"-1\n4000,4", "line 6: nrates \"-1\""}}) {
    auto config = parse_comtrade_config(rate_cfg(rates), "rate.cfg");
    ASSERT_FALSE(config) << rates;
    EXPECT_THAT(config.error().message, HasSubstr("rate.cfg " + message)) << rates;
  }
  // Time stamps that give an absurd rate.
  auto fast = open_rate("0\n0,2", "1,0,1,0\n2,0.1,2,0\n");
  ASSERT_FALSE(fast);
  EXPECT_THAT(fast.error().message, HasSubstr("rate.dat: the time stamps give a sample rate of"));
  auto still = open_rate("0\n0,2", "1,0,1,0\n2,0,2,0\n");
  ASSERT_FALSE(still);
  EXPECT_THAT(still.error().message, HasSubstr("do not increase"));
}

// ---- malformed configuration ----

std::string config_error(std::string text) {
  auto config = parse_comtrade_config(text, "bad.cfg");
  EXPECT_FALSE(config);
  return config ? std::string() : config.error().message;
}

std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const std::size_t at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

TEST(Comtrade, RejectsMalformedConfiguration) {
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "3,3A,0D", "4,3A,0D")),
              HasSubstr("bad.cfg line 2: TT = 4 but 3A + 0D = 3 channels"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "3,3A,0D", "3,3,0D")),
              HasSubstr("bad.cfg line 2: \"3\" is not a count followed by 'A'"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "3,3A,0D", "100000,100000A,0D")),
              HasSubstr("bad.cfg line 2: 100000 analog channels, more than the 1024 supported"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "V,0.5,1", "V,abc,1")),
              HasSubstr("bad.cfg line 3: analog channel 1 multiplier a \"abc\" is not a number"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "A,0.01,-0.5,0,", "A,0.01,-0.5,0,1,")),
              HasSubstr("bad.cfg line 4: analog channel 2: 14 fields, expected 13"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "1,1,P\r\n50", "1,1,Q\r\n50")),
              HasSubstr("bad.cfg line 5: analog channel 3 PS \"Q\" is not P or S"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "1,1,P\r\n50", "1,0,S\r\n50")),
              HasSubstr("bad.cfg line 5: analog channel 3 is secondary"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "ASCII", "TEXT")),
              HasSubstr("bad.cfg line 11: file type \"TEXT\" is not ASCII, BINARY, BINARY32 or "
                        "FLOAT32"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "15/03/2024,12:30:45.123456",
                                    "32/03/2024,12:30:45.123456")),
              HasSubstr("bad.cfg line 9: start time stamp: day 32"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "15/03/2024,12:30:45.124456", "yesterday")),
              HasSubstr("bad.cfg line 10: trigger time stamp: no time after the date"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "\r\n1\r\n4000", "\r\nx\r\n4000")),
              HasSubstr("bad.cfg line 7: nrates \"x\""));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "ASCII\r\n1", "ASCII\r\n0")),
              HasSubstr("bad.cfg line 12: timemult \"0\" is not a positive number"));
  EXPECT_THAT(config_error(replaced(ascii_1999_cfg, "1999", "2000")),
              HasSubstr("bad.cfg line 1: rev_year \"2000\" is not 1991, 1999 or 2013"));
  EXPECT_THAT(config_error(std::string(ascii_1999_cfg.substr(0, 76))),
              HasSubstr("bad.cfg line 4: missing analog channel 2 (the file ends)"));
  EXPECT_THAT(config_error(""), HasSubstr("bad.cfg line 1: missing station_name"));
  EXPECT_THAT(config_error("\xEF\xBB\xBF \xEF\xBB\xBF" + std::string(ascii_1999_cfg)),
              HasSubstr("bad.cfg line 1: station_name begins with a byte order mark"));
  EXPECT_THAT(config_error(replaced(ratio_cfg, "0,0\n0,0", "+16,0\n0,0")),
              HasSubstr("bad.cfg line 14: time_code \"+16\""));
  EXPECT_THAT(config_error(replaced(ratio_cfg, "0,0\n0,0", "0,0\n0,7")),
              HasSubstr("bad.cfg line 15: leapsec \"7\" is not 0..3"));
}

TEST(Comtrade, ReportsConfigErrorsWithTheFileName) {
  gridmeter::testing::TempDir dir;
  write_file(dir.file("bad.cfg"), replaced(ascii_1999_cfg, "V,0.5,1", "V,abc,1"));
  write_file(dir.file("bad.dat"), ascii_1999_dat);
  auto reader = open_comtrade(dir.file("bad.cfg"));
  ASSERT_FALSE(reader);
  EXPECT_THAT(reader.error().message, HasSubstr(dir.file("bad.cfg") + " line 3:"));
}

TEST(Comtrade, RejectsMissingDat) {
  gridmeter::testing::TempDir dir;
  write_file(dir.file("lonely.cfg"), ascii_1999_cfg);
  auto reader = open_comtrade(dir.file("lonely.cfg"));
  ASSERT_FALSE(reader);
  EXPECT_THAT(reader.error().message,
              HasSubstr(dir.file("lonely.cfg") + ": missing data file " + dir.file("lonely.dat")));
  auto absent = open_comtrade(dir.file("absent.cfg"));
  ASSERT_FALSE(absent);
  EXPECT_THAT(absent.error().message, HasSubstr(dir.file("absent.cfg") + ": cannot open"));
  auto other = open_comtrade(dir.file("x.txt"));
  ASSERT_FALSE(other);
  EXPECT_THAT(other.error().message, HasSubstr("ends in .cfg or .cff"));
}

// ---- malformed data ----

TEST(Comtrade, RejectsTruncatedBinaryDat) {
  Bytes dat = binary_dat(ComtradeFormat::binary);
  dat.resize(dat.size() - 5);  // the third record loses 5 of its 22 bytes
  auto reader = open_comtrade_memory(binary_cfg("BINARY"), dat, "cut");
  ASSERT_FALSE(reader);
  EXPECT_THAT(reader.error().message,
              HasSubstr("cut.dat: truncated: record 3 at byte offset 44 has only 17 of its 22 "
                        "bytes; the cfg's endsamp says 3 records"));
}

TEST(Comtrade, RejectsWrongSampleCountInBinaryDat) {
  Bytes dat = binary_dat(ComtradeFormat::binary);
  dat.resize(dat.size() - 22);  // two whole records
  auto fewer = open_comtrade_memory(binary_cfg("BINARY"), dat, "short");
  ASSERT_FALSE(fewer);
  EXPECT_THAT(fewer.error().message,
              HasSubstr("short.dat: wrong sample count: the file ends at byte offset 44 after 2 "
                        "records of 22 bytes; the cfg's endsamp says 3"));
  dat = binary_dat(ComtradeFormat::binary);
  dat.push_back(0);
  auto more = open_comtrade_memory(binary_cfg("BINARY"), dat, "long");
  ASSERT_FALSE(more);
  EXPECT_THAT(more.error().message, HasSubstr("long.dat: wrong sample count: 67 bytes hold 3 "
                                              "records of 22 bytes and 1 bytes"));
}

TEST(Comtrade, RejectsWrongSampleCountInAsciiDat) {
  const std::string cfg(ascii_1999_cfg);
  const std::string three = "1,0,1,2,3\n2,250,1,2,3\n3,500,1,2,3\n";
  auto fewer = open_comtrade_memory(cfg, Bytes(three.begin(), three.end()), "few");
  ASSERT_TRUE(fewer) << fewer.error().message;
  EXPECT_THAT(read_error(**fewer), HasSubstr("few.dat: wrong sample count: the data ends after 3 "
                                             "samples (line 3); the cfg's endsamp says 4"));
  const std::string five = three + "4,750,1,2,3\n5,1000,1,2,3\n";
  auto more = open_comtrade_memory(cfg, Bytes(five.begin(), five.end()), "many");
  ASSERT_TRUE(more) << more.error().message;
  EXPECT_THAT(read_error(**more), HasSubstr("many.dat line 5: wrong sample count: more samples "
                                            "than the 4"));
}

TEST(Comtrade, RejectsMalformedAsciiRecords) {
  const std::string cfg(ascii_1999_cfg);
  const auto error = [&](const std::string& dat) {
    auto reader = open_comtrade_memory(cfg, Bytes(dat.begin(), dat.end()), "bad");
    EXPECT_TRUE(reader);
    return reader ? read_error(**reader) : std::string();
  };
  EXPECT_THAT(error("1,0,1,2,3\n2,250,1,x,3\n"),
              HasSubstr("bad.dat line 2: analog channel 2 \"IA\" value \"x\" is not a number"));
  EXPECT_THAT(error("1,0,1,2,3\n2,250,1,2\n"),
              HasSubstr("bad.dat line 2: 4 fields, expected n, timestamp, 3 analog and 0 digital "
                        "values (5)"));
  EXPECT_THAT(error("one,0,1,2,3\n"), HasSubstr("bad.dat line 1: sample number \"one\""));
  EXPECT_THAT(error(std::string(2 * 1024 * 1024, '1')), HasSubstr("bad.dat line 1: longer than"));
}

// ---- 1991 ----

TEST(Comtrade, Reads1991Layout) {
  const std::string cfg =
      "Old Station,Old Relay\n"
      "3,2A,1D\n"
      "1,VA,A,,V,2,0,0,-32767,32767\n"
      "2,IA,A,,A,0.5,0,0,-32767,32767\n"
      "1,TRIP,0\n"
      "60\n"
      "1\n"
      "960,3\n"
      "03/15/91,10:20:30.5\n"
      "03/15/91,10:20:30.5\n"
      "ASCII\n";
  const std::string dat = "1,0,10,4,0\n2,1042,99999,-4,1\n3,2083,-10,8,0\n";
  auto reader = open_comtrade_memory(cfg, Bytes(dat.begin(), dat.end()), "old");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->config().rev_year, 1991);
  EXPECT_EQ((*reader)->info().start_utc_us, utc_from_civil({1991, 3, 15, 10, 20, 30, 500000}));
  const auto all = read_all(**reader);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{20.0F, 0.0F, -20.0F}));
  EXPECT_EQ(all[Channel::i1], (std::vector<float>{2.0F, -2.0F, 4.0F}));
  EXPECT_EQ((*reader)->missing_value_count(), 1);
}

// ---- .cff ----

std::string cff_text(std::string_view cfg, std::string_view dat_header) {
  return "--- file type: CFG ---\r\n" + std::string(cfg) +
         "--- file type: INF ---\r\n[Public Record]\r\n--- file type: HDR ---\r\nheader text\r\n" +
         std::string(dat_header) + "\r\n";
}

TEST(Comtrade, ReadsSingleFileCffAscii) {
  gridmeter::testing::TempDir dir;
  std::string cff =
      cff_text(replaced(ascii_1999_cfg, "1999", "2013"), "--- file type: DAT ASCII ---");
  cff += ascii_1999_dat;
  write_file(dir.file("one.cff"), cff);
  auto reader = open_comtrade(dir.file("one.cff"));
  ASSERT_TRUE(reader) << reader.error().message;
  const auto all = read_all(**reader);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{51.0F, -49.0F, 1.0F, 10001.0F}));
}

TEST(Comtrade, ReadsSingleFileCffBinary) {
  const Bytes dat = binary_dat(ComtradeFormat::float32);
  const std::string head = cff_text(
      binary_cfg("FLOAT32"), "--- file type: DAT BINARY: " + std::to_string(dat.size()) + " ---");
  Bytes cff(head.begin(), head.end());
  cff.insert(cff.end(), dat.begin(), dat.end());
  auto reader = open_comtrade_cff_memory(cff, "one.cff");
  ASSERT_TRUE(reader) << reader.error().message;
  const auto all = read_all(**reader);
  ASSERT_EQ(all.count, 3U);
  EXPECT_EQ(all[Channel::u1][0], scaled(0.1, binary_raw(ComtradeFormat::float32, 0, 0), 0.0));

  Bytes cut = cff;
  cut.resize(cut.size() - 10);
  auto truncated = open_comtrade_cff_memory(cut, "cut.cff");
  ASSERT_FALSE(truncated);
  EXPECT_THAT(truncated.error().message, HasSubstr("cut.cff line"));
  EXPECT_THAT(truncated.error().message, HasSubstr("DAT section length"));
}

TEST(Comtrade, RejectsCffWithoutSections) {
  const std::string text = "hello\n";
  auto reader = open_comtrade_cff_memory(Bytes(text.begin(), text.end()), "x.cff");
  ASSERT_FALSE(reader);
  EXPECT_THAT(reader.error().message,
              HasSubstr("x.cff line 1: expected \"--- file type: CFG ---\""));
}

// ---- writing ----

// Sine waves on the slots of a connection, in buffers of varying fill.
class SineSource final : public SampleSource {
 public:
  SineSource(Connection connection, bool neutral, std::size_t total) : total_(total) {
    info_.sample_rate_hz = 6400.0;
    info_.nominal_frequency_hz = 50.0;
    info_.connection = connection;
    info_.has_neutral_current = neutral;
    info_.start_utc_us = utc_from_civil({2025, 6, 1, 12, 0, 0, 250000});
    info_.description = "sine, test";
  }
  [[nodiscard]] const StreamInfo& info() const override { return info_; }
  Result<std::size_t> read(SampleBuffer& buffer) override {
    const std::size_t count = std::min({buffer.capacity(), total_ - next_, std::size_t{1500}});
    for (std::size_t slot = 0; slot < channel_count; ++slot) {
      float* out = buffer.channel(static_cast<Channel>(slot));
      for (std::size_t k = 0; k < count; ++k)
        out[k] = value(slot, next_ + k);
    }
    next_ += count;
    buffer.set_count(count);
    return count;
  }
  [[nodiscard]] float value(std::size_t slot, std::size_t k) const {
    const auto channel = static_cast<Channel>(slot);
    if (channel == Channel::i_neutral && !info_.has_neutral_current) return 0.0F;
    if (info_.connection == Connection::single_phase_2w && channel != Channel::u1 &&
        channel != Channel::i1 && channel != Channel::i_neutral)
      return 0.0F;
    if (info_.connection == Connection::three_phase_3w && channel == Channel::u2) return 0.0F;
    const double amplitude =
        slot < 3 ? 325.0 + 10.0 * static_cast<double>(slot) : 7.0 + 3.0 * static_cast<double>(slot);
    const double t = static_cast<double>(k) / info_.sample_rate_hz;
    return static_cast<float>(
        amplitude * std::sin(2.0 * std::numbers::pi * 50.0 * t + static_cast<double>(slot)) +
        0.25 * static_cast<double>(slot));
  }

 private:
  StreamInfo info_;
  std::size_t total_;
  std::size_t next_ = 0;
};

struct RoundTrip {
  ComtradeFormat format;
  int rev_year;
  Connection connection;
  bool neutral;
};

class ComtradeRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(ComtradeRoundTrip, ReadsBackWhatWasWritten) {
  const RoundTrip param = GetParam();
  gridmeter::testing::TempDir dir;
  constexpr std::size_t total = 10'000;
  SineSource source(param.connection, param.neutral, total);
  Status written = write_comtrade(dir.file("rt.cfg"), source, param.format, param.rev_year);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.file("rt.dat.part")));

  auto reader = open_comtrade(dir.file("rt.cfg"));
  ASSERT_TRUE(reader) << reader.error().message;
  const StreamInfo& info = (*reader)->info();
  EXPECT_EQ(info.sample_rate_hz, 6400.0);
  EXPECT_EQ(info.nominal_frequency_hz, 50.0);
  EXPECT_EQ(info.connection, param.connection);
  EXPECT_EQ(info.has_neutral_current, param.neutral);
  EXPECT_EQ(info.start_utc_us, source.info().start_utc_us);
  EXPECT_EQ((*reader)->config().rev_year, param.rev_year);
  EXPECT_EQ((*reader)->config().station_name, "sine  test");

  const auto all = read_all(**reader, 1000);
  ASSERT_EQ(all.count, total);
  const double full = param.format == ComtradeFormat::ascii      ? 99999.0
                      : param.format == ComtradeFormat::binary   ? 32767.0
                      : param.format == ComtradeFormat::binary32 ? 2147483647.0
                                                                 : 0.0;
  for (std::size_t slot = 0; slot < channel_count; ++slot) {
    float low = 0.0F;
    float high = 0.0F;
    for (std::size_t k = 0; k < total; ++k) {
      low = std::min(low, source.value(slot, k));
      high = std::max(high, source.value(slot, k));
    }
    const double step = full > 0.0 ? (static_cast<double>(high) - low) / 2.0 / full : 0.0;
    const double tolerance = step / 2.0 * 1.001 + 4.0 * 6e-8 * std::max(-low, high);
    for (std::size_t k = 0; k < total; ++k) {
      const float want = source.value(slot, k);
      const float got = all.slots[slot][k];
      if (param.format == ComtradeFormat::float32) {
        ASSERT_EQ(got, want) << "slot " << slot << " sample " << k;
      } else {
        ASSERT_NEAR(got, want, tolerance) << "slot " << slot << " sample " << k;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    ComtradeFormats, ComtradeRoundTrip,
    ::testing::Values(RoundTrip{ComtradeFormat::float32, 2013, Connection::three_phase_4w, true},
                      RoundTrip{ComtradeFormat::binary32, 2013, Connection::three_phase_4w, false},
                      RoundTrip{ComtradeFormat::binary, 2013, Connection::three_phase_4w, true},
                      RoundTrip{ComtradeFormat::ascii, 2013, Connection::three_phase_4w, false},
                      RoundTrip{ComtradeFormat::binary, 1999, Connection::single_phase_2w, true},
                      RoundTrip{ComtradeFormat::ascii, 1999, Connection::single_phase_2w, false},
                      RoundTrip{ComtradeFormat::float32, 2013, Connection::three_phase_3w, false},
                      RoundTrip{ComtradeFormat::binary32, 2013, Connection::three_phase_3w,
                                false}));

TEST(Comtrade, WriterRejectsBadArguments) {
  gridmeter::testing::TempDir dir;
  SineSource source(Connection::single_phase_2w, false, 10);
  auto wrong_name = write_comtrade(dir.file("x.txt"), source);
  ASSERT_FALSE(wrong_name);
  EXPECT_THAT(wrong_name.error().message, HasSubstr("ends in .cfg"));
  auto old_float = write_comtrade(dir.file("x.cfg"), source, ComtradeFormat::float32, 1999);
  ASSERT_FALSE(old_float);
  EXPECT_THAT(old_float.error().message, HasSubstr("FLOAT32 needs rev_year 2013"));
  auto year = write_comtrade(dir.file("x.cfg"), source, ComtradeFormat::ascii, 1991);
  ASSERT_FALSE(year);
  SineSource empty(Connection::single_phase_2w, false, 0);
  auto nothing = write_comtrade(dir.file("x.cfg"), empty);
  ASSERT_FALSE(nothing);
  EXPECT_THAT(nothing.error().message, HasSubstr("the source gave no samples"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.cfg")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.dat")));
}

TEST(Comtrade, FormatsConfigThatParsesBack) {
  auto config = parse_comtrade_config(binary_cfg("BINARY32", "-5h30,+1\nA,1\n"), "b.cfg");
  ASSERT_TRUE(config) << config.error().message;
  const std::string text = format_comtrade_config(*config);
  auto again = parse_comtrade_config(text, "again.cfg");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(format_comtrade_config(*again), text);
  EXPECT_EQ(again->digital.size(), 2U);
  EXPECT_EQ(again->digital[1].normal_state, 1);
  EXPECT_EQ(again->time_code_min, -330);
  EXPECT_EQ(again->local_code_min, 60);
  EXPECT_EQ(again->analog[3].b, 0.5);
}

// ---- open_input ----

TEST(ComtradeOpenInput, PicksTheReaderByExtension) {
  gridmeter::testing::TempDir dir;
  write_file(dir.file("rec.cfg"), ascii_1999_cfg);
  write_file(dir.file("rec.dat"), ascii_1999_dat);
  InputOptions options;
  options.path = dir.file("rec.cfg");
  options.channel_map = "u1=0,i1=2";
  auto input = open_input(options);
  ASSERT_TRUE(input) << input.error().message;
  const auto all = read_all(**input);
  EXPECT_EQ(all[Channel::i1], (std::vector<float>{1.0F, -1.0F, 0.0F, 2.0F}));
  EXPECT_FALSE((*input)->info().has_neutral_current);

  options.path = dir.file("rec.mp3");
  auto unknown = open_input(options);
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("unknown input type \".mp3\""));

  options.path = dir.file("rec.cfg");
  options.channel_map = "u1=0,q=1";
  auto bad_map = open_input(options);
  ASSERT_FALSE(bad_map);
  EXPECT_THAT(bad_map.error().message, HasSubstr("unknown slot \"q\""));
}

TEST(ComtradeOpenInput, ParsesConnectionsAndScaleFactors) {
  EXPECT_EQ(*parse_connection("3P4W"), Connection::three_phase_4w);
  EXPECT_EQ(*parse_connection("1p2w"), Connection::single_phase_2w);
  EXPECT_EQ(*parse_connection("3p3w"), Connection::three_phase_3w);
  EXPECT_FALSE(parse_connection("2p"));
  auto factors = parse_scale_factors("325, 50,1e-3");
  ASSERT_TRUE(factors);
  EXPECT_EQ(*factors, (std::vector<double>{325.0, 50.0, 1e-3}));
  auto bad = parse_scale_factors("1,,2");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("factor 2"));
}

}  // namespace
}  // namespace gridmeter::metrology
