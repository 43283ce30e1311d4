// libFuzzer target: the association rights table (config/clients_file.hpp). Any text either
// parses into a table whose invariants hold (at least one client, SAPs and association
// instances unique, the public client without authentication or security, rule kinds with
// their fields in range) or is refused with a message naming the file; nothing crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "config/clients_file.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = gridmeter::config::parse_clients(text, "fuzz.toml");
  if (!parsed) {
    require(parsed.error().message.rfind("fuzz.toml", 0) == 0);
    return 0;
  }
  require(!parsed->clients.empty());
  std::set<std::uint16_t> saps;
  std::set<std::uint8_t> instances;
  for (const gridmeter::config::ClientConfig& client : parsed->clients) {
    require(client.sap != 0);
    require(saps.insert(client.sap).second);
    require(client.association >= 1 && client.association <= 254);
    require(instances.insert(client.association).second);
    if (client.sap == gridmeter::config::public_client_sap) {
      require(client.authentication == gridmeter::config::ClientAuthentication::none);
      require(client.security_policy == 0);
    }
    for (const gridmeter::config::ClientRuleConfig& rule : client.rules) {
      require(rule.index >= 0 && rule.index <= 127);
      require(rule.attribute_access <= 3);
    }
  }
  return 0;
}
