// IPv4 setup (interface class 42, version 0; IEC 62056-6-2, Blue Book ed. 16 clause 4.9.2),
// 0-0:25.1.0.255: the IPv4 layer under the TCP-UDP setup object, from the application's
// NetworkSettings.
//
//   Ipv4Setup ip(network);
//   ip.get(3, std::nullopt);   // double-long-unsigned C0A80114 (192.168.1.20)
//   ip.action(1, Data::unsigned32(ipv4(224, 0, 0, 1)));   // read_write_denied
//
// | attr | name | type | value |
// |---|---|---|---|
// | 2 | DL_reference | octet-string (6) | 000000000000 (see below) |
// | 3 | IP_address | double-long-unsigned | ipv4_address (0: not assigned) |
// | 4 | multicast_IP_address | array of double-long-unsigned | empty |
// | 5 | IP_options | array of IP_options_element | empty |
// | 6 | subnet_mask | double-long-unsigned | subnet_mask |
// | 7 | gateway_IP_address | double-long-unsigned | gateway |
// | 8 | use_DHCP_flag | boolean | use_dhcp |
// | 9 | primary_DNS_address | double-long-unsigned | primary_dns |
// | 10 | secondary_DNS_address | double-long-unsigned | secondary_dns |
//
// IP_options_element ::= structure { IP_Option_Type unsigned, IP_Option_Length unsigned,
// IP_Option_Data octet-string }: the server sets no IP options and joins no multicast group.
// DL_reference names no object: there is no MAC address or PPP setup object, because the
// host's network stack owns the link under the server.
//
// Read-only for now (writes: read_write_denied), as TCP-UDP setup. Methods 1
// add_mc_IP_address, 2 delete_mc_IP_address and 3 get_nbof_mc_IP_addresses are refused with
// read_write_denied: the server does not do multicast.
#pragma once

#include <optional>  // std::optional

#include "cosem/cosem_object.hpp"
#include "cosem/network_settings.hpp"

namespace gridmeter::cosem {

inline constexpr Obis ipv4_setup_obis{0, 0, 25, 1, 0, 255};

class Ipv4Setup final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 42;

  // A copy of the settings, as TcpUdpSetup keeps one.
  explicit Ipv4Setup(const NetworkSettings& settings, Obis logical_name = ipv4_setup_obis);

  [[nodiscard]] int attribute_count() const override { return 10; }
  [[nodiscard]] int method_count() const override { return 3; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  // Methods 1..3: refused, read_write_denied (the base class default).

 private:
  NetworkSettings settings_;
};

}  // namespace gridmeter::cosem
