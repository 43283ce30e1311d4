// libFuzzer target: the server's application layer over the real object model. The input is a
// sequence of APDUs (each a 2-octet big-endian length, then the octets), sent one after the
// other to the associations of one connection over a meter's LogicalDevice: the first octet's
// low bit picks the client (public or reading); its next bit sends a valid LLS AARQ first, so
// the fuzzer reaches the services. Every request is answered or deliberately not (unconfirmed
// services), nothing crashes, every answer decodes as what a server may send, and no answer of
// an association exceeds the client's max receive PDU size. The meter's energy never changes:
// no service may write a register.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "cosem/logical_device.hpp"
#include "cosem/meter_access.hpp"
#include "cosem/object_list.hpp"
#include "dlms/acse.hpp"
#include "dlms/initiate.hpp"
#include "dlms/server_connection.hpp"
#include "dlms/xdlms.hpp"
#include "meter/meter.hpp"

namespace {

namespace dlms = gridmeter::dlms;
namespace cosem = gridmeter::cosem;

void require(bool condition) {
  if (!condition) std::abort();
}

class FuzzAccess final : public cosem::MeterAccess {
 public:
  gridmeter::Meter& meter() override { return meter_; }
  [[nodiscard]] const gridmeter::Measurement& latest_measurement() const override {
    return latest_;
  }

 private:
  gridmeter::Meter meter_{gridmeter::Connection::single_phase_2w,
                          1'767'772'800'000'000};  // 2026-01-07 08:00 UTC
  gridmeter::Measurement latest_{};
};

std::vector<std::uint8_t> lls_aarq(std::uint16_t pdu) {
  dlms::Aarq aarq;
  aarq.authentication = true;
  aarq.mechanism_name = dlms::to_oid(dlms::Mechanism::low);
  aarq.calling_authentication_value = std::vector<std::uint8_t>{'f', 'u', 'z', 'z'};
  dlms::InitiateRequest initiate;
  initiate.proposed_conformance = dlms::server_conformance;
  initiate.client_max_receive_pdu_size = pdu;
  aarq.user_information = *initiate.encode();
  return *aarq.encode();
}

// What a server may answer with: an ACSE APDU, an xDLMS APDU, or a ConfirmedServiceError.
void check_answer(const std::vector<std::uint8_t>& answer) {
  require(!answer.empty());
  switch (answer[0]) {
    case 0x61:
      require(dlms::Aare::decode(answer).has_value());
      return;
    case 0x63:
      require(dlms::Rlre::decode(answer).has_value());
      return;
    case 0x0E:
      require(dlms::ConfirmedServiceError::decode(answer).has_value());
      return;
    default:
      require(dlms::decode_xdlms_apdu(answer).has_value());
  }
}

std::vector<cosem::ClientAssignment> clients() {
  std::vector<cosem::ClientAssignment> list(2);
  list[0].client_sap = 0x10;
  list[0].rights = cosem::ClientRights(cosem::ClientRole::public_client);
  list[0].instance = 1;
  list[1].client_sap = 0x20;
  list[1].rights = cosem::ClientRights(cosem::ClientRole::reader);
  list[1].instance = 2;
  list[1].mechanism = dlms::Mechanism::low;
  return list;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static FuzzAccess access;
  static cosem::LogicalDevice device(cosem::build_meter_objects(access, cosem::DeviceIdentity{}),
                                     clients());
  dlms::ServerSettings settings;
  settings.clients.push_back(dlms::ClientPolicy::public_client(dlms::read_only_conformance));
  settings.clients.push_back(
      dlms::ClientPolicy::low_level(0x20, {'f', 'u', 'z', 'z'}, dlms::read_only_conformance));
  dlms::ServerConnection connection(settings, device);
  const auto energy_before = access.meter().state().energy;

  const std::uint16_t client = (data[0] & 1) != 0 ? 0x20 : 0x10;
  std::vector<std::uint8_t> answer;
  if ((data[0] & 2) != 0) {
    const std::uint16_t pdu = (data[0] & 4) != 0 ? 64 : 0xFFFF;
    connection.handle(client, 1, lls_aarq(pdu), answer);
    check_answer(answer);
  }
  std::span<const std::uint8_t> rest(data + 1, size - 1);
  while (rest.size() >= 2) {
    const std::size_t length = std::size_t{rest[0]} << 8U | rest[1];
    rest = rest.subspan(2);
    const std::span<const std::uint8_t> apdu = rest.first(std::min(length, rest.size()));
    rest = rest.subspan(apdu.size());
    const auto verdict = connection.handle(client, 1, apdu, answer);
    require(verdict == dlms::ServerConnection::Verdict::answer);
    if (answer.empty()) continue;  // an unconfirmed service
    check_answer(answer);
    const dlms::Association* association = connection.association(client);
    if (association != nullptr && association->associated()) {
      require(answer.size() <= association->context().client_max_receive_pdu_size);
    }
  }
  require(access.meter().state().energy == energy_before);
  return 0;
}
