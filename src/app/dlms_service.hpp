// DlmsService: the meter's DLMS/COSEM server in `gridmeter run`: the logical device over the
// running meter (cosem::LogicalDevice), the application layer's associations
// (dlms::ServerConnection, one per TCP connection) and the TCP wrapper transport, all on the
// run's event loop, so a GET reads the meter between two metering steps, never during one.
//
//   SessionMeterAccess access(session);
//   DlmsService dlms(io, access, options);
//   if (Status ok = dlms.start(); !ok) fail(ok.error().message);
//   // "serving DLMS/COSEM on 127.0.0.1:4059: public client 16, reading client 32 (LLS)"
//
// Clients: the public client (SAP 16) always; the reading client (SAP 32, LLS) only with a
// password from the secrets file.
#pragma once

#include <chrono>    // std::chrono::milliseconds
#include <cstddef>   // std::size_t
#include <memory>    // std::unique_ptr
#include <optional>  // std::optional
#include <string>    // std::string

#include <asio/io_context.hpp>

#include "app/meter_session.hpp"
#include "config/secrets_file.hpp"
#include "cosem/logical_device.hpp"
#include "cosem/meter_access.hpp"
#include "cosem/object_list.hpp"
#include "dlms/server_settings.hpp"
#include "transport/host_port.hpp"
#include "transport/tcp_wrapper_server.hpp"

namespace gridmeter::app {

inline constexpr std::uint16_t public_client_sap = 0x10;
inline constexpr std::uint16_t reading_client_sap = 0x20;

// The COSEM objects' view of a MeterSession.
class SessionMeterAccess final : public cosem::MeterAccess {
 public:
  explicit SessionMeterAccess(MeterSession& session) : session_(session) {}
  Meter& meter() override { return session_.meter(); }
  [[nodiscard]] const Measurement& latest_measurement() const override {
    return session_.last_measurement();
  }

 private:
  MeterSession& session_;
};

struct DlmsServiceOptions {
  transport::HostPort listen{"127.0.0.1", transport::dlms_cosem_port};
  config::Secrets secrets;
  cosem::DeviceIdentity identity;
  std::chrono::milliseconds inactivity_timeout = std::chrono::seconds(120);
  std::size_t connections_max = 64;
  std::function<void(std::string_view)> log;
};

// The service options from `gridmeter run`'s --listen (HOST:PORT, or "none": nothing is
// served, and the answer is nullopt), --secrets and --inactivity-timeout; errors name the
// option.
Result<std::optional<DlmsServiceOptions>> dlms_service_options(
    std::string_view listen, const std::optional<std::string>& secrets_path,
    double inactivity_timeout_s);

// What the server offers to whom, from the secrets: the public client, and the reading client
// when the secrets hold its password.
dlms::ServerSettings server_settings_for(const config::Secrets& secrets);

class DlmsService {
 public:
  DlmsService(asio::io_context& io, cosem::MeterAccess& access, DlmsServiceOptions options);

  // Listens, then builds the logical device (its TCP-UDP and IPv4 setup objects show the
  // port actually bound); the error names the address.
  Status start();
  void stop() { server_.stop(); }
  [[nodiscard]] std::uint16_t port() const { return server_.local_port(); }
  // One line for the log: where it listens and which clients it serves.
  [[nodiscard]] std::string description() const;
  [[nodiscard]] const transport::TcpWrapperServer& transport() const { return server_; }

 private:
  cosem::MeterAccess& access_;
  DlmsServiceOptions options_;
  dlms::ServerSettings settings_;
  std::unique_ptr<cosem::LogicalDevice> device_;  // built by start()
  transport::TcpWrapperServer server_;
};

}  // namespace gridmeter::app
