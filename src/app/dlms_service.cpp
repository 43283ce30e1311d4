#include "app/dlms_service.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::min
#include <utility>    // std::move

#include <asio/ip/address.hpp>

#include "dlms/server_connection.hpp"
#include "transport/wrapper_frame.hpp"

namespace gridmeter::app {
namespace {

std::vector<cosem::ClientAssignment> client_roles() {
  return {{public_client_sap, cosem::ClientRole::public_client},
          {reading_client_sap, cosem::ClientRole::reader}};
}

// One TCP connection's application layer: wrapper wPorts are the SAPs (IEC 62056-47 clause
// 5: the source wPort of a request is the client SAP, its destination the logical device).
class DlmsConnection final : public transport::WrapperSession {
 public:
  DlmsConnection(const dlms::ServerSettings& settings, dlms::ObjectServer& objects)
      : connection_(settings, objects) {}

  Verdict on_frame(const transport::WrapperFrameView& frame,
                   std::vector<std::uint8_t>& out) override {
    const std::uint16_t client = frame.header.source_wport;
    const std::uint16_t server = frame.header.destination_wport;
    if (connection_.handle(client, server, frame.apdu, answer_) ==
        dlms::ServerConnection::Verdict::close) {
      return Verdict::close;
    }
    if (answer_.empty()) return Verdict::keep;
    // An answer never exceeds the client's max receive PDU size (at most 65535), so it fits
    // the wrapper's length field.
    if (!transport::encode_wrapper(server, client, answer_, out)) return Verdict::close;
    return Verdict::keep;
  }

 private:
  dlms::ServerConnection connection_;
  std::vector<std::uint8_t> answer_;
};

}  // namespace

Result<std::optional<DlmsServiceOptions>> dlms_service_options(
    std::string_view listen, const std::optional<std::string>& secrets_path,
    double inactivity_timeout_s) {
  if (listen == "none") return std::optional<DlmsServiceOptions>{};
  DlmsServiceOptions options;
  auto address = transport::parse_host_port(listen, transport::dlms_cosem_port);
  if (!address) return make_error(fmt::format("--listen: {}", address.error().message));
  options.listen = std::move(*address);
  if (secrets_path) {
    auto secrets = config::load_secrets(*secrets_path);
    if (!secrets) return make_error(fmt::format("--secrets: {}", secrets.error().message));
    options.secrets = std::move(*secrets);
  }
  if (!(inactivity_timeout_s >= 1.0 && inactivity_timeout_s <= 86'400.0)) {
    return make_error("--inactivity-timeout must be 1 to 86400 seconds");
  }
  options.inactivity_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(inactivity_timeout_s * 1000.0));
  return std::optional<DlmsServiceOptions>(std::move(options));
}

dlms::ServerSettings server_settings_for(const config::Secrets& secrets) {
  dlms::ServerSettings settings;
  settings.clients.push_back(dlms::ClientPolicy::public_client(dlms::read_only_conformance));
  if (secrets.lls_password) {
    const std::string& password = *secrets.lls_password;
    settings.clients.push_back(dlms::ClientPolicy::low_level(
        reading_client_sap, std::vector<std::uint8_t>(password.begin(), password.end()),
        dlms::read_only_conformance));
  }
  return settings;
}

DlmsService::DlmsService(asio::io_context& io, cosem::MeterAccess& access,
                         DlmsServiceOptions options)
    : access_(access),
      options_(std::move(options)),
      settings_(server_settings_for(options_.secrets)),
      server_(io,
              transport::TcpServerOptions{
                  .address = options_.listen.host,
                  .port = options_.listen.port,
                  .connections_max = options_.connections_max,
                  .inactivity_timeout = options_.inactivity_timeout,
                  .apdu_size_max = transport::wrapper_apdu_size_max,
                  .log = options_.log,
              },
              [this] { return std::make_unique<DlmsConnection>(settings_, *device_); }) {}

Status DlmsService::start() {
  if (Status listening = server_.start(); !listening) return listening;
  cosem::NetworkSettings network;
  network.tcp_port = server_.local_port();
  asio::error_code error;
  const auto address = asio::ip::make_address(options_.listen.host, error);
  if (!error && address.is_v4()) network.ipv4_address = address.to_v4().to_uint();
  network.max_connections =
      static_cast<std::uint8_t>(std::min<std::size_t>(options_.connections_max, 255));
  network.inactivity_timeout_s = static_cast<std::uint16_t>(std::min<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(options_.inactivity_timeout).count(),
      65535));
  device_ = std::make_unique<cosem::LogicalDevice>(
      cosem::build_meter_objects(access_, options_.identity, network), client_roles());
  return {};
}

std::string DlmsService::description() const {
  std::string clients = fmt::format("public client {}", public_client_sap);
  if (settings_.policy_for(reading_client_sap) != nullptr) {
    clients += fmt::format(", reading client {} (LLS)", reading_client_sap);
  } else {
    clients += " (no secrets file: the reading client is off)";
  }
  return fmt::format("serving DLMS/COSEM on {}:{}: {}", options_.listen.host, port(), clients);
}

}  // namespace gridmeter::app
