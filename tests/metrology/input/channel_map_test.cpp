#include "metrology/input/channel_map.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gridmeter::metrology {
namespace {

using ::testing::HasSubstr;

TEST(ChannelMap, ParsesIndicesAndScales) {
  auto map = parse_channel_map("u1=0,u2=1,u3=2,i1=3,i2=4,i3=5,in=6");
  ASSERT_TRUE(map) << map.error().message;
  ASSERT_EQ(map->entries.size(), 7U);
  EXPECT_EQ(map->find(Channel::u3)->source_index, 2U);
  EXPECT_EQ(map->find(Channel::i_neutral)->source_index, 6U);
  EXPECT_EQ(map->find(Channel::i1)->scale, 1.0);

  auto scaled = parse_channel_map(" u1 = 0 * 0.01 , I1=1*-0.002 ");
  ASSERT_TRUE(scaled) << scaled.error().message;
  EXPECT_EQ(scaled->find(Channel::u1)->scale, 0.01);
  EXPECT_EQ(scaled->find(Channel::i1)->source_index, 1U);
  EXPECT_EQ(scaled->find(Channel::i1)->scale, -0.002);
  EXPECT_FALSE(scaled->contains(Channel::u2));
}

TEST(ChannelMap, AcceptsNeutralAliasesAndFormatsBack) {
  auto map = parse_channel_map("u1=3,i1=0*2.5,i_neutral=7");
  ASSERT_TRUE(map);
  EXPECT_EQ(format_channel_map(*map), "u1=3,i1=0*2.5,in=7");
  auto again = parse_channel_map(format_channel_map(*map));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *map);
  EXPECT_EQ(parse_slot_name("I4"), Channel::i_neutral);
  EXPECT_EQ(parse_slot_name("x"), std::nullopt);
}

TEST(ChannelMap, RejectsMalformedText) {
  const auto error = [](std::string_view text) {
    auto map = parse_channel_map(text);
    EXPECT_FALSE(map) << text;
    return map ? std::string() : map.error().message;
  };
  EXPECT_THAT(error("u1=0,x9=1"), HasSubstr("unknown slot \"x9\""));
  EXPECT_THAT(error("u1=0,x9=1"), HasSubstr("entry 2"));
  EXPECT_THAT(error("u1=0,x9=1"), HasSubstr("character 5"));
  EXPECT_THAT(error("u1=0,U1=1"), HasSubstr("slot u1 given twice"));
  EXPECT_THAT(error("u1=zero"), HasSubstr("source channel \"zero\" is not a number"));
  EXPECT_THAT(error("u1=-1"), HasSubstr("is not a number 0..65535"));
  EXPECT_THAT(error("u1=99999"), HasSubstr("is not a number 0..65535"));
  EXPECT_THAT(error("u1=0*abc"), HasSubstr("scale \"abc\""));
  EXPECT_THAT(error("u1=0*0"), HasSubstr("non-zero"));
  EXPECT_THAT(error("u1=0*inf"), HasSubstr("finite"));
  EXPECT_THAT(error("u1=0,,i1=1"), HasSubstr("empty entry"));
  EXPECT_THAT(error("u1=0,"), HasSubstr("empty entry"));
  EXPECT_THAT(error("u1"), HasSubstr("expected slot=index"));
  EXPECT_THAT(error(""), HasSubstr("empty"));
}

TEST(ChannelMap, InfersConnectionFromSlots) {
  EXPECT_EQ(*infer_connection(*parse_channel_map("u1=0,i1=1")), Connection::single_phase_2w);
  EXPECT_EQ(*infer_connection(*parse_channel_map("u1=0,i1=1,in=2")), Connection::single_phase_2w);
  EXPECT_EQ(*infer_connection(*parse_channel_map("u1=0,u2=1,u3=2,i1=3,i2=4,i3=5")),
            Connection::three_phase_4w);
  EXPECT_EQ(*infer_connection(*parse_channel_map("u1=0,u3=1,i1=2,i3=3")),
            Connection::three_phase_3w);
  auto none = infer_connection(*parse_channel_map("u1=0,u2=1"));
  ASSERT_FALSE(none);
  EXPECT_THAT(none.error().message, HasSubstr("fits no connection"));
}

