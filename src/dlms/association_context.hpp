// AssociationContext: what an application association has agreed (IEC 62056-5-3 clause 4.5,
// "application associations"): who the two ends are, which application context and
// authentication mechanism they use, and the negotiated xDLMS parameters. The server passes it
// with every service call, so the object model can answer per client (an Association LN object
// shows the calling client's own association; access rights depend on the client).
//
//   AssociationContext context;
//   context.client_sap = 0x10;                              // the public client
//   context.conformance = negotiate(proposed, offered);
//   if (!context.conformance.has(ConformanceBit::set)) ...  // SET was not granted
#pragma once

#include <cstdint>   // std::uint8_t, std::uint16_t, std::int8_t
#include <optional>  // std::optional

#include "dlms/acse.hpp"
#include "dlms/initiate.hpp"
#include "dlms/security_state.hpp"

namespace gridmeter::dlms {

struct AssociationContext {
  std::uint16_t client_sap = 0;  // the client's SAP (wrapper source wPort, HDLC client address)
  std::uint16_t server_sap = 0;  // the logical device addressed
  ApplicationContext application_context = ApplicationContext::ln_no_ciphering;
  Mechanism mechanism = Mechanism::lowest;
  Conformance conformance;  // negotiated: the intersection of proposed and offered
  std::uint16_t client_max_receive_pdu_size = 0;  // the most the server may send
  std::uint16_t server_max_receive_pdu_size = 0;  // the most the client may send
  std::uint8_t dlms_version_number = dlms_version;
  std::optional<std::int8_t> quality_of_service;
  // The client's system title (the AARQ's calling AP title) when ciphering or HLS-GMAC is used.
  std::optional<SystemTitle> client_system_title;
  bool associated = false;  // false until an AARQ is accepted, and again after RLRQ
  // HLS: the AARE is sent and the client has yet to prove itself with
  // reply_to_HLS_authentication (Association LN association_status 1, association-pending).
  bool authentication_pending = false;
};

}  // namespace gridmeter::dlms
