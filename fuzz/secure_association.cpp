// libFuzzer target: the ciphered path of the server's application layer, with fixed keys so
// that the fuzzer reaches past the cipher. Each input starts a fresh connection whose
// management client (HLS-GMAC, authenticated encryption) has associated through its four
// passes; then the input is a sequence of records (a tag octet, a 2-octet big-endian length,
// the octets):
//   tag bit 0 clear: the octets are a plain APDU that the harness protects with the client's
//                    keys and next counter (glo-* when it has a ciphered form, else
//                    general-glo-ciphering; bit 1 picks general-glo), so the inner decoder and
//                    the services see fuzzed content;
//   tag bit 0 set:   the octets go to the server as they are (the ciphered framing, security
//                    headers, tags and counters as an attacker would send them).
// Nothing crashes, every request gets an answer or none (unconfirmed), and every answer is
// an ACSE or xDLMS APDU, ciphered ones deciphering with the keys.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "cosem/logical_device.hpp"
#include "cosem/meter_access.hpp"
#include "cosem/object_list.hpp"
#include "dlms/ciphered_apdu.hpp"
#include "dlms/client.hpp"
#include "dlms/security_suite0.hpp"
#include "dlms/server_connection.hpp"
#include "dlms/server_security.hpp"
#include "dlms/xdlms.hpp"
#include "meter/meter.hpp"

namespace {

namespace dlms = gridmeter::dlms;
namespace cosem = gridmeter::cosem;

void require(bool condition) {
  if (!condition) std::abort();
}

constexpr std::uint16_t management = 0x01;
const dlms::AesKey ek{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
const dlms::AesKey ak{0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                      0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
const dlms::SystemTitle server_title{0x47, 0x52, 0x44, 0, 0, 0, 0, 1};
const dlms::SystemTitle client_title{0x43, 0x4C, 0x49, 0, 0, 0, 0, 1};

class FuzzAccess final : public cosem::MeterAccess {
 public:
  gridmeter::Meter& meter() override { return meter_; }
  [[nodiscard]] const gridmeter::Measurement& latest_measurement() const override {
    return latest_;
  }

 private:
  gridmeter::Meter meter_{gridmeter::Connection::single_phase_2w, 1'767'772'800'000'000};
  gridmeter::Measurement latest_{};
};

dlms::SecurityState security_state() {
  dlms::SecurityState state;
  state.server_system_title = server_title;
  state.keys.unicast_encryption = ek;
  state.keys.authentication = ak;
  state.keys.master = ek;
  return state;
}

// An answer the server may send; a ciphered one deciphers under the keys.
void check_answer(const std::vector<std::uint8_t>& answer, dlms::Suite0& suite) {
  require(!answer.empty());
  if (dlms::is_ciphered_tag(answer[0])) {
    auto ciphered = dlms::CipheredApdu::decode(answer);
    require(ciphered.has_value());
    std::vector<std::uint8_t> plain;
    // A dedicated answer is under a key the harness does not know; a global one must open.
    const bool dedicated =
        answer[0] == dlms::general_ded_ciphering_tag || (answer[0] >= 0xD0 && answer[0] <= 0xD7);
    if (!dedicated) {
      require(static_cast<bool>(suite.unprotect(*ciphered, server_title, plain)));
      require(dlms::decode_xdlms_apdu(plain).has_value());
    }
    return;
  }
  require(answer[0] == 0x61 || answer[0] == 0x63 || answer[0] == 0x0E ||
          dlms::decode_xdlms_apdu(answer).has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static FuzzAccess access;
  dlms::SecurityHooks hooks;
  // A fixed challenge: the same input runs the same way.
  hooks.random = [](std::size_t octets) -> gridmeter::Result<std::vector<std::uint8_t>> {
    return std::vector<std::uint8_t>(octets, 0x5A);
  };
  dlms::ServerSecurity security(security_state(), hooks);
  std::vector<cosem::ClientAssignment> clients(1);
  clients[0].client_sap = management;
  clients[0].rights = cosem::ClientRights(cosem::ClientRole::management);
  clients[0].instance = 3;
  clients[0].mechanism = dlms::Mechanism::high_gmac;
  clients[0].application_context = dlms::ApplicationContext::ln_ciphering;
  clients[0].security_setup = true;
  // Not static: a key_transfer in one input must not change the keys of the next.
  cosem::LogicalDevice device(cosem::build_meter_objects(access, cosem::DeviceIdentity{}), clients,
                              &security);
  dlms::ServerSettings settings;
  settings.clients.push_back(dlms::ClientPolicy::high_gmac(
      management, dlms::SecurityPolicy::authenticated_encrypted(), dlms::full_conformance));
  security.set_initial_policy(management, dlms::SecurityPolicy::authenticated_encrypted());
  dlms::ServerConnection connection(settings, device, &security);

  dlms::ClientOptions options;
  options.mechanism = dlms::Mechanism::high_gmac;
  options.ciphering = dlms::ClientCiphering{};
  options.ciphering->ek = ek;
  options.ciphering->ak = ak;
  options.ciphering->client_system_title = client_title;
  options.challenge = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<std::uint8_t> answer;
  dlms::Client client(
      [&](std::span<const std::uint8_t> request) -> gridmeter::Result<std::vector<std::uint8_t>> {
        connection.handle(management, 1, request, answer);
        return answer;
      },
      options);
  require(static_cast<bool>(client.associate()));
  std::uint32_t counter = client.invocation_counter();
  dlms::Suite0 suite(ek, ak);

  std::span<const std::uint8_t> rest(data, size);
  while (rest.size() >= 3) {
    const std::uint8_t tag = rest[0];
    const std::size_t length = std::size_t{rest[1]} << 8U | rest[2];
    rest = rest.subspan(3);
    const std::span<const std::uint8_t> octets = rest.first(std::min(length, rest.size()));
    rest = rest.subspan(octets.size());
    std::vector<std::uint8_t> request;
    if ((tag & 1U) != 0 || octets.empty()) {
      request.assign(octets.begin(), octets.end());
    } else {
      std::vector<std::uint8_t> content;
      require(static_cast<bool>(
          suite.protect(dlms::SecurityControl{0x30}, client_title, counter++, octets, content)));
      const std::optional<std::uint8_t> glo = dlms::glo_tag(octets[0]);
      if ((tag & 2U) != 0 || !glo) {
        dlms::encode_general_ciphering(false, client_title, content, request);
      } else {
        dlms::encode_service_ciphered(*glo, content, request);
      }
    }
    const auto verdict = connection.handle(management, 1, request, answer);
    require(verdict == dlms::ServerConnection::Verdict::answer);
    if (answer.empty()) continue;  // an unconfirmed service
    check_answer(answer, suite);
  }
  return 0;
}
