#include "config/clients_file.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>  // std::any_of
#include <array>      // std::array
#include <optional>   // std::optional
#include <span>       // std::span

#include "config/calendar_config.hpp"  // parse_toml
#include "config/text_file.hpp"

namespace gridmeter::config {
namespace {

constexpr std::size_t clients_size_max_bytes = 1U << 20U;
constexpr std::int64_t seconds_max = 7 * 24 * 3600;
constexpr std::array<std::string_view, 4> attribute_words{"none", "read", "write", "read-write"};
constexpr std::array<std::string_view, 2> method_words{"none", "allowed"};
constexpr std::array<std::string_view, 4> role_words{"public", "reader", "management", "firmware"};
constexpr std::array<std::string_view, 3> mechanism_words{"none", "low", "hls-gmac"};
constexpr std::array<std::string_view, 4> security_words{"none", "auth", "enc", "auth-enc"};
constexpr std::array<std::string_view, 2> activation_words{"next-apdu", "next-association"};

Error located(std::string_view source, const toml::node& node, std::string_view message) {
  const toml::source_position& begin = node.source().begin;
  return make_error(fmt::format("{}:{}:{}: {}", source, begin.line, begin.column, message));
}

// The reader of one table: typed lookups that name the key in their errors, and a check that
// nothing else is there.
class TableReader {
 public:
  TableReader(std::string_view source, const toml::table& table, std::string prefix)
      : source_(source), table_(table), prefix_(std::move(prefix)) {}

  [[nodiscard]] bool has(std::string_view key) const { return table_.contains(key); }
  // A key the caller reads itself.
  void known(std::string_view key) { seen_.emplace_back(key); }

  Result<std::optional<std::int64_t>> integer(std::string_view key, std::int64_t low,
                                              std::int64_t high) {
    seen_.emplace_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<std::int64_t>{};
    const auto* value = node->as_integer();
    if (value == nullptr) return error(*node, key, "expected an integer");
    if (value->get() < low || value->get() > high) {
      return error(*node, key, fmt::format("{} is outside {}..{}", value->get(), low, high));
    }
    return std::optional<std::int64_t>{value->get()};
  }

  Result<std::optional<std::string>> word(std::string_view key,
                                          std::span<const std::string_view> allowed) {
    seen_.emplace_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<std::string>{};
    const auto* value = node->as_string();
    std::string list;
    for (std::string_view one : allowed)
      list += fmt::format("{}{}", list.empty() ? "" : ", ", one);
    if (value == nullptr) return error(*node, key, fmt::format("expected one of {}", list));
    if (std::none_of(allowed.begin(), allowed.end(),
                     [&](std::string_view one) { return one == value->get(); })) {
      return error(*node, key, fmt::format("\"{}\" is not one of {}", value->get(), list));
    }
    return std::optional<std::string>{value->get()};
  }

  Result<std::optional<bool>> boolean(std::string_view key) {
    seen_.emplace_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<bool>{};
    const auto* value = node->as_boolean();
    if (value == nullptr) return error(*node, key, "expected true or false");
    return std::optional<bool>{value->get()};
  }

  Result<std::optional<Obis>> obis(std::string_view key) {
    seen_.emplace_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<Obis>{};
    const auto* value = node->as_string();
    if (value == nullptr) return error(*node, key, "expected an OBIS code as a string");
    auto parsed = parse_obis(value->get());
    if (!parsed) {
      return error(*node, key,
                   fmt::format("\"{}\" is not an OBIS code (A-B:C.D.E.F)", value->get()));
    }
    return std::optional<Obis>{*parsed};
  }

  // Refuses what was not asked for.
  Status no_other_keys(std::string_view known) const {
    for (const auto& [key, node] : table_) {
      if (std::find(seen_.begin(), seen_.end(), key.str()) == seen_.end()) {
        return located(
            source_, node,
            fmt::format("{}: unknown key \"{}\" (known: {})", where(), key.str(), known));
      }
    }
    return {};
  }

  Error error(const toml::node& node, std::string_view key, std::string_view what) const {
    return located(source_, node, fmt::format("{}{}: {}", prefix_, key, what));
  }
  [[nodiscard]] const toml::table& table() const { return table_; }
  // "client[0]" of the prefix "client[0].".
  [[nodiscard]] std::string where() const { return prefix_.substr(0, prefix_.size() - 1); }

