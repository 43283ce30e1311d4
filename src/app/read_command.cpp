#include "app/read_command.hpp"

#include <fmt/format.h>

#include <chrono>   // std::chrono::milliseconds
#include <cmath>    // std::llround
#include <utility>  // std::move

#include "app/cosem_reference.hpp"
#include "app/read_profile.hpp"
#include "app/remote_meter.hpp"
#include "app/value_text.hpp"
#include "config/secrets_file.hpp"
#include "dlms/client.hpp"
#include "dlms/unit_names.hpp"
#include "transport/host_port.hpp"
#include "transport/tcp_wrapper_client.hpp"
#include "transport/wrapper_port.hpp"

namespace gridmeter::app {
namespace {

using dlms::Data;
using Json = nlohmann::ordered_json;

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;

// The command line, read and checked before anything is sent.
struct ReadPlan {
  transport::HostPort server;
  std::uint16_t client_sap = transport::client_wport_public;
  dlms::ClientOptions client;
  // The first invocation counter is read from the meter first (public client) when unset.
  bool read_invocation_counter = false;
  std::vector<AttributeReference> items;
  std::vector<SetRequest> sets;
  std::vector<ActionRequest> actions;
  std::optional<ProfileQuery> profile;
};

// A key or title from hex digits on the command line; the error names the option, never the
// value.
template <std::size_t N>
Result<std::array<std::uint8_t, N>> hex_option(std::string_view option, const std::string& text) {
  auto octets = parse_hex(text);
  if (!octets || octets->size() != N) {
    return make_error(fmt::format("{}: expected {} hex digits", option, 2 * N));
  }
  std::array<std::uint8_t, N> value{};
  std::copy(octets->begin(), octets->end(), value.begin());
  return value;
}

// The default system title of gridmeter's client: "GRDCLI" 00 01.
constexpr dlms::SystemTitle default_client_title{0x47, 0x52, 0x44, 0x43, 0x4C, 0x49, 0x00, 0x01};

// --auth, --security, --keys/--ek/--ak, --system-title, --invocation-counter, --dedicated-key
// and --general-ciphering into the client's options.
Status plan_security(const ReadOptions& options, ReadPlan& plan) {
  std::optional<dlms::AesKey> ek;
  std::optional<dlms::AesKey> ak;
  if (options.keys_path) {
    if (options.ek || options.ak) return make_error("--keys and --ek/--ak: give one");
    auto secrets = config::load_secrets(*options.keys_path);
    if (!secrets) return secrets.error();
    if (!secrets->ek || !secrets->ak) {
      return make_error(fmt::format("secrets file {} has no ek and ak", *options.keys_path));
    }
    ek = *secrets->ek;
    ak = *secrets->ak;
  }
  if (options.ek) {
    auto key = hex_option<16>("--ek", *options.ek);
    if (!key) return key.error();
    ek = *key;
  }
  if (options.ak) {
    auto key = hex_option<16>("--ak", *options.ak);
    if (!key) return key.error();
    ak = *key;
  }
  if (ek.has_value() != ak.has_value()) return make_error("--ek and --ak go together");
  const bool keys = ek.has_value();
  const std::string auth =
      options.auth.value_or(keys                                            ? "hls-gmac"
                            : plan.client.mechanism == dlms::Mechanism::low ? "low"
                                                                            : "none");
  const std::string security = options.security.value_or(keys ? "auth-enc" : "none");
  if (auth != "none" && auth != "low" && auth != "hls-gmac") {
    return make_error(fmt::format("--auth: \"{}\" is not none, low or hls-gmac", auth));
  }
  if (security != "none" && security != "auth" && security != "enc" && security != "auth-enc") {
    return make_error(
        fmt::format("--security: \"{}\" is not none, auth, enc or auth-enc", security));
  }
  if (auth == "low" && plan.client.mechanism != dlms::Mechanism::low) {
    return make_error("--auth low needs --password or --secrets");
  }
  if (auth != "low" && plan.client.mechanism == dlms::Mechanism::low && options.auth) {
    return make_error(fmt::format("--auth {} and a password: give one", auth));
  }
  const bool ciphers = security != "none";
  if ((auth == "hls-gmac" || ciphers) && !keys) {
    return make_error("HLS-GMAC and ciphering need keys: --keys FILE or --ek and --ak");
  }
  if ((options.dedicated_key || options.general_ciphering) && !ciphers) {
    return make_error("--dedicated-key and --general-ciphering go with --security");
  }
  if (!keys) {
    if (options.system_title || options.invocation_counter) {
      return make_error("--system-title and --invocation-counter go with keys");
    }
    return {};
  }
  dlms::ClientCiphering ciphering;
  ciphering.ek = *ek;
  ciphering.ak = *ak;
  ciphering.client_system_title = default_client_title;
  if (options.system_title) {
    auto title = hex_option<8>("--system-title", *options.system_title);
    if (!title) return title.error();
    ciphering.client_system_title = *title;
  }
  const std::uint8_t control = (security == "auth" || security == "auth-enc" ? 0x10U : 0U) |
                               (security == "enc" || security == "auth-enc" ? 0x20U : 0U);
  ciphering.security = dlms::SecurityControl{control};
  ciphering.general_ciphering = options.general_ciphering;
  if (options.dedicated_key) {
    auto random = dlms::random_octets(dlms::aes_key_size);
    if (!random) return random.error();
    dlms::AesKey key{};
    std::copy(random->begin(), random->end(), key.begin());
    ciphering.dedicated_key = key;
  }
  if (options.invocation_counter) {
    ciphering.invocation_counter = *options.invocation_counter;
  } else {
    plan.read_invocation_counter = true;
  }
  if (auth == "hls-gmac") {
    plan.client.mechanism = dlms::Mechanism::high_gmac;
    plan.client.password.clear();
  } else if (auth == "none") {
    plan.client.mechanism = dlms::Mechanism::lowest;
  }
  plan.client.ciphering = ciphering;
  if (plan.client_sap == transport::client_wport_public ||
      plan.client_sap == transport::client_wport_reading) {
    plan.client_sap = transport::client_wport_management;
  }
  return {};
}

Result<ReadPlan> plan_read(const ReadOptions& options) {
  ReadPlan plan;
  auto server = transport::parse_host_port(options.target, transport::dlms_cosem_port);
  if (!server) return server.error();
  plan.server = std::move(*server);
  for (const std::string& item : options.items) {
    auto reference = parse_attribute_reference(item);
    if (!reference) return reference.error();
    plan.items.push_back(*reference);
  }
  for (const std::string& text : options.sets) {
    auto set = parse_set_request(text);
    if (!set) return set.error();
    plan.sets.push_back(std::move(*set));
  }
  for (const std::string& text : options.actions) {
    auto action = parse_action_request(text);
    if (!action) return action.error();
    plan.actions.push_back(std::move(*action));
  }
  const bool selection = options.from || options.to || options.entries;
  if ((selection || options.csv) && !options.profile) {
    return make_error("--from, --to, --entries and --csv go with --profile");
  }
  if (options.entries && (options.from || options.to)) {
    return make_error("--entries and --from/--to are two ways to select: give one");
  }
  if (options.csv && options.json) return make_error("--csv and --json: give one");
  if (options.profile) {
    auto obis = parse_obis(*options.profile);
    if (!obis) return make_error(fmt::format("--profile: {}", obis.error().message));
    ProfileQuery query{*obis, std::nullopt, options.from, options.to};
    if (options.entries) {
      auto range = parse_entry_range(*options.entries);
      if (!range) return range.error();
      query.entries = *range;
    }
    plan.profile = std::move(query);
  }
  if (plan.items.empty() && plan.sets.empty() && plan.actions.empty() && !plan.profile &&
      !options.list) {
    return make_error(
        "nothing to do: name attributes (OBIS[:ATTR]), or give --list, --profile, "
        "--set or --action");
  }
  std::optional<std::string> password = options.password;
  if (options.secrets_path) {
    if (password) return make_error("--password and --secrets: give one");
    auto secrets = config::load_secrets(*options.secrets_path);
    if (!secrets) return secrets.error();
    if (!secrets->lls_password) {
      return make_error(fmt::format("secrets file {} has no lls_password", *options.secrets_path));
    }
    password = secrets->lls_password;
  }
  if (password) {
    plan.client.mechanism = dlms::Mechanism::low;
    plan.client.password.assign(password->begin(), password->end());
    plan.client_sap = transport::client_wport_reading;
  }
  if (Status security = plan_security(options, plan); !security) return security.error();
  if (options.client_sap) plan.client_sap = *options.client_sap;
  return plan;
}

// The text a failed attribute shows.
std::string failure_text(const Result<dlms::GetDataResult>& read) {
  if (!read) return read.error().message;
  return std::string(dlms::to_string(std::get<dlms::DataAccessResult>(*read)));
}

// The argument of a method when the command line gives none or an untyped number: what the
// Blue Book has the method take (most take integer 0).
Result<Data> method_argument(const ActionRequest& action, std::uint16_t class_id) {
  const int method = action.method.index;
  const bool long_argument = class_id == 8 && method == 6;               // Clock shift_time
  const bool long_unsigned_argument = (class_id == 9 && method == 1) ||  // Script execute
                                      (class_id == 11 && method == 2);   // Special days delete
  if (!action.argument) {
    if (long_argument || long_unsigned_argument) {
      return make_error(fmt::format("method {} of class {} needs an argument", method, class_id));
    }
    return Data::integer8(0);
  }
  const Data like = long_argument            ? Data::integer16(0)
                    : long_unsigned_argument ? Data::unsigned16(0)
                                             : Data::integer8(0);
  return parse_value_like(*action.argument, like);
}

class ReadSession {
 public:
  ReadSession(const ReadOptions& options, RemoteMeter& meter, std::FILE* out, std::FILE* err)
      : options_(options), meter_(meter), out_(out), err_(err) {}

