// NetworkSettings: the DLMS server's own TCP/IPv4 settings, which the TCP-UDP setup (class 41)
// and IPv4 setup (class 42) objects describe. The application owns them (it opens the
// listener), not the meter core, so they are a plain value handed to the object list.
//
//   NetworkSettings network;                       // port 4059, any address, 1 connection
//   network.ipv4_address = ipv4(192, 168, 1, 20);
//   ObjectList objects = build_meter_objects(access, identity, network);
//
// Addresses are IPv4 addresses as the Blue Book's double-long-unsigned carries them: the four
// octets big-endian, 192.168.0.1 = 0xC0A80001. 0 means none (no address assigned, no gateway,
// no DNS server).
#pragma once

#include <cstdint>  // std::uint8_t, std::uint16_t, std::uint32_t

namespace gridmeter::cosem {

struct NetworkSettings {
  // IANA's port for DLMS/COSEM over TCP and UDP (IEC 62056-47).
  std::uint16_t tcp_port = 4059;
  std::uint32_t ipv4_address = 0;
  std::uint32_t subnet_mask = 0;
  std::uint32_t gateway = 0;
  std::uint32_t primary_dns = 0;
  std::uint32_t secondary_dns = 0;
  bool use_dhcp = false;
  // One association at a time; segments of 576 octets and connections closed after 180 s idle
  // (0: never), the defaults of TCP-UDP setup (Blue Book ed. 16 clause 4.9.1).
  std::uint8_t max_connections = 1;
  std::uint16_t inactivity_timeout_s = 180;
  std::uint16_t max_segment_size = 576;

  friend constexpr bool operator==(const NetworkSettings&, const NetworkSettings&) = default;
};

// a.b.c.d as the Blue Book's double-long-unsigned IPv4 address.
constexpr std::uint32_t ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return std::uint32_t{a} << 24U | std::uint32_t{b} << 16U | std::uint32_t{c} << 8U | d;
}

}  // namespace gridmeter::cosem
