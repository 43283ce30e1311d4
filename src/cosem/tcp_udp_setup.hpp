// TCP-UDP setup (interface class 41, version 0; IEC 62056-6-2, Blue Book ed. 16 clause 4.9.1),
// 0-0:25.0.0.255: the TCP sub-layer the DLMS server listens on (IEC 62056-47 wrapper over
// TCP), from the application's NetworkSettings.
//
//   TcpUdpSetup tcp(NetworkSettings{});
//   tcp.get(2, std::nullopt);    // long-unsigned 4059
//   tcp.get(3, std::nullopt);    // octet-string 0000190100FF (the IPv4 setup object)
//
// | attr | name | type | value |
// |---|---|---|---|
// | 2 | TCP-UDP_port | long-unsigned | tcp_port |
// | 3 | IP_reference | octet-string (6) | 0-0:25.1.0.255, the IPv4 setup object |
// | 4 | MSS | long-unsigned | max_segment_size |
// | 5 | nb_of_sim_conn | unsigned | max_connections |
// | 6 | inactivity_time_out | long-unsigned | inactivity_timeout_s (0: never) |
//
// Read-only for now: the settings are the ones the server was started with, and changing them
// means reopening the listener, which belongs to the application (the management client that
// writes them comes later). Writes answer read_write_denied. No methods.
#pragma once

#include <optional>  // std::optional

#include "cosem/cosem_object.hpp"
#include "cosem/network_settings.hpp"

namespace gridmeter::cosem {

inline constexpr Obis tcp_udp_setup_obis{0, 0, 25, 0, 0, 255};

class TcpUdpSetup final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 41;

  // A copy of the settings: they are the application's, fixed while the list exists (a new
  // setting means a new listener and a new object list).
  explicit TcpUdpSetup(const NetworkSettings& settings, Obis logical_name = tcp_udp_setup_obis);

  [[nodiscard]] int attribute_count() const override { return 6; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;

 private:
  NetworkSettings settings_;
};

}  // namespace gridmeter::cosem
