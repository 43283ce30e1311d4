// The association rights table (`gridmeter run --clients FILE`, TOML): which DLMS clients the
// meter accepts, how each must authenticate and protect its APDUs, what each may reach, and
// how failed attempts lock a client out. Without the file the meter uses
// default_clients(): the safe defaults of an IDIS-style meter.
//
//   [lockout]                  # failed authentications or decipherings of one client
//   failures = 5               #   this many ...
//   window_s = 600             #   within this many seconds ...
//   duration_s = 900           #   refuse its associations this long
//
//   [keys]
//   activation = "next-apdu"   # or "next-association": when transferred keys take effect
//
//   [[client]]
//   sap = 1                    # client SAP (wrapper wPort), 1..65535
//   role = "management"        # public | reader | management | firmware
//   authentication = "hls-gmac"   # none | low (the secrets file's lls_password) | hls-gmac
//   security = "auth-enc"      # none | auth | enc | auth-enc: requests and responses
//   association = 3            # e of its Association LN 0-0:40.0.e.255 (default by role)
//
//   [[client.rule]]            # changes to the role's rights, later rules win
//   object = "0-0:96.3.10.255"
//   methods = "none"           # every method: none | allowed   (or method = N, access = ...)
//   [[client.rule]]
//   object = "0-0:1.0.0.255"
//   attribute = 2              # one attribute (or attributes = ACCESS for all)
//   access = "read-write"      # none | read | write | read-write
//   [[client.rule]]
//   object = "1-0:99.1.0.255"
//   hidden = true              # not shown at all (false: shown with the role's rights)
//
// Errors name the file, the line and column, and what is wrong; unknown keys are refused.
#pragma once

#include <cstdint>      // std::uint8_t, std::uint16_t, std::int64_t
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/obis.hpp"
#include "core/result.hpp"

namespace gridmeter::config {

// The authentication mechanisms by their DLMS numbers (2.16.756.5.8.2.x).
enum class ClientAuthentication : std::uint8_t { none = 0, low = 1, hls_gmac = 5 };

// Security setup version 1 policy bits for a `security` word: auth sets authenticated request
// and response (0x04 | 0x20), enc encrypted request and response (0x08 | 0x40).
inline constexpr std::uint8_t policy_authenticated = 0x04 | 0x20;
inline constexpr std::uint8_t policy_encrypted = 0x08 | 0x40;

struct ClientRuleConfig {
  enum class Kind : std::uint8_t { hide, show, attribute, method };
  Obis object;
  Kind kind = Kind::show;
  int index = 0;                      // attribute or method; 0: all of them
  std::uint8_t attribute_access = 0;  // Blue Book access_mode: 0 none, 1 read, 2 write, 3 both
  bool method_allowed = false;
  friend bool operator==(const ClientRuleConfig&, const ClientRuleConfig&) = default;
};

struct ClientConfig {
  std::uint16_t sap = 0;
  std::string role;  // public, reader, management, firmware
  ClientAuthentication authentication = ClientAuthentication::none;
  std::uint8_t security_policy = 0;
  std::uint8_t association = 0;  // e of 0-0:40.0.e.255, 1..254
  std::vector<ClientRuleConfig> rules;
  friend bool operator==(const ClientConfig&, const ClientConfig&) = default;
};

struct ClientsConfig {
  std::vector<ClientConfig> clients;
  std::size_t lockout_failures = 5;  // 0: never lock out
  std::int64_t lockout_window_s = 600;
  std::int64_t lockout_duration_s = 900;
  bool keys_next_association = false;  // [keys] activation = "next-association"
  friend bool operator==(const ClientsConfig&, const ClientsConfig&) = default;
};

// The roles' default SAPs and association instances (IDIS-style).
inline constexpr std::uint16_t public_client_sap = 0x10;
inline constexpr std::uint16_t reading_client_sap = 0x20;
inline constexpr std::uint16_t management_client_sap = 0x01;
inline constexpr std::uint16_t firmware_client_sap = 0x50;

// Without a file: the public client (16, no authentication), the reading client (32, LLS)
// when there is a password, and when there are keys the management client (1) and the
// firmware update client (80), both HLS-GMAC with authenticated encryption.
ClientsConfig default_clients(bool have_password, bool have_keys);

// Errors for unknown keys, wrong types, a role, mechanism or security word not in the lists,
// a SAP or association instance out of range or used twice, a public client (SAP 16) that
// authenticates or ciphers, a rule without an object or doing two things at once.
Result<ClientsConfig> parse_clients(std::string_view toml_text, std::string_view source_name);
Result<ClientsConfig> load_clients(const std::string& path);

}  // namespace gridmeter::config
