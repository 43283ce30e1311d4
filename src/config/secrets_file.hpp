// The meter's secrets file (TOML, readable by its owner only): what clients must prove to
// associate. Today the LLS password of the reading client; the security issue adds keys.
//
//   # secrets.toml (chmod 600)
//   lls_password = "12345678"
//
//   Result<Secrets> secrets = load_secrets("secrets.toml");
//   // "secrets file secrets.toml is readable by other users (mode 0644): chmod 600 it"
//
// A secret never appears in an error message: errors name the file, the key and what is wrong
// with the value, never the value.
#pragma once

#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"

namespace gridmeter::config {

struct Secrets {
  // The reading client's password (LLS, mechanism 1): 1 to 64 printable ASCII characters.
  std::optional<std::string> lls_password;
  friend bool operator==(const Secrets&, const Secrets&) = default;
};

inline constexpr std::size_t lls_password_octets_max = 64;

// `source_name` prefixes every error. Unknown keys are refused, so a misspelt key is not a
// secret silently ignored.
Result<Secrets> parse_secrets(std::string_view toml_text, std::string_view source_name);

// Reads `path` and parses it; refuses a file that is not a regular file or that users other
// than its owner may read or write (group or world permission bits).
Result<Secrets> load_secrets(const std::string& path);

}  // namespace gridmeter::config
