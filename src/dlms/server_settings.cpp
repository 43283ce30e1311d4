#include "dlms/server_settings.hpp"

#include <utility>  // std::move

namespace gridmeter::dlms {

ClientPolicy ClientPolicy::public_client(Conformance conformance) {
  ClientPolicy policy;
  policy.client_sap = 0x10;
  policy.mechanism = Mechanism::lowest;
  policy.conformance = conformance;
  return policy;
}

ClientPolicy ClientPolicy::low_level(std::uint16_t client_sap, std::vector<std::uint8_t> password,
                                     Conformance conformance) {
  ClientPolicy policy;
  policy.client_sap = client_sap;
  policy.mechanism = Mechanism::low;
  policy.password = std::move(password);
  policy.conformance = conformance;
  return policy;
}

ClientPolicy ClientPolicy::high_gmac(std::uint16_t client_sap, SecurityPolicy policy,
                                     Conformance conformance) {
  ClientPolicy client;
  client.client_sap = client_sap;
  client.mechanism = Mechanism::high_gmac;
  client.conformance = conformance;
  client.security_policy = policy;
  return client;
}

const ClientPolicy* ServerSettings::policy_for(std::uint16_t client_sap) const {
  for (const ClientPolicy& policy : clients) {
    if (policy.client_sap == client_sap) return &policy;
  }
  return nullptr;
}

}  // namespace gridmeter::dlms
