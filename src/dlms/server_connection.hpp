// ServerConnection: the server side of one connection (a TCP connection of the wrapper, later
// an HDLC link). Each client SAP that talks on it gets its own Association, as IEC 62056-5-3
// clause 4.5 has it: an application association is between one client application process
// and one logical device. The transport gives the SAPs (wrapper wPorts, HDLC addresses) with
// each APDU; this class knows no transport.
//
//   ServerConnection connection(settings, objects);
//   std::vector<std::uint8_t> answer;
//   if (connection.handle(frame.source_wport, frame.destination_wport, frame.apdu, answer) ==
//       ServerConnection::Verdict::close) { close the connection }
//   else if (!answer.empty()) { send answer back, wPorts swapped }
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint16_t
#include <memory>   // std::unique_ptr
#include <span>     // std::span
#include <vector>   // std::vector

#include "dlms/association.hpp"
#include "dlms/object_server.hpp"
#include "dlms/server_settings.hpp"

namespace gridmeter::dlms {

class ServerConnection {
 public:
  // `security` (shared by every connection of the server) may be null: no ciphering, HLS or
  // lock-out is offered then.
  ServerConnection(const ServerSettings& settings, ObjectServer& objects,
                   ServerSecurity* security = nullptr);

  enum class Verdict {
    answer,  // `response` holds the answer (empty: none is due)
    close,   // the peer addresses no logical device of this server, or too many clients:
             // nothing can be answered, and the connection is dropped
  };

  Verdict handle(std::uint16_t client_sap, std::uint16_t server_sap,
                 std::span<const std::uint8_t> apdu, std::vector<std::uint8_t>& response);

  // The association of `client_sap`, or nullptr if it has sent nothing yet.
  [[nodiscard]] const Association* association(std::uint16_t client_sap) const;
  [[nodiscard]] std::size_t association_count() const { return associations_.size(); }

 private:
  const ServerSettings& settings_;
  ObjectServer& objects_;
  ServerSecurity* security_;
  std::vector<std::unique_ptr<Association>> associations_;
};

}  // namespace gridmeter::dlms
