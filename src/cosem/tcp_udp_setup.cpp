#include "cosem/tcp_udp_setup.hpp"

#include "cosem/calendar_values.hpp"
#include "cosem/ipv4_setup.hpp"

namespace gridmeter::cosem {

TcpUdpSetup::TcpUdpSetup(const NetworkSettings& settings, Obis logical_name)
    : CosemObject(class_id_value, 0, logical_name), settings_(settings) {}

dlms::GetDataResult TcpUdpSetup::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  using dlms::Data;
  switch (attribute) {
    case 2:
      return Data::unsigned16(settings_.tcp_port);
    case 3:
      return octet_string(ipv4_setup_obis.bytes());
    case 4:
      return Data::unsigned16(settings_.max_segment_size);
    case 5:
      return Data::unsigned8(settings_.max_connections);
    default:  // 6: the base class refused the rest
      return Data::unsigned16(settings_.inactivity_timeout_s);
  }
}

}  // namespace gridmeter::cosem
