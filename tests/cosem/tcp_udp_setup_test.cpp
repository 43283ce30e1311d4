// TCP-UDP setup (class 41): the DLMS server's TCP settings, read-only for now.
#include "cosem/tcp_udp_setup.hpp"

#include <gtest/gtest.h>

#include "cosem_test_support.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;
using test::hex;
using test::wire;

TEST(TcpUdpSetup, DefaultSettings) {
  const TcpUdpSetup tcp{NetworkSettings{}};
  EXPECT_EQ(tcp.class_id(), 41);
  EXPECT_EQ(tcp.version(), 0);
  EXPECT_EQ(wire(tcp, 1), hex("09 06 0000190000FF"));
  EXPECT_EQ(wire(tcp, 2), hex("12 0FDB"));             // port 4059
  EXPECT_EQ(wire(tcp, 3), hex("09 06 0000190100FF"));  // IP_reference: the IPv4 setup
  EXPECT_EQ(wire(tcp, 4), hex("12 0240"));             // MSS 576
  EXPECT_EQ(wire(tcp, 5), hex("11 01"));               // one connection
  EXPECT_EQ(wire(tcp, 6), hex("12 00B4"));             // 180 s
  EXPECT_EQ(test::error_of(tcp.get(7, std::nullopt)), DataAccessResult::object_undefined);
}

TEST(TcpUdpSetup, ShowsTheApplicationsSettings) {
  NetworkSettings settings;
  settings.tcp_port = 14059;
  settings.max_segment_size = 1460;
  settings.max_connections = 4;
  settings.inactivity_timeout_s = 0;  // never
  const TcpUdpSetup tcp(settings);
  EXPECT_EQ(wire(tcp, 2), hex("12 36EB"));
  EXPECT_EQ(wire(tcp, 4), hex("12 05B4"));
  EXPECT_EQ(wire(tcp, 5), hex("11 04"));
  EXPECT_EQ(wire(tcp, 6), hex("12 0000"));
}

TEST(TcpUdpSetup, ReadOnly) {
  TcpUdpSetup tcp{NetworkSettings{}};
  for (int attribute = 2; attribute <= 6; ++attribute)
    EXPECT_EQ(tcp.set(attribute, Data::unsigned16(1)), DataAccessResult::read_write_denied);
  EXPECT_EQ(tcp.action(1, std::nullopt).result, dlms::ActionResult::object_undefined);
  EXPECT_EQ(wire(tcp, 2), hex("12 0FDB"));
}

}  // namespace
}  // namespace gridmeter::cosem
