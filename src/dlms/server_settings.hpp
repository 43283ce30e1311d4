// ServerSettings: what a DLMS server offers, and to whom. Each client SAP that may associate has
// a ClientPolicy: the authentication mechanism it must use (with its secret) and the most it
// may be granted of the conformance block. A client SAP without a policy is refused.
//
//   ServerSettings settings;
//   settings.clients.push_back(ClientPolicy::public_client(read_only_services));
//   settings.clients.push_back(ClientPolicy::low_level(0x20, password, read_only_services));
//   const ClientPolicy* policy = settings.policy_for(0x20);
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint8_t, std::uint16_t
#include <vector>   // std::vector

#include "core/obis.hpp"
#include "dlms/acse.hpp"
#include "dlms/initiate.hpp"
#include "dlms/security_state.hpp"

namespace gridmeter::dlms {

struct ClientPolicy {
  std::uint16_t client_sap = 0;
  // The mechanism the client must name in its AARQ: lowest (none), low (LLS, a password) or
  // high_gmac (HLS-GMAC, the four-pass authentication with the global keys).
  Mechanism mechanism = Mechanism::lowest;
  std::vector<std::uint8_t> password;  // LLS only
  Conformance conformance;             // the most this client is granted
  // The protection its requests must carry and its answers get (Security setup version 1
  // security_policy); any protection at all requires the ciphered application context. The
  // server's ServerSecurity keeps the policy in force (security_activate may strengthen it).
  SecurityPolicy security_policy;
  // The client's own Association LN object (0-0:40.0.e.255), where reply_to_HLS_authentication
  // may also be invoked (besides the current association, 0-0:40.0.0.255).
  std::optional<Obis> association_name;

  // The public client (SAP 16): no authentication, every server must accept it (IEC 62056-5-3
  // clause 4.5, "the public client").
  static ClientPolicy public_client(Conformance conformance);
  static ClientPolicy low_level(std::uint16_t client_sap, std::vector<std::uint8_t> password,
                                Conformance conformance);
  // HLS mechanism 5 (GMAC) with `policy`.
  static ClientPolicy high_gmac(std::uint16_t client_sap, SecurityPolicy policy,
                                Conformance conformance);

  [[nodiscard]] bool needs_ciphering() const { return security_policy.any(); }
};

// The services gridmeter's application layer implements.
inline constexpr Conformance server_conformance = logical_name_services;

// Reading only: GET (normal, list, blocks) with selective access.
inline constexpr Conformance read_only_conformance{
    ConformanceBit::block_transfer_with_get_or_read,
    ConformanceBit::multiple_references,
    ConformanceBit::get,
    ConformanceBit::selective_access,
};

// Everything: reading, writing, methods (the management client).
inline constexpr Conformance full_conformance = logical_name_services;

// A client max receive PDU size below this is refused with pdu-size-too-short: a smaller PDU
// cannot carry a block header with data worth the round trip.
inline constexpr std::uint16_t client_max_receive_pdu_size_min = 64;

struct ServerSettings {
  std::vector<ClientPolicy> clients;
  // The server's max receive PDU size, announced in the InitiateResponse; a longer request is
  // refused with pdu-too-long.
  std::uint16_t max_receive_pdu_size = 2048;
  // The logical device SAP of the meter (IEC 62056-5-3: the management logical device, 1).
  std::uint16_t logical_device_sap = 1;
  // Associations one connection may hold at once (one per client SAP).
  std::size_t associations_per_connection_max = 4;
  // The longest value a client may send in SET or ACTION blocks, and the longest answer the
  // server keeps for GET blocks: bounds the memory one association can take.
  std::size_t long_transfer_octets_max = std::size_t{16} << 20;

  [[nodiscard]] const ClientPolicy* policy_for(std::uint16_t client_sap) const;
};

}  // namespace gridmeter::dlms
