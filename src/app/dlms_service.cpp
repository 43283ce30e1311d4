#include "app/dlms_service.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>  // std::min, std::all_of
#include <utility>    // std::move

#include "dlms/server_connection.hpp"
#include "transport/wrapper_frame.hpp"

namespace gridmeter::app {
namespace {

cosem::ClientRole role_of(const config::ClientConfig& client) {
  return cosem::client_role_named(client.role).value_or(cosem::ClientRole::public_client);
}

dlms::Mechanism mechanism_of(config::ClientAuthentication authentication) {
  return static_cast<dlms::Mechanism>(authentication);
}

// What each role may be granted of the services: reading only, or everything.
dlms::Conformance conformance_for(cosem::ClientRole role) {
  switch (role) {
    case cosem::ClientRole::public_client:
    case cosem::ClientRole::reader:
      return dlms::read_only_conformance;
    case cosem::ClientRole::management:
    case cosem::ClientRole::firmware_update:
      return dlms::full_conformance;
  }
  return dlms::read_only_conformance;
}

cosem::AccessRule rule_from(const config::ClientRuleConfig& rule) {
  cosem::AccessRule access;
  access.object = rule.object;
  access.index = rule.index;
  access.attribute_access = static_cast<cosem::AttributeAccess>(rule.attribute_access & 3U);
  access.method_allowed = rule.method_allowed;
  switch (rule.kind) {
    case config::ClientRuleConfig::Kind::hide:
      access.kind = cosem::AccessRule::Kind::hide;
      break;
    case config::ClientRuleConfig::Kind::show:
      access.kind = cosem::AccessRule::Kind::show;
      break;
    case config::ClientRuleConfig::Kind::attribute:
      access.kind = cosem::AccessRule::Kind::attribute;
      break;
    case config::ClientRuleConfig::Kind::method:
      access.kind = cosem::AccessRule::Kind::method;
      break;
  }
  return access;
}

bool uses_keys(const config::ClientConfig& client) {
  return client.authentication == config::ClientAuthentication::hls_gmac ||
         client.security_policy != 0;
}

std::vector<cosem::ClientAssignment> client_assignments(const config::ClientsConfig& clients) {
  std::vector<cosem::ClientAssignment> assignments;
  for (const config::ClientConfig& client : clients.clients) {
    std::vector<cosem::AccessRule> rules;
    for (const config::ClientRuleConfig& rule : client.rules)
      rules.push_back(rule_from(rule));
    cosem::ClientAssignment assignment;
    assignment.client_sap = client.sap;
    assignment.rights = cosem::ClientRights(role_of(client), std::move(rules));
    assignment.instance = client.association;
    assignment.mechanism = mechanism_of(client.authentication);
    assignment.application_context = client.security_policy != 0
                                         ? dlms::ApplicationContext::ln_ciphering
                                         : dlms::ApplicationContext::ln_no_ciphering;
    assignment.security_setup = uses_keys(client);
    assignments.push_back(std::move(assignment));
  }
  return assignments;
}

// A system title for a meter whose secrets name none (IDIS-style): the three letters of the
// manufacturer flag, then the serial number as a 40-bit number (or its first five octets when
// it is not a number).
dlms::SystemTitle derived_system_title(const cosem::DeviceIdentity& identity) {
  dlms::SystemTitle title{};
  for (std::size_t i = 0; i < 3 && i < identity.manufacturer_flag.size(); ++i)
    title[i] = static_cast<std::uint8_t>(identity.manufacturer_flag[i]);
  std::uint64_t number = 0;
  const std::string& serial = identity.serial_number;
  const bool numeric =
      !serial.empty() && serial.size() <= 12 &&
      std::all_of(serial.begin(), serial.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) {
    for (const char c : serial)
      number = number * 10 + static_cast<std::uint64_t>(c - '0');
    for (std::size_t i = 0; i < 5; ++i)
      title[3 + i] = static_cast<std::uint8_t>(number >> (8 * (4 - i)));
  } else {
    for (std::size_t i = 0; i < 5 && i < serial.size(); ++i)
      title[3 + i] = static_cast<std::uint8_t>(serial[i]);
  }
  return title;
}

std::string describe(const config::ClientConfig& client) {
  std::string text = fmt::format("{} {}", client.role, client.sap);
  switch (client.authentication) {
    case config::ClientAuthentication::none:
      break;
    case config::ClientAuthentication::low:
      text += " (LLS";
      break;
    case config::ClientAuthentication::hls_gmac:
      text += " (HLS-GMAC";
      break;
  }
  const bool auth = (client.security_policy & config::policy_authenticated) != 0;
  const bool enc = (client.security_policy & config::policy_encrypted) != 0;
  if (auth || enc) {
    text += client.authentication == config::ClientAuthentication::none ? " (" : ", ";
    text += auth && enc ? "auth-enc" : auth ? "auth" : "enc";
  }
  if (client.authentication != config::ClientAuthentication::none || auth || enc) text += ")";
  return text;
}

// One TCP connection's application layer: wrapper wPorts are the SAPs (IEC 62056-47 clause
// 5: the source wPort of a request is the client SAP, its destination the logical device).
class DlmsConnection final : public transport::WrapperSession {
 public:
  DlmsConnection(const dlms::ServerSettings& settings, dlms::ObjectServer& objects,
                 dlms::ServerSecurity* security, std::mutex& meter_lock)
      : connection_(settings, objects, security), meter_lock_(meter_lock) {}

