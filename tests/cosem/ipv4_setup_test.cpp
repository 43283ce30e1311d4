// IPv4 setup (class 42): the DLMS server's IPv4 settings, read-only for now, no multicast.
#include "cosem/ipv4_setup.hpp"

#include <gtest/gtest.h>

#include "cosem_test_support.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using test::hex;
using test::wire;

NetworkSettings lan() {
  NetworkSettings settings;
  settings.ipv4_address = ipv4(192, 168, 1, 20);
  settings.subnet_mask = ipv4(255, 255, 255, 0);
  settings.gateway = ipv4(192, 168, 1, 1);
  settings.primary_dns = ipv4(192, 168, 1, 1);
  settings.secondary_dns = ipv4(9, 9, 9, 9);
  return settings;
}

TEST(Ipv4Setup, EveryAttribute) {
  const Ipv4Setup ip(lan());
  EXPECT_EQ(ip.class_id(), 42);
  EXPECT_EQ(ip.version(), 0);
  EXPECT_EQ(wire(ip, 1), hex("09 06 0000190100FF"));
  EXPECT_EQ(wire(ip, 2), hex("09 06 000000000000"));  // no data link setup object
  EXPECT_EQ(wire(ip, 3), hex("06 C0A80114"));
  EXPECT_EQ(wire(ip, 4), hex("01 00"));  // no multicast address
  EXPECT_EQ(wire(ip, 5), hex("01 00"));  // no IP options
  EXPECT_EQ(wire(ip, 6), hex("06 FFFFFF00"));
  EXPECT_EQ(wire(ip, 7), hex("06 C0A80101"));
  EXPECT_EQ(wire(ip, 8), hex("03 00"));
  EXPECT_EQ(wire(ip, 9), hex("06 C0A80101"));
  EXPECT_EQ(wire(ip, 10), hex("06 09090909"));
  EXPECT_EQ(test::error_of(ip.get(11, std::nullopt)), DataAccessResult::object_undefined);
}

TEST(Ipv4Setup, DefaultsAreNoAddress) {
  NetworkSettings settings;
  settings.use_dhcp = true;
  const Ipv4Setup ip(settings);
  EXPECT_EQ(wire(ip, 3), hex("06 00000000"));
  EXPECT_EQ(wire(ip, 8), hex("03 01"));
}

TEST(Ipv4Setup, ReadOnlyAndNoMulticast) {
  Ipv4Setup ip(lan());
  EXPECT_EQ(ip.set(3, Data::unsigned32(ipv4(10, 0, 0, 1))), DataAccessResult::read_write_denied);
  EXPECT_EQ(ip.set(8, Data::boolean(true)), DataAccessResult::read_write_denied);
  const Data group = Data::unsigned32(ipv4(224, 0, 0, 1));
  EXPECT_EQ(ip.action(1, group).result, ActionResult::read_write_denied);
  EXPECT_EQ(ip.action(2, group).result, ActionResult::read_write_denied);
  EXPECT_EQ(ip.action(3, Data::integer8(0)).result, ActionResult::read_write_denied);
  EXPECT_EQ(ip.action(4, group).result, ActionResult::object_undefined);
  EXPECT_EQ(wire(ip, 3), hex("06 C0A80114"));
  EXPECT_EQ(wire(ip, 4), hex("01 00"));
}

}  // namespace
}  // namespace gridmeter::cosem