TEST(ChannelMap, ChecksMapAgainstConnectionAndChannelCount) {
  const ChannelMap map = *parse_channel_map("u1=0,i1=5");
  EXPECT_TRUE(check_channel_map(map, Connection::single_phase_2w, 6, "x.wav"));
  auto beyond = check_channel_map(map, Connection::single_phase_2w, 2, "x.wav");
  ASSERT_FALSE(beyond);
  EXPECT_THAT(beyond.error().message, HasSubstr("x.wav: channel map sends channel 5 to i1"));
  auto missing = check_channel_map(map, Connection::three_phase_4w, 6, "x.wav");
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("needs slot(s) u2, u3, i2, i3"));
  auto extra = check_channel_map(*parse_channel_map("u1=0,u2=1,u3=2,i1=3,i3=4"),
                                 Connection::three_phase_3w, 6, "x.wav");
  ASSERT_FALSE(extra);
  EXPECT_THAT(extra.error().message, HasSubstr("does not use slot u2"));
}

TEST(ChannelMap, DefaultMapsByChannelCount) {
  EXPECT_EQ(format_channel_map(*default_channel_map(2, "a")), "u1=0,i1=1");
  EXPECT_EQ(format_channel_map(*default_channel_map(4, "a")), "u1=0,u3=1,i1=2,i3=3");
  EXPECT_EQ(format_channel_map(*default_channel_map(7, "a")), "u1=0,u2=1,u3=2,i1=3,i2=4,i3=5,in=6");
  auto none = default_channel_map(3, "rec.wav");
  ASSERT_FALSE(none);
  EXPECT_THAT(none.error().message, HasSubstr("rec.wav: no default channel map for 3 channels"));
}

std::vector<ChannelDescriptor> three_phase(const char* a, const char* b, const char* c,
                                           const char* n) {
  return {{"V1", a, Quantity::voltage}, {"V2", b, Quantity::voltage}, {"V3", c, Quantity::voltage},
          {"I1", a, Quantity::current}, {"I2", b, Quantity::current}, {"I3", c, Quantity::current},
          {"I4", n, Quantity::current}, {"F", "", Quantity::other}};
}

TEST(ChannelMap, InfersThreePhaseFromEveryPhaseNaming) {
  for (const auto& names : std::vector<std::array<const char*, 4>>{{"A", "B", "C", "N"},
                                                                   {"L1", "L2", "L3", "N"},
                                                                   {"R", "S", "T", "N"},
                                                                   {"1", "2", "3", "n"},
                                                                   {"a", "b", "c", "Neutral"}}) {
    const auto channels = three_phase(names[0], names[1], names[2], names[3]);
    auto inferred = infer_channel_map(channels, std::nullopt, "rec.cfg");
    ASSERT_TRUE(inferred) << inferred.error().message;
    EXPECT_EQ(inferred->connection, Connection::three_phase_4w) << names[0];
    EXPECT_EQ(format_channel_map(inferred->map), "u1=0,u2=1,u3=2,i1=3,i2=4,i3=5,in=6");
  }
}

TEST(ChannelMap, InfersOrderFromPhaseNamesNotPositions) {
  const std::vector<ChannelDescriptor> channels = {
      {"IC", "", Quantity::current}, {"VC", "", Quantity::voltage}, {"IA", "", Quantity::current},
      {"VA", "", Quantity::voltage}, {"IB", "", Quantity::current}, {"VB", "", Quantity::voltage}};
  auto inferred = infer_channel_map(channels, std::nullopt, "rec.cfg");
  ASSERT_TRUE(inferred) << inferred.error().message;
  EXPECT_EQ(inferred->connection, Connection::three_phase_4w);
  EXPECT_EQ(format_channel_map(inferred->map), "u1=3,u2=5,u3=1,i1=2,i2=4,i3=0");
}

TEST(ChannelMap, InfersSinglePhase) {
  const std::vector<ChannelDescriptor> channels = {{"U", "L1", Quantity::voltage},
                                                   {"I", "L1", Quantity::current},
                                                   {"IN", "N", Quantity::current}};
  auto inferred = infer_channel_map(channels, std::nullopt, "rec.cfg");
  ASSERT_TRUE(inferred) << inferred.error().message;
  EXPECT_EQ(inferred->connection, Connection::single_phase_2w);
  EXPECT_EQ(format_channel_map(inferred->map), "u1=0,i1=1,in=2");
}

