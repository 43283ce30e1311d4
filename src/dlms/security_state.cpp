#include "dlms/security_state.hpp"

namespace gridmeter::dlms {

std::optional<AesKey>& GlobalKeys::operator[](KeyId id) {
  switch (id) {
    case KeyId::unicast_encryption:
      return unicast_encryption;
    case KeyId::broadcast_encryption:
      return broadcast_encryption;
    case KeyId::authentication:
      return authentication;
    case KeyId::master:
      return master;
  }
  return master;  // not reached: every KeyId is listed
}

const std::optional<AesKey>& GlobalKeys::operator[](KeyId id) const {
  return const_cast<GlobalKeys&>(*this)[id];
}

ClientSecurity& SecurityState::client(std::uint16_t client_sap) {
  for (ClientSecurity& entry : clients) {
    if (entry.client_sap == client_sap) return entry;
  }
  ClientSecurity entry;
  entry.client_sap = client_sap;
  clients.push_back(entry);
  return clients.back();
}

const ClientSecurity* SecurityState::find_client(std::uint16_t client_sap) const {
  for (const ClientSecurity& entry : clients) {
    if (entry.client_sap == client_sap) return &entry;
  }
  return nullptr;
}

}  // namespace gridmeter::dlms
