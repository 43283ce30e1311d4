#include "transport/host_port.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "transport/wrapper_port.hpp"

namespace gridmeter::transport {
namespace {

// The parsed address; a failure of the test (and an empty HostPort) when it is refused.
HostPort parsed(std::string_view text, std::uint16_t default_port = dlms_cosem_port) {
  auto result = parse_host_port(text, default_port);
  if (!result) {
    ADD_FAILURE() << "\"" << text << "\" refused: " << result.error().message;
    return {};
  }
  return *result;
}

// Why `text` is refused; empty (and a failure of the test) when it is accepted.
std::string refusal(std::string_view text) {
  auto result = parse_host_port(text, dlms_cosem_port);
  if (result) {
    ADD_FAILURE() << "\"" << text << "\" accepted as " << result->host << " port " << result->port;
    return {};
  }
  return result.error().message;
}

TEST(HostPort, Ipv4WithPort) {
  EXPECT_EQ(parsed("10.0.0.7:4059"), (HostPort{"10.0.0.7", 4059}));
  EXPECT_EQ(parsed("127.0.0.1:5000"), (HostPort{"127.0.0.1", 5000}));
}

TEST(HostPort, NameWithPort) {
  EXPECT_EQ(parsed("meter.example:4060"), (HostPort{"meter.example", 4060}));
  EXPECT_EQ(parsed("localhost:1"), (HostPort{"localhost", 1}));
}

TEST(HostPort, BracketedIpv6WithPort) {
  EXPECT_EQ(parsed("[::1]:5000"), (HostPort{"::1", 5000}));
  EXPECT_EQ(parsed("[fe80::1:2]:4059"), (HostPort{"fe80::1:2", 4059}));
}

TEST(HostPort, MissingPortTakesTheDefault) {
  EXPECT_EQ(parsed("10.0.0.7", 4059), (HostPort{"10.0.0.7", 4059}));
  EXPECT_EQ(parsed("meter.example", 1234), (HostPort{"meter.example", 1234}));
  EXPECT_EQ(parsed("[::1]", 4059), (HostPort{"::1", 4059}));
  EXPECT_EQ(parsed("[2001:db8::7]", 7), (HostPort{"2001:db8::7", 7}));
}

TEST(HostPort, PortRangeEnds) {
  EXPECT_EQ(parsed("host:0"), (HostPort{"host", 0}));
  EXPECT_EQ(parsed("host:65535"), (HostPort{"host", 65535}));
  EXPECT_EQ(parsed("[::1]:65535"), (HostPort{"::1", 65535}));
  // Leading zeros are still a number in range.
  EXPECT_EQ(parsed("host:04059"), (HostPort{"host", 4059}));
}

TEST(HostPort, EmptyText) { EXPECT_EQ(refusal(""), "address \"\": no host"); }

TEST(HostPort, ColonWithoutPort) {
  EXPECT_EQ(refusal("host:"), "address \"host:\": no port after the :");
  EXPECT_EQ(refusal("10.0.0.7:"), "address \"10.0.0.7:\": no port after the :");
  EXPECT_EQ(refusal("[::1]:"), "address \"[::1]:\": no port after the :");
}

TEST(HostPort, PortWithoutHost) {
  EXPECT_EQ(refusal(":4059"), "address \":4059\": no host");
  EXPECT_EQ(refusal("[]:4059"), "address \"[]:4059\": no host");
  EXPECT_EQ(refusal("[]"), "address \"[]\": no host");
}

TEST(HostPort, Ipv6WithoutClosingBracket) {
  EXPECT_EQ(refusal("[::1"), "address \"[::1\": an IPv6 address needs its closing ]");
  EXPECT_EQ(refusal("[::1:4059"), "address \"[::1:4059\": an IPv6 address needs its closing ]");
}

TEST(HostPort, TextAfterTheBracketThatIsNotAPort) {
  EXPECT_EQ(refusal("[::1]x"), "address \"[::1]x\": expected :PORT after the ]");
  EXPECT_EQ(refusal("[::1]4059"), "address \"[::1]4059\": expected :PORT after the ]");
  EXPECT_EQ(refusal("[::1] :4059"), "address \"[::1] :4059\": expected :PORT after the ]");
}

TEST(HostPort, SeveralColonsWithoutBrackets) {
  EXPECT_EQ(refusal("a:b:c"), "address \"a:b:c\": write an IPv6 address as [ADDRESS]:PORT");
  EXPECT_EQ(refusal("::1"), "address \"::1\": write an IPv6 address as [ADDRESS]:PORT");
  EXPECT_EQ(refusal("fe80::1:4059"),
            "address \"fe80::1:4059\": write an IPv6 address as [ADDRESS]:PORT");
}

TEST(HostPort, PortOutOfRange) {
  EXPECT_EQ(refusal("host:65536"), "address \"host:65536\": port \"65536\" is not 0..65535");
  EXPECT_EQ(refusal("host:99999999999999999999"),
            "address \"host:99999999999999999999\": port \"99999999999999999999\" is not "
            "0..65535");
  EXPECT_EQ(refusal("[::1]:70000"), "address \"[::1]:70000\": port \"70000\" is not 0..65535");
}

TEST(HostPort, PortNotANumber) {
  EXPECT_EQ(refusal("host:x"), "address \"host:x\": port \"x\" is not 0..65535");
  EXPECT_EQ(refusal("host:-1"), "address \"host:-1\": port \"-1\" is not 0..65535");
  EXPECT_EQ(refusal("host:+1"), "address \"host:+1\": port \"+1\" is not 0..65535");
  EXPECT_EQ(refusal("host:40x"), "address \"host:40x\": port \"40x\" is not 0..65535");
  EXPECT_EQ(refusal("host:0x10"), "address \"host:0x10\": port \"0x10\" is not 0..65535");
  EXPECT_EQ(refusal("[::1]:port"), "address \"[::1]:port\": port \"port\" is not 0..65535");
}

TEST(HostPort, SpacesInThePort) {
  EXPECT_EQ(refusal("host: 4059"), "address \"host: 4059\": port \" 4059\" is not 0..65535");
  EXPECT_EQ(refusal("host:4059 "), "address \"host:4059 \": port \"4059 \" is not 0..65535");
  EXPECT_EQ(refusal("host:40 59"), "address \"host:40 59\": port \"40 59\" is not 0..65535");
}

TEST(HostPort, SpacesAndControlCharactersInTheHost) {
  const std::string why = "the host has a character hosts never have";
  EXPECT_EQ(refusal(" host:4059"), "address \" host:4059\": " + why);
  EXPECT_EQ(refusal("host :4059"), "address \"host :4059\": " + why);
  EXPECT_EQ(refusal("my host"), "address \"my host\": " + why);
  EXPECT_EQ(refusal("host\t"), "address \"host\t\": " + why);
  EXPECT_EQ(refusal("[::1 ]:4059"), "address \"[::1 ]:4059\": " + why);
  EXPECT_EQ(refusal(std::string_view("ho\0st", 5)),
            "address \"" + std::string("ho\0st", 5) + "\": " + why);
  EXPECT_EQ(refusal("ho\x7Fst"), "address \"ho\x7Fst\": " + why);
  EXPECT_EQ(refusal("http://meter"), "address \"http://meter\": give HOST[:PORT], not a URL");
  EXPECT_EQ(refusal("meter/4059"), "address \"meter/4059\": " + why);
}

TEST(HostPort, NonAsciiHostIsRefusedWhateverTheSignOfChar) {
  // "zähler" in UTF-8: its bytes over 0x7F are refused the same on every platform.
  EXPECT_EQ(refusal("z\xC3\xA4hler:4059"),
            "address \"z\xC3\xA4hler:4059\": the host has a character hosts never have");
}

}  // namespace
}  // namespace gridmeter::transport