  bool failed() const { return failed_; }
  const Json& json() const { return json_; }

  void do_sets(const std::vector<SetRequest>& sets) {
    for (const SetRequest& set : sets) {
      const std::uint16_t class_id = meter_.class_of(set.attribute.obis);
      // The current value gives the type to read the new one as (unless it is typed).
      auto current = meter_.get(set.attribute.obis, class_id, set.attribute.index);
      const Data like = current && std::holds_alternative<Data>(*current) ? std::get<Data>(*current)
                                                                          : Data::null();
      auto value = parse_value_like(set.value, like);
      if (!value) {
        report_set(set.attribute, class_id,
                   fmt::format("cannot read \"{}\": {}", set.value, value.error().message));
        continue;
      }
      auto result = meter_.client().set(
          {class_id, set.attribute.obis, static_cast<std::int8_t>(set.attribute.index)}, *value);
      if (!result) {
        report_set(set.attribute, class_id, result.error().message);
      } else {
        report_set(set.attribute, class_id,
                   *result == dlms::DataAccessResult::success
                       ? std::string()
                       : std::string(dlms::to_string(*result)));
      }
    }
  }

  void do_actions(const std::vector<ActionRequest>& actions) {
    for (const ActionRequest& action : actions) {
      const std::uint16_t class_id = meter_.class_of(action.method.obis);
      auto argument = method_argument(action, class_id);
      if (!argument) {
        report_action(action.method, class_id, argument.error().message, nullptr);
        continue;
      }
      auto outcome = meter_.client().action(
          {class_id, action.method.obis, static_cast<std::int8_t>(action.method.index)}, *argument);
      if (!outcome) {
        report_action(action.method, class_id, outcome.error().message, nullptr);
        continue;
      }
      const Data* returned = nullptr;
      if (outcome->return_parameters) returned = std::get_if<Data>(&*outcome->return_parameters);
      report_action(action.method, class_id,
                    outcome->result == dlms::ActionResult::success
                        ? std::string()
                        : std::string(dlms::to_string(outcome->result)),
                    returned);
    }
  }