TEST(ChannelMap, InfersThreeWireFromLineToLineNames) {
  for (const auto& pair : std::vector<std::array<const char*, 2>>{
           {"AB", "CB"}, {"L1-L2", "L3-L2"}, {"12", "32"}, {"RS", "TS"}}) {
    const std::vector<ChannelDescriptor> channels = {{"U", pair[0], Quantity::voltage},
                                                     {"U", pair[1], Quantity::voltage},
                                                     {"I1", "A", Quantity::current},
                                                     {"I3", "C", Quantity::current}};
    auto inferred = infer_channel_map(channels, std::nullopt, "rec.cfg");
    ASSERT_TRUE(inferred) << inferred.error().message;
    EXPECT_EQ(inferred->connection, Connection::three_phase_3w) << pair[0];
    EXPECT_EQ(format_channel_map(inferred->map), "u1=0,u3=1,i1=2,i3=3") << pair[0];
  }
  // U23 feeds u3 inverted (U32 = -U23); names from ch_id when ph is empty.
  const std::vector<ChannelDescriptor> ids = {{"U12", "", Quantity::voltage},
                                              {"U23", "", Quantity::voltage},
                                              {"IL1", "", Quantity::current},
                                              {"IL2", "", Quantity::current},
                                              {"IL3", "", Quantity::current}};
  auto inferred = infer_channel_map(ids, std::nullopt, "rec.cfg");
  ASSERT_TRUE(inferred) << inferred.error().message;
  EXPECT_EQ(inferred->connection, Connection::three_phase_3w);
  EXPECT_EQ(format_channel_map(inferred->map), "u1=0,u3=1*-1,i1=2,i2=3,i3=4");
}

TEST(ChannelMap, InfersByFileOrderWithoutPhaseNames) {
  const std::vector<ChannelDescriptor> channels = {
      {"x", "", Quantity::voltage}, {"y", "", Quantity::voltage}, {"z", "", Quantity::voltage},
      {"p", "", Quantity::current}, {"q", "", Quantity::current}, {"w", "", Quantity::current}};
  auto inferred = infer_channel_map(channels, std::nullopt, "rec.cfg");
  ASSERT_TRUE(inferred) << inferred.error().message;
  EXPECT_EQ(inferred->connection, Connection::three_phase_4w);
  EXPECT_EQ(format_channel_map(inferred->map), "u1=0,u2=1,u3=2,i1=3,i2=4,i3=5");
  auto single = infer_channel_map(channels, Connection::single_phase_2w, "rec.cfg");
  ASSERT_TRUE(single);
  EXPECT_EQ(format_channel_map(single->map), "u1=0,i1=3");
}

TEST(ChannelMap, ExplicitConnectionPicksPhaseOne) {
  const auto channels = three_phase("A", "B", "C", "N");
  auto single = infer_channel_map(channels, Connection::single_phase_2w, "rec.cfg");
  ASSERT_TRUE(single) << single.error().message;
  EXPECT_EQ(format_channel_map(single->map), "u1=0,i1=3,in=6");
}

TEST(ChannelMap, ReportsWhatIsMissing) {
  const std::vector<ChannelDescriptor> two_voltages = {{"VA", "A", Quantity::voltage},
                                                       {"VB", "B", Quantity::voltage},
                                                       {"IA", "A", Quantity::current}};
  auto ambiguous = infer_channel_map(two_voltages, std::nullopt, "rec.cfg");
  ASSERT_FALSE(ambiguous);
  EXPECT_THAT(ambiguous.error().message, HasSubstr("rec.cfg: cannot infer the connection"));
  EXPECT_THAT(ambiguous.error().message, HasSubstr("\"VB\" ph \"B\""));
  auto short_of = infer_channel_map(two_voltages, Connection::three_phase_4w, "rec.cfg");
  ASSERT_FALSE(short_of);
  EXPECT_THAT(short_of.error().message, HasSubstr("a phase 3 voltage"));
  EXPECT_THAT(short_of.error().message, HasSubstr("a phase 2 current"));
  auto nothing = infer_channel_map({}, std::nullopt, "empty.cfg");
  ASSERT_FALSE(nothing);
  EXPECT_THAT(nothing.error().message, HasSubstr("0 voltage and 0 current"));
}

}  // namespace
}  // namespace gridmeter::metrology