 private:
  std::string_view source_;
  const toml::table& table_;
  std::string prefix_;
  std::vector<std::string> seen_;
};

std::uint8_t access_mode(std::string_view word) {
  if (word == "read") return 1;
  if (word == "write") return 2;
  if (word == "read-write") return 3;
  return 0;
}

Result<ClientRuleConfig> read_rule(std::string_view source, const toml::table& table,
                                   std::string prefix) {
  TableReader reader(source, table, prefix);
  ClientRuleConfig rule;
  auto object = reader.obis("object");
  if (!object) return object.error();
  if (!*object) return located(source, table, prefix + "object: missing (the rule's OBIS code)");
  rule.object = **object;
  int actions = 0;
  for (std::string_view key : {"hidden", "attributes", "attribute", "methods", "method"}) {
    if (reader.has(key)) ++actions;
  }
  if (actions != 1) {
    return located(source, table,
                   reader.where() +
                       ": a rule does one thing: hidden, attributes, attribute, methods or "
                       "method (with access)");
  }
  auto hidden = reader.boolean("hidden");
  if (!hidden) return hidden.error();
  auto attributes = reader.word("attributes", attribute_words);
  if (!attributes) return attributes.error();
  auto methods = reader.word("methods", method_words);
  if (!methods) return methods.error();
  auto attribute = reader.integer("attribute", 1, 127);
  if (!attribute) return attribute.error();
  auto method = reader.integer("method", 1, 127);
  if (!method) return method.error();
  const bool one = *attribute || *method;
  auto access =
      reader.word("access", one && *attribute ? std::span<const std::string_view>(attribute_words)
                                              : std::span<const std::string_view>(method_words));
  if (!access) return access.error();
  if (one != access->has_value()) {
    return located(source, table,
                   prefix + (one ? "access: missing (what the attribute or method gets)"
                                 : "access: only with attribute = N or method = N"));
  }
  if (*hidden) {
    rule.kind = **hidden ? ClientRuleConfig::Kind::hide : ClientRuleConfig::Kind::show;
  } else if (*attributes || *attribute) {
    rule.kind = ClientRuleConfig::Kind::attribute;
    rule.index = *attribute ? static_cast<int>(**attribute) : 0;
    rule.attribute_access = access_mode(*attributes ? **attributes : **access);
  } else {
    rule.kind = ClientRuleConfig::Kind::method;
    rule.index = *method ? static_cast<int>(**method) : 0;
    rule.method_allowed = (*methods ? **methods : **access) == "allowed";
  }
  if (Status rest =
          reader.no_other_keys("object, hidden, attributes, attribute, methods, method, access");
      !rest) {
    return rest.error();
  }
  return rule;
}

std::uint8_t default_association(std::string_view role) {
  if (role == "public") return 1;
  if (role == "reader") return 2;
  if (role == "management") return 3;
  return 4;
}

Result<ClientConfig> read_client(std::string_view source, const toml::table& table,
                                 std::size_t index) {
  const std::string prefix = fmt::format("client[{}].", index);
  TableReader reader(source, table, prefix);
  ClientConfig client;
  auto sap = reader.integer("sap", 1, 0xFFFF);
  if (!sap) return sap.error();
  if (!*sap) return located(source, table, prefix + "sap: missing (the client SAP, 1..65535)");
  client.sap = static_cast<std::uint16_t>(**sap);
  auto role = reader.word("role", role_words);
  if (!role) return role.error();
  if (!*role) {
    return located(source, table, prefix + "role: missing (public, reader, management, firmware)");
  }
  client.role = **role;
  auto authentication = reader.word("authentication", mechanism_words);
  if (!authentication) return authentication.error();
  const std::string mechanism = authentication->value_or("none");
  client.authentication = mechanism == "low"        ? ClientAuthentication::low
                          : mechanism == "hls-gmac" ? ClientAuthentication::hls_gmac
                                                    : ClientAuthentication::none;
  auto security = reader.word("security", security_words);
  if (!security) return security.error();
  const std::string protection = security->value_or("none");
  if (protection == "auth" || protection == "auth-enc")
    client.security_policy |= policy_authenticated;
  if (protection == "enc" || protection == "auth-enc") client.security_policy |= policy_encrypted;
  auto association = reader.integer("association", 1, 254);
  if (!association) return association.error();
  client.association = association->has_value() ? static_cast<std::uint8_t>(**association)
                                                : default_association(client.role);
  reader.known("rule");  // [[client.rule]], read below
  if (const toml::node* rules = table.get("rule")) {
    const auto* array = rules->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      return located(source, *rules, prefix + "rule: expected [[client.rule]] tables");
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      auto rule =
          read_rule(source, *array->get(i)->as_table(), fmt::format("{}rule[{}].", prefix, i));
      if (!rule) return rule.error();
      client.rules.push_back(*rule);
    }
  }
  if (Status rest = reader.no_other_keys("sap, role, authentication, security, association, rule");
      !rest) {
    return rest.error();
  }
  if (client.sap == public_client_sap &&
      (client.authentication != ClientAuthentication::none || client.security_policy != 0)) {
    return located(
        source, table,
        reader.where() + ": sap 16 is the public client: no authentication, no security");
  }
  return client;
}

Status read_lockout(std::string_view source, const toml::table& table, ClientsConfig& config) {
  TableReader reader(source, table, "lockout.");
  auto failures = reader.integer("failures", 0, 1000);
  if (!failures) return failures.error();
  auto window = reader.integer("window_s", 1, seconds_max);
  if (!window) return window.error();
  auto duration = reader.integer("duration_s", 1, seconds_max);
  if (!duration) return duration.error();
  if (*failures) config.lockout_failures = static_cast<std::size_t>(**failures);
  if (*window) config.lockout_window_s = **window;
  if (*duration) config.lockout_duration_s = **duration;
  return reader.no_other_keys("failures, window_s, duration_s");
}

}  // namespace

