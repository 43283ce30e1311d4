// Security setup (interface class 64, version 1; IEC 62056-6-2 clause 4.4.7): one client's
// security context, 0-0:43.0.e.255, bound to the server's ServerSecurity. Keys are never
// readable: they only go in, wrapped, through key_transfer.
//
//   SecuritySetupObject setup(Obis{0, 0, 43, 0, 3, 255}, /*client_sap=*/1, security);
//   setup.get(2, std::nullopt);   // enum 0x6C: authenticated and encrypted, both ways
//   setup.action(2, Data::array({Data::structure({Data::enumeration(0), Data::octets(wrapped)})}));
//
// Attributes:
//   2 security_policy      enum (version 1 bit map: 0x04 authenticated request, 0x08 encrypted
//                          request, 0x20 authenticated response, 0x40 encrypted response)
//   3 security_suite       enum: 0 (AES-GCM-128, AES-128 key wrap)
//   4 client_system_title  octet-string: the title of the client's last AARQ (empty before)
//   5 server_system_title  octet-string(8)
//   6 certificates         array: empty (certificates belong to suites 1 and 2)
// Methods:
//   1 security_activate(enum policy): only a stronger policy suite 0 can honour
//   2 key_transfer(array of {key_id enum, key_wrapped octet-string}): the keys are unwrapped
//     under the master key (RFC 3394), all or none, and take effect after the answer
//     (ServerSecurity::stage_keys; KeyActivation says when)
//   3..8 (key_agreement, generate_key_pair, generate_certificate_request, import_certificate,
//     export_certificate, remove_certificate): suites 1 and 2 only, refused with other-reason.
#pragma once

#include <cstdint>  // std::uint16_t

#include "cosem/cosem_object.hpp"
#include "dlms/server_security.hpp"

namespace gridmeter::cosem {

class SecuritySetupObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 64;
  static constexpr std::uint8_t version_value = 1;

  SecuritySetupObject(Obis logical_name, std::uint16_t client_sap, dlms::ServerSecurity& security);

  [[nodiscard]] int attribute_count() const override { return 6; }
  [[nodiscard]] int method_count() const override { return 8; }
  [[nodiscard]] std::uint16_t client_sap() const { return client_sap_; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  dlms::ActionResult security_activate(const std::optional<dlms::Data>& parameters);
  dlms::ActionResult key_transfer(const std::optional<dlms::Data>& parameters);

  std::uint16_t client_sap_;
  dlms::ServerSecurity& security_;
};

}  // namespace gridmeter::cosem
