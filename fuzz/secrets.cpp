// libFuzzer target: parse_secrets on arbitrary text. It accepts or refuses with a message that
// names the source; an accepted password is 1..64 printable ASCII characters; whatever is
// accepted, format_secrets writes as text that reads back equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/secrets_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto secrets = gridmeter::config::parse_secrets(text, "fuzz.toml");
  if (!secrets) {
    if (secrets.error().message.rfind("fuzz.toml", 0) != 0) std::abort();
    return 0;
  }
  if (secrets->lls_password) {
    const std::string& password = *secrets->lls_password;
    if (password.empty() || password.size() > gridmeter::config::lls_password_octets_max) {
      std::abort();
    }
    for (const char c : password) {
      if (c < ' ' || c > '~') std::abort();
    }
  }
  auto back = gridmeter::config::parse_secrets(gridmeter::config::format_secrets(*secrets), "back");
  if (!back || !(*back == *secrets)) std::abort();
  return 0;
}
