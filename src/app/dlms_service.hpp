// DlmsService: the meter's DLMS/COSEM server in `gridmeter run`: the logical device over the
// running meter (cosem::LogicalDevice), the application layer's associations
// (dlms::ServerConnection, one per TCP connection) with the server's security
// (dlms::ServerSecurity) and the TCP wrapper transport. The transport serves on a thread of
// its own; each frame is answered holding the meter lock (DlmsServiceOptions::meter_lock),
// which the run holds for each metering step too, so a GET reads the meter between two
// steps, never during one.
//
//   std::mutex meter_lock;
//   SessionMeterAccess access(session);
//   auto options = dlms_service_options("127.0.0.1:4059", "secrets.toml", std::nullopt, 120);
//   use_session_store(**options, session);          // keys and counters persist in the store
//   (*options)->meter_lock = &meter_lock;
//   DlmsService dlms(access, std::move(**options));
//   if (Status ok = dlms.start(); !ok) fail(ok.error().message);
//   // "serving DLMS/COSEM on 127.0.0.1:4059: public 16; reader 32 (LLS); management 1 ..."
//   { std::lock_guard hold(meter_lock); session.step(t); }
//   dlms.stop();                                    // before the session closes
//
// Clients: the association rights table (--clients FILE, config/clients_file.hpp) or its
// defaults: the public client (16) always, the reading client (32, LLS) with a password, the
// management (1) and firmware update (80) clients, HLS-GMAC with authenticated encryption,
// with keys. Security events (failed authentications, deciphering failures, replays, key
// changes) go to the meter's fraud and standard logs.
#pragma once

#include <chrono>    // std::chrono::milliseconds
#include <cstddef>   // std::size_t
#include <memory>    // std::unique_ptr
#include <mutex>     // std::mutex
#include <optional>  // std::optional
#include <string>    // std::string

#include "app/meter_session.hpp"
#include "config/clients_file.hpp"
#include "config/secrets_file.hpp"
#include "cosem/logical_device.hpp"
#include "cosem/meter_access.hpp"
#include "cosem/object_list.hpp"
#include "dlms/server_connection.hpp"
#include "dlms/server_security.hpp"
#include "dlms/server_settings.hpp"
#include "transport/host_port.hpp"
#include "transport/tcp_wrapper_server.hpp"

namespace gridmeter::app {

inline constexpr std::uint16_t public_client_sap = config::public_client_sap;
inline constexpr std::uint16_t reading_client_sap = config::reading_client_sap;
inline constexpr std::uint16_t management_client_sap = config::management_client_sap;

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
  config::ClientsConfig clients = config::default_clients(false, false);
  cosem::DeviceIdentity identity;
  // Where the security state (keys changed by key_transfer, invocation counters, policies)
  // lives across restarts: loaded by start(), saved whenever it must be. Without them the
  // state is the secrets file's, in memory only (tests and benchmarks).
  std::function<Result<std::optional<dlms::SecurityState>>()> load_security;
  std::function<Status(const dlms::SecurityState&)> save_security;
  std::chrono::milliseconds inactivity_timeout = std::chrono::seconds(120);
  std::size_t connections_max = 64;
  // How the transport waits for its sockets (transport/tcp_wrapper_server.hpp).
  transport::TcpServerEngine engine = transport::TcpServerEngine::best;
  // Held while a frame is answered: the meter's (and the store's) lock, shared with whatever
  // else touches them. Null: the service has a lock of its own (nothing else touches them).
  std::mutex* meter_lock = nullptr;
  // Called on the transport's thread.
  std::function<void(std::string_view)> log;
};

// The service options from `gridmeter run`'s --listen (HOST:PORT, or "none": nothing is
// served, and the answer is nullopt), --secrets, --clients and --inactivity-timeout; errors
// name the option. A client that needs a password or keys the secrets file lacks is an error.
Result<std::optional<DlmsServiceOptions>> dlms_service_options(
    std::string_view listen, const std::optional<std::string>& secrets_path,
    const std::optional<std::string>& clients_path, double inactivity_timeout_s);

// The security state is kept in the session's store.
void use_session_store(DlmsServiceOptions& options, MeterSession& session);

// What the server offers to whom: a policy per client of the rights table (the LLS password
// from the secrets).
dlms::ServerSettings server_settings_for(const config::ClientsConfig& clients,
                                         const config::Secrets& secrets);

class DlmsService {
 public:
  DlmsService(cosem::MeterAccess& access, DlmsServiceOptions options);

  // Loads the security state, listens, builds the logical device (its TCP-UDP and IPv4 setup
  // objects show the port actually bound), then serves; the error names the address.
  Status start();
  // Saves the security state (an orderly stop, after stop()).
  Status save_security();
  // A connection to the started server without a transport: APDUs in, APDUs out, as a TCP
  // connection would carry them (tests and benchmarks).
  [[nodiscard]] std::unique_ptr<dlms::ServerConnection> connect();
  // Closes every connection and stops the transport's thread; the meter is the caller's alone
  // from then on.
  void stop() { server_.stop(); }
  [[nodiscard]] std::uint16_t port() const { return server_.local_port(); }
  // One line for the log: where it listens and which clients it serves.
  [[nodiscard]] std::string description() const;
  [[nodiscard]] const transport::TcpWrapperServer& transport() const { return server_; }
  [[nodiscard]] const dlms::ServerSecurity* security() const { return security_.get(); }

 private:
  // The state to start from: the store's, with the secrets file's keys unless key_transfer
  // changed them since.
  Result<dlms::SecurityState> initial_security();

  cosem::MeterAccess& access_;
  DlmsServiceOptions options_;
  std::mutex own_lock_;  // when options_.meter_lock is null
  std::mutex& meter_lock_;
  dlms::ServerSettings settings_;
  std::unique_ptr<dlms::ServerSecurity> security_;  // built by start()
  std::unique_ptr<cosem::LogicalDevice> device_;    // built by start()
  transport::TcpWrapperServer server_;
};

}  // namespace gridmeter::app