  void do_reads(const std::vector<AttributeReference>& items) {
    Json values = Json::array();
    for (const AttributeReference& item : items) {
      const std::uint16_t class_id = meter_.class_of(item.obis);
      const std::string name = attribute_name(item.obis, item.index);
      auto read = meter_.get(item.obis, class_id, item.index);
      Json entry{{"obis", to_string(item.obis)}, {"class_id", class_id}, {"attribute", item.index}};
      if (!read || !std::holds_alternative<Data>(*read)) {
        failed_ = true;
        entry["error"] = failure_text(read);
        if (!options_.json) fmt::print(out_, "{:<22} error: {}\n", name, failure_text(read));
        values.push_back(std::move(entry));
        continue;
      }
      const Data& value = std::get<Data>(*read);
      const ScalerUnit scaler_unit = meter_.scaler_unit_of(item.obis, class_id, item.index);
      const std::string unit = scaler_unit.known ? dlms::unit_symbol(scaler_unit.unit) : "";
      entry["value"] = json_value(value, scaler_unit.scaler);
      if (scaler_unit.known) {
        entry["unit"] = unit;
        entry["scaler"] = scaler_unit.scaler;
      }
      if (!options_.json) {
        fmt::print(out_, "{:<22} {}{}\n", name, display_value(value, scaler_unit.scaler),
                   unit.empty() ? "" : " " + unit);
      }
      values.push_back(std::move(entry));
    }
    json_["values"] = std::move(values);
  }

