#include "dlms/server_connection.hpp"

namespace gridmeter::dlms {

namespace {
constexpr std::uint16_t no_station = 0x0000;
}  // namespace

ServerConnection::ServerConnection(const ServerSettings& settings, ObjectServer& objects,
                                   ServerSecurity* security)
    : settings_(settings), objects_(objects), security_(security) {}

ServerConnection::Verdict ServerConnection::handle(std::uint16_t client_sap,
                                                   std::uint16_t server_sap,
                                                   std::span<const std::uint8_t> apdu,
                                                   std::vector<std::uint8_t>& response) {
  response.clear();
  if (server_sap != settings_.logical_device_sap || client_sap == no_station) {
    return Verdict::close;
  }
  for (const auto& association : associations_) {
    if (association->context().client_sap == client_sap) {
      association->handle(apdu, response);
      return Verdict::answer;
    }
  }
  if (associations_.size() >= settings_.associations_per_connection_max) return Verdict::close;
  associations_.push_back(
      std::make_unique<Association>(settings_, objects_, client_sap, server_sap, security_));
  associations_.back()->handle(apdu, response);
  return Verdict::answer;
}

const Association* ServerConnection::association(std::uint16_t client_sap) const {
  for (const auto& association : associations_) {
    if (association->context().client_sap == client_sap) return association.get();
  }
  return nullptr;
}

}  // namespace gridmeter::dlms
