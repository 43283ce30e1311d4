// TcpWrapperClient: the client end of the DLMS/COSEM TCP transport (IEC 62056-47 / -9-7). It
// connects to a meter, sends each APDU in a wrapper frame from the client's wPort to the
// server's, and waits for the frame that answers it, within a timeout.
//
//   auto link = TcpWrapperClient::connect({"127.0.0.1", 4059}, 0x10, 0x01, 5s);
//   if (!link) fail(link.error().message);          // "cannot connect to 127.0.0.1:4059: ..."
//   Result<std::vector<std::uint8_t>> answer = link->exchange(aarq);
//
// A frame for other wPorts (a push to another client process) is skipped; a broken stream or
// a silent server ends the exchange with an error, and the connection is then closed.
#pragma once

#include <chrono>   // std::chrono::milliseconds
#include <cstdint>  // std::uint8_t, std::uint16_t
#include <memory>   // std::unique_ptr
#include <span>     // std::span
#include <vector>   // std::vector

#include "core/result.hpp"
#include "transport/host_port.hpp"

namespace gridmeter::transport {

class TcpWrapperClient {
 public:
  static Result<TcpWrapperClient> connect(const HostPort& server, std::uint16_t client_wport,
                                          std::uint16_t server_wport,
                                          std::chrono::milliseconds timeout);
  TcpWrapperClient(TcpWrapperClient&&) noexcept;
  TcpWrapperClient& operator=(TcpWrapperClient&&) noexcept;
  ~TcpWrapperClient();

  // Sends `apdu` and returns the APDU of the next frame from the server to this client.
  Result<std::vector<std::uint8_t>> exchange(std::span<const std::uint8_t> apdu);
  // Sends `apdu` and waits for nothing (unconfirmed services).
  Status send(std::span<const std::uint8_t> apdu);
  void close();

 private:
  struct Link;
  explicit TcpWrapperClient(std::unique_ptr<Link> link);
  std::unique_ptr<Link> link_;
};

}  // namespace gridmeter::transport