  void do_list() {
    static constexpr std::array<std::string_view, 7> attribute_modes{
        "-", "r", "w", "rw", "auth-r", "auth-w", "auth-rw"};
    static constexpr std::array<std::string_view, 3> method_modes{"-", "x", "auth-x"};
    auto mode_name = [](const auto& names, std::uint8_t mode) {
      return mode < names.size() ? std::string(names[mode]) : fmt::format("mode{}", mode);
    };
    Json objects = Json::array();
    if (!options_.json) {
      fmt::print(out_, "{:>5} {:>3}  {:<18} {}\n", "class", "ver", "OBIS", "access");
    }
    for (const ListedObject& object : meter_.objects()) {
      std::string rights;
      Json attributes = Json::array();
      Json methods = Json::array();
      for (const auto& [id, mode] : object.attributes) {
        rights +=
            fmt::format("{}{}:{}", rights.empty() ? "" : " ", id, mode_name(attribute_modes, mode));
        attributes.push_back({{"id", id}, {"access", mode_name(attribute_modes, mode)}});
      }
      for (const auto& [id, mode] : object.methods) {
        rights += fmt::format(" m{}:{}", id, mode_name(method_modes, mode));
        methods.push_back({{"id", id}, {"access", mode_name(method_modes, mode)}});
      }
      if (!options_.json) {
        fmt::print(out_, "{:>5} {:>3}  {:<18} {}\n", object.class_id, object.version,
                   to_string(object.obis), rights);
      }
      objects.push_back({{"class_id", object.class_id},
                         {"version", object.version},
                         {"obis", to_string(object.obis)},
                         {"attributes", std::move(attributes)},
                         {"methods", std::move(methods)}});
    }
    json_["objects"] = std::move(objects);
  }

  void do_profile(const ProfileQuery& query) {
    auto profile = read_remote_profile(meter_, query);
    if (!profile) {
      failed_ = true;
      fmt::print(err_, "gridmeter read: {}\n", profile.error().message);
      return;
    }
    if (options_.json) {
      json_["profile"] = remote_profile_json(*profile);
    } else if (options_.csv) {
      fmt::print(out_, "{}", format_remote_profile_csv(*profile));
    } else {
      fmt::print(out_, "{}", format_remote_profile_table(*profile));
    }
  }

 private:
  void report_set(const AttributeReference& target, std::uint16_t class_id,
                  const std::string& error) {
    const std::string name = attribute_name(target.obis, target.index);
    Json entry{{"obis", to_string(target.obis)},
               {"class_id", class_id},
               {"attribute", target.index},
               {"result", error.empty() ? "success" : error}};
    if (!error.empty()) failed_ = true;
    if (!options_.json)
      fmt::print(out_, "{:<22} set: {}\n", name, error.empty() ? "success" : error);
    json_["set"].push_back(std::move(entry));
  }

