#include "core/obis.hpp"

#include <gtest/gtest.h>

namespace gridmeter {
namespace {

using Bytes = std::array<std::uint8_t, 6>;

TEST(Obis, ParsesFullForm) {
  auto code = parse_obis("1-0:1.8.0.255");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->bytes(), (Bytes{1, 0, 1, 8, 0, 255}));
  EXPECT_EQ(to_string(*code), "1-0:1.8.0.255");
}

TEST(Obis, ParsesAbstractAndManufacturerCodes) {
  auto clock = parse_obis("0-0:1.0.0.255");
  ASSERT_TRUE(clock);
  EXPECT_EQ(clock->bytes(), (Bytes{0, 0, 1, 0, 0, 255}));
  auto billing = parse_obis("1-0:1.8.0.101");
  ASSERT_TRUE(billing);
  EXPECT_EQ(billing->f, 101);
  auto vendor = parse_obis("0-128:96.128.255.0");
  ASSERT_TRUE(vendor);
  EXPECT_EQ(vendor->bytes(), (Bytes{0, 128, 96, 128, 255, 0}));
}

TEST(Obis, ParsesFormWithoutF) {
  auto code = parse_obis("1-0:21.8.0");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->bytes(), (Bytes{1, 0, 21, 8, 0, 255}));
}

TEST(Obis, ParsesShortFormAsElectricity) {
  auto code = parse_obis("1.8.0");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->bytes(), (Bytes{1, 0, 1, 8, 0, 255}));
  EXPECT_EQ(to_short_string(*code), "1.8.0");
  auto l3 = parse_obis("61.8.0");
  ASSERT_TRUE(l3);
  EXPECT_EQ(to_string(*l3), "1-0:61.8.0.255");
}

TEST(Obis, AcceptsStarAndAmpersandBeforeF) {
  auto star = parse_obis("1-0:1.8.0*255");
  ASSERT_TRUE(star);
  EXPECT_EQ(star->f, 255);
  auto amp = parse_obis("1-0:1.8.0&101");
  ASSERT_TRUE(amp);
  EXPECT_EQ(amp->f, 101);
}

TEST(Obis, RoundTripsBytesAndText) {
  for (const Bytes& raw : {Bytes{0, 0, 0, 0, 0, 0}, Bytes{255, 255, 255, 255, 255, 255},
                           Bytes{1, 0, 99, 1, 0, 255}, Bytes{0, 0, 96, 11, 4, 255}}) {
    const Obis code = Obis::from_bytes(raw);
    auto reparsed = parse_obis(to_string(code));
    ASSERT_TRUE(reparsed) << to_string(code);
    EXPECT_EQ(*reparsed, code);
    EXPECT_EQ(reparsed->bytes(), raw);
  }
}

TEST(Obis, OrdersByValueGroups) {
  EXPECT_LT((Obis{1, 0, 1, 8, 0, 255}), (Obis{1, 0, 2, 8, 0, 255}));
  EXPECT_LT((Obis{0, 0, 99, 8, 0, 255}), (Obis{1, 0, 1, 8, 0, 255}));
}

struct Rejected {
  const char* text;
  const char* message_part;
};

class ObisRejects : public ::testing::TestWithParam<Rejected> {};

TEST_P(ObisRejects, WithAClearMessage) {
  auto code = parse_obis(GetParam().text);
  ASSERT_FALSE(code) << GetParam().text;
  EXPECT_NE(code.error().message.find(GetParam().message_part), std::string::npos)
      << code.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ObisRejects,
    ::testing::Values(Rejected{"", "empty"}, Rejected{"1-0:1.8.256.255", "exceeds 255"},
                      Rejected{"1-0:1.8", "expected '.' after value group D"},
                      Rejected{"1-0:1.8.0.255.1", "unexpected text after value group F"},
                      Rejected{"1:0-1.8.0.255", "expected '-'"},
                      Rejected{"1-0-1.8.0.255", "expected ':'"},
                      Rejected{"a-0:1.8.0.255", "value group A is not a number"},
                      Rejected{"1-0:1..0.255", "value group D is not a number"},
                      Rejected{"1.8.0.255", "short form is C.D.E"},
                      Rejected{"1-0:1.8.0.0255", "too many digits"},
                      Rejected{"1-0:1.8.0 255", "unexpected character after value group E"},
                      Rejected{"-1-0:1.8.0.255", "value group A is not a number"},
                      Rejected{"1-0:1.8.0.255.255.255.255.255.255.255.255", "too long"}),
    [](const ::testing::TestParamInfo<Rejected>& param) {
      return "case" + std::to_string(param.index);
    });

}  // namespace
}  // namespace gridmeter