  Verdict on_frame(const transport::WrapperFrameView& frame,
                   std::vector<std::uint8_t>& out) override {
    const std::uint16_t client = frame.header.source_wport;
    const std::uint16_t server = frame.header.destination_wport;
    dlms::ServerConnection::Verdict verdict{};
    {
      // The objects read and change the meter, and the security state is shared by every
      // connection and persisted in the store.
      const std::lock_guard hold(meter_lock_);
      verdict = connection_.handle(client, server, frame.apdu, answer_);
    }
    if (verdict == dlms::ServerConnection::Verdict::close) return Verdict::close;
    if (answer_.empty()) return Verdict::keep;
    // An answer never exceeds the client's max receive PDU size (at most 65535), so it fits
    // the wrapper's length field.
    if (!transport::encode_wrapper(server, client, answer_, out)) return Verdict::close;
    return Verdict::keep;
  }

 private:
  dlms::ServerConnection connection_;
  std::mutex& meter_lock_;
  std::vector<std::uint8_t> answer_;
};

}  // namespace

Result<std::optional<DlmsServiceOptions>> dlms_service_options(
    std::string_view listen, const std::optional<std::string>& secrets_path,
    const std::optional<std::string>& clients_path, double inactivity_timeout_s) {
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
  const bool have_keys = options.secrets.ek && options.secrets.ak;
  if (clients_path) {
    auto clients = config::load_clients(*clients_path);
    if (!clients) return make_error(fmt::format("--clients: {}", clients.error().message));
    options.clients = std::move(*clients);
    for (const config::ClientConfig& client : options.clients.clients) {
      if (client.authentication == config::ClientAuthentication::low &&
          !options.secrets.lls_password) {
        return make_error(fmt::format(
            "--clients: client {} authenticates with a password (LLS): give --secrets with "
            "lls_password",
            client.sap));
      }
      if (uses_keys(client) && !have_keys) {
        return make_error(fmt::format(
            "--clients: client {} uses HLS-GMAC or ciphering: give --secrets with ek and ak",
            client.sap));
      }
    }
  } else {
    options.clients = config::default_clients(options.secrets.lls_password.has_value(), have_keys);
  }
  if (!(inactivity_timeout_s >= 1.0 && inactivity_timeout_s <= 86'400.0)) {
    return make_error("--inactivity-timeout must be 1 to 86400 seconds");
  }
  options.inactivity_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(inactivity_timeout_s * 1000.0));
  return std::optional<DlmsServiceOptions>(std::move(options));
}

void use_session_store(DlmsServiceOptions& options, MeterSession& session) {
  if (!session.has_store()) return;
  options.load_security = [&session] { return session.load_security(); };
  options.save_security = [&session](const dlms::SecurityState& state) {
    return session.save_security(state);
  };
}

dlms::ServerSettings server_settings_for(const config::ClientsConfig& clients,
                                         const config::Secrets& secrets) {
  dlms::ServerSettings settings;
  for (const config::ClientConfig& client : clients.clients) {
    dlms::ClientPolicy policy;
    policy.client_sap = client.sap;
    policy.mechanism = mechanism_of(client.authentication);
    if (client.authentication == config::ClientAuthentication::low && secrets.lls_password) {
      policy.password.assign(secrets.lls_password->begin(), secrets.lls_password->end());
    }
    policy.conformance = conformance_for(role_of(client));
    policy.security_policy = dlms::SecurityPolicy{client.security_policy};
    policy.association_name = cosem::association_name(client.association);
    settings.clients.push_back(std::move(policy));
  }
  return settings;
}

DlmsService::DlmsService(cosem::MeterAccess& access, DlmsServiceOptions options)
    : access_(access),
      options_(std::move(options)),
      meter_lock_(options_.meter_lock != nullptr ? *options_.meter_lock : own_lock_),
      settings_(server_settings_for(options_.clients, options_.secrets)),
      server_(
          transport::TcpServerOptions{
              .address = options_.listen.host,
              .port = options_.listen.port,
              .connections_max = options_.connections_max,
              .inactivity_timeout = options_.inactivity_timeout,
              .apdu_size_max = transport::wrapper_apdu_size_max,
              .engine = options_.engine,
              .log = options_.log,
          },
          [this] {
            return std::make_unique<DlmsConnection>(settings_, *device_, security_.get(),
                                                    meter_lock_);
          }) {}

Result<dlms::SecurityState> DlmsService::initial_security() {
  dlms::SecurityState state;
  bool stored = false;
  if (options_.load_security) {
    auto loaded = options_.load_security();
    if (!loaded) return loaded.error();
    if (*loaded) {
      state = std::move(**loaded);
      stored = true;
    }
  }
  // Keys changed by key_transfer win over the file's; otherwise the file's are in force.
  if (!state.keys_transferred) {
    const config::Secrets& secrets = options_.secrets;
    state.keys.unicast_encryption = secrets.ek;
    state.keys.authentication = secrets.ak;
    state.keys.master = secrets.kek;
  }
  if (options_.secrets.system_title) {
    state.server_system_title = *options_.secrets.system_title;
  } else if (!stored) {
    state.server_system_title = derived_system_title(options_.identity);
  }
  return state;
}

Status DlmsService::start() {
  auto state = initial_security();
  if (!state) return state.error();
  dlms::SecurityHooks hooks;
  hooks.persist = options_.save_security;
  hooks.event = [this](dlms::SecurityEvent event, std::uint16_t /*client_sap*/) {
    // The IDIS codes of the fraud (46, 49, 50) and standard (48) logs.
    access_.meter().record_event(static_cast<EventCode>(event));
  };
  hooks.monotonic_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  const config::ClientsConfig& clients = options_.clients;
  const dlms::LockoutSettings lockout{.failures_max = clients.lockout_failures,
                                      .window_ms = clients.lockout_window_s * 1000,
                                      .lockout_ms = clients.lockout_duration_s * 1000};
  security_ = std::make_unique<dlms::ServerSecurity>(std::move(*state), std::move(hooks), lockout,
                                                     clients.keys_next_association
                                                         ? dlms::KeyActivation::next_association
                                                         : dlms::KeyActivation::next_apdu);
  for (const config::ClientConfig& client : clients.clients)
    security_->set_initial_policy(client.sap, dlms::SecurityPolicy{client.security_policy});
  if (Status saved = security_->save(); !saved) return saved;

  if (Status listening = server_.listen(); !listening) return listening;
  cosem::NetworkSettings network;
  network.tcp_port = server_.local_port();
  if (in_addr v4{}; inet_pton(AF_INET, options_.listen.host.c_str(), &v4) == 1) {
    network.ipv4_address = ntohl(v4.s_addr);
  }
  network.max_connections =
      static_cast<std::uint8_t>(std::min<std::size_t>(options_.connections_max, 255));
  network.inactivity_timeout_s = static_cast<std::uint16_t>(std::min<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(options_.inactivity_timeout).count(),
      65535));
  device_ = std::make_unique<cosem::LogicalDevice>(
      cosem::build_meter_objects(access_, options_.identity, network), client_assignments(clients),
      security_.get());
  // Sessions are made from now on, on the transport's thread: everything they use is built.
  return server_.serve();
}

std::unique_ptr<dlms::ServerConnection> DlmsService::connect() {
  return std::make_unique<dlms::ServerConnection>(settings_, *device_, security_.get());
}

Status DlmsService::save_security() {
  if (!security_) return {};
  return security_->save();
}

std::string DlmsService::description() const {
  std::string clients;
  for (const config::ClientConfig& client : options_.clients.clients)
    clients += fmt::format("{}{}", clients.empty() ? "" : "; ", describe(client));
  if (!options_.secrets.lls_password && !options_.secrets.ek) {
    clients += " (no secrets file: the reading and management clients are off)";
  }
  return fmt::format("serving DLMS/COSEM on {}:{}: {}", options_.listen.host, port(), clients);
}

}  // namespace gridmeter::app