  void report_action(const AttributeReference& target, std::uint16_t class_id,
                     const std::string& error, const Data* returned) {
    const std::string name = attribute_name(target.obis, target.index);
    Json entry{{"obis", to_string(target.obis)},
               {"class_id", class_id},
               {"method", target.index},
               {"result", error.empty() ? "success" : error}};
    if (returned != nullptr) entry["return"] = json_value(*returned, 0);
    if (!error.empty()) failed_ = true;
    if (!options_.json) {
      fmt::print(out_, "{:<22} action: {}{}\n", name, error.empty() ? "success" : error,
                 returned != nullptr ? " -> " + display_value(*returned, 0) : "");
    }
    json_["action"].push_back(std::move(entry));
  }

  const ReadOptions& options_;
  RemoteMeter& meter_;
  std::FILE* out_;
  std::FILE* err_;
  Json json_ = Json::object();
  bool failed_ = false;
};

}  // namespace

namespace {

// The invocation counter a ciphering client continues from: the meter's 0-0:43.1.0.255 (the
// last counter it accepted from the management client), read by the public client, plus one.
Result<std::uint32_t> read_meter_counter(const ReadPlan& plan, std::uint16_t server_sap,
                                         std::chrono::milliseconds timeout) {
  auto link = transport::TcpWrapperClient::connect(plan.server, transport::client_wport_public,
                                                   server_sap, timeout);
  if (!link) return link.error();
  dlms::Client client(
      [&link](std::span<const std::uint8_t> request) { return link->exchange(request); },
      dlms::ClientOptions{});
  if (Status associated = client.associate(); !associated) return associated.error();
  auto value = client.get({1, Obis{0, 0, 43, 1, 0, 255}, 2});
  (void)client.release();
  const auto* data = value ? std::get_if<Data>(&*value) : nullptr;
  const auto counter = data != nullptr ? data->as_uint64() : std::nullopt;
  if (!counter || *counter >= 0xFFFFFFFFU) {
    return make_error(
        "the meter shows no invocation counter at 0-0:43.1.0.255 for the public client: give "
        "--invocation-counter");
  }
  return static_cast<std::uint32_t>(*counter + 1);
}

}  // namespace

int run_read(const ReadOptions& options, std::FILE* out, std::FILE* err) {
  auto plan = plan_read(options);
  if (!plan) {
    fmt::print(err, "gridmeter read: {}\n", plan.error().message);
    return exit_usage;
  }
  if (!(options.timeout_s > 0.0) || options.timeout_s > 3600.0) {
    fmt::print(err, "gridmeter read: --timeout must be more than 0 and at most 3600 seconds\n");
    return exit_usage;
  }
  const auto timeout = std::chrono::milliseconds(std::llround(options.timeout_s * 1000.0));
  if (plan->read_invocation_counter) {
    auto counter = read_meter_counter(*plan, options.server_sap, timeout);
    if (!counter) {
      fmt::print(err, "gridmeter read: {}:{}: {}\n", plan->server.host, plan->server.port,
                 counter.error().message);
      return exit_failed;
    }
    plan->client.ciphering->invocation_counter = *counter;
  }
  auto link = transport::TcpWrapperClient::connect(plan->server, plan->client_sap,
                                                   options.server_sap, timeout);
  if (!link) {
    fmt::print(err, "gridmeter read: {}\n", link.error().message);
    return exit_failed;
  }
  dlms::Client client(
      [&link](std::span<const std::uint8_t> request) { return link->exchange(request); },
      plan->client);
  if (Status associated = client.associate(); !associated) {
    fmt::print(err, "gridmeter read: {}:{}: {}\n", plan->server.host, plan->server.port,
               associated.error().message);
    return exit_failed;
  }
  RemoteMeter meter(client);
  // The object list finds each OBIS code's class; a meter that does not show it still answers
  // for guessed classes.
  const Status listed = meter.load_object_list();
  if (!listed && options.list) {
    fmt::print(err, "gridmeter read: {}\n", listed.error().message);
    (void)client.release();
    return exit_failed;
  }
  ReadSession session(options, meter, out, err);
  session.do_sets(plan->sets);
  session.do_actions(plan->actions);
  if (!plan->items.empty()) session.do_reads(plan->items);
  if (options.list) session.do_list();
  if (plan->profile) session.do_profile(*plan->profile);
  (void)client.release();
  if (options.json) fmt::print(out, "{}\n", session.json().dump(1));
  return session.failed() ? exit_failed : 0;
}

}  // namespace gridmeter::app