ClientsConfig default_clients(bool have_password, bool have_keys) {
  auto client = [](std::uint16_t sap, std::string role, ClientAuthentication authentication,
                   std::uint8_t policy, std::uint8_t association) {
    ClientConfig entry;
    entry.sap = sap;
    entry.role = std::move(role);
    entry.authentication = authentication;
    entry.security_policy = policy;
    entry.association = association;
    return entry;
  };
  ClientsConfig config;
  config.clients.push_back(client(public_client_sap, "public", ClientAuthentication::none, 0, 1));
  if (have_password) {
    config.clients.push_back(client(reading_client_sap, "reader", ClientAuthentication::low, 0, 2));
  }
  if (have_keys) {
    const auto both = static_cast<std::uint8_t>(policy_authenticated | policy_encrypted);
    config.clients.push_back(
        client(management_client_sap, "management", ClientAuthentication::hls_gmac, both, 3));
    config.clients.push_back(
        client(firmware_client_sap, "firmware", ClientAuthentication::hls_gmac, both, 4));
  }
  return config;
}

Result<ClientsConfig> parse_clients(std::string_view toml_text, std::string_view source_name) {
  Result<toml::table> root = parse_toml(toml_text, source_name);
  if (!root) return root.error();
  ClientsConfig config;
  for (const auto& [key, node] : *root) {
    const std::string_view name = key.str();
    if (name == "lockout") {
      const auto* table = node.as_table();
      if (table == nullptr)
        return located(source_name, node, "lockout: expected a [lockout] table");
      if (Status read = read_lockout(source_name, *table, config); !read) return read.error();
    } else if (name == "keys") {
      const auto* table = node.as_table();
      if (table == nullptr) return located(source_name, node, "keys: expected a [keys] table");
      TableReader reader(source_name, *table, "keys.");
      auto activation = reader.word("activation", activation_words);
      if (!activation) return activation.error();
      config.keys_next_association = activation->value_or("") == "next-association";
      if (Status rest = reader.no_other_keys("activation"); !rest) return rest.error();
    } else if (name == "client") {
      const auto* array = node.as_array();
      if (array == nullptr || !array->is_array_of_tables()) {
        return located(source_name, node, "client: expected [[client]] tables");
      }
      for (std::size_t i = 0; i < array->size(); ++i) {
        auto client = read_client(source_name, *array->get(i)->as_table(), i);
        if (!client) return client.error();
        for (const ClientConfig& other : config.clients) {
          if (other.sap == client->sap) {
            return located(source_name, *array->get(i),
                           fmt::format("client[{}].sap: {} is used twice", i, client->sap));
          }
          if (other.association == client->association) {
            return located(source_name, *array->get(i),
                           fmt::format("client[{}].association: {} is used twice", i,
                                       static_cast<int>(client->association)));
          }
        }
        config.clients.push_back(std::move(*client));
      }
    } else {
      return located(source_name, node,
                     fmt::format("unknown key \"{}\" (the clients file knows [lockout], [keys] "
                                 "and [[client]])",
                                 name));
    }
  }
  if (config.clients.empty()) {
    return make_error(fmt::format("{}: no [[client]]: the meter would accept nobody", source_name));
  }
  return config;
}

Result<ClientsConfig> load_clients(const std::string& path) {
  auto text = read_text_file(path, clients_size_max_bytes, "clients file");
  if (!text) return text.error();
  return parse_clients(*text, path);
}

}  // namespace gridmeter::config
