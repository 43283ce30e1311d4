// The meter's secrets file (TOML, readable by its owner only): what clients must prove to
// associate, and the keys of DLMS security suite 0.
//
//   # secrets.toml (chmod 600; `gridmeter keys --out FILE` writes a fresh one)
//   lls_password = "12345678"
//   ek = "000102030405060708090A0B0C0D0E0F"       # global unicast encryption key
//   ak = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"       # authentication key
//   kek = "000102030405060708090A0B0C0D0E0F"      # master key (wraps transferred keys)
//   system_title = "4752440000000001"             # 8 octets: "GRD" and 5 of the meter's
//
//   Result<Secrets> secrets = load_secrets("secrets.toml");
//   // "secrets file secrets.toml is readable by other users (mode 0644): chmod 600 it"
//
// A secret never appears in an error message: errors name the file, the key and what is wrong
// with the value, never the value.
#pragma once

#include <array>        // std::array
#include <cstdint>      // std::uint8_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"

namespace gridmeter::config {

using SecretKey = std::array<std::uint8_t, 16>;   // an AES-128 key
using SecretTitle = std::array<std::uint8_t, 8>;  // a DLMS system title

struct Secrets {
  // The reading client's password (LLS, mechanism 1): 1 to 64 printable ASCII characters.
  std::optional<std::string> lls_password;
  // 32 hex digits each in the file; absent keys are absent here.
  std::optional<SecretKey> ek;
  std::optional<SecretKey> ak;
  std::optional<SecretKey> kek;
  std::optional<SecretTitle> system_title;  // 16 hex digits
  friend bool operator==(const Secrets&, const Secrets&) = default;
};

inline constexpr std::size_t lls_password_octets_max = 64;

// `source_name` prefixes every error. Unknown keys are refused, so a misspelt key is not a
// secret silently ignored.
Result<Secrets> parse_secrets(std::string_view toml_text, std::string_view source_name);

// The file's text for `secrets` (keys as upper-case hex), which parse_secrets reads back equal.
std::string format_secrets(const Secrets& secrets);

// Writes `secrets` to a new file at `path` created readable and writable by its owner only
// (mode 600). An existing file is never overwritten: "... exists; remove it first".
Status write_new_secrets(const std::string& path, const Secrets& secrets);

// Reads `path` and parses it; refuses a file that is not a regular file or that users other
// than its owner may read or write (group or world permission bits).
Result<Secrets> load_secrets(const std::string& path);

}  // namespace gridmeter::config
