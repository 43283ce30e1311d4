#include "cosem/ipv4_setup.hpp"

#include <array>  // std::array

#include "cosem/calendar_values.hpp"

namespace gridmeter::cosem {

Ipv4Setup::Ipv4Setup(const NetworkSettings& settings, Obis logical_name)
    : CosemObject(class_id_value, 0, logical_name), settings_(settings) {}

dlms::GetDataResult Ipv4Setup::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  using dlms::Data;
  switch (attribute) {
    case 2:
      // No MAC address or PPP setup object: the link under the server is the host's.
      return octet_string(std::array<std::uint8_t, 6>{});
    case 3:
      return Data::unsigned32(settings_.ipv4_address);
    case 4:
    case 5:
      return Data::array({});
    case 6:
      return Data::unsigned32(settings_.subnet_mask);
    case 7:
      return Data::unsigned32(settings_.gateway);
    case 8:
      return Data::boolean(settings_.use_dhcp);
    case 9:
      return Data::unsigned32(settings_.primary_dns);
    default:  // 10: the base class refused the rest
      return Data::unsigned32(settings_.secondary_dns);
  }
}

}  // namespace gridmeter::cosem
