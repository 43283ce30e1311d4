// `gridmeter read`: a DLMS/COSEM client for the command line (TCP wrapper). It reads any
// meter that speaks the standard, gridmeter's own or another vendor's.
//
//   gridmeter read 127.0.0.1 1-0:1.8.0 0-0:1.0.0.255:2          # values, scaled, with units
//   gridmeter read 127.0.0.1 --list                             # the object list
//   gridmeter read 127.0.0.1 --password 12345678 --profile 1-0:99.1.0 --entries 1:96 --csv
//   gridmeter read 127.0.0.1 --set 0-0:1.0.0.255:2=2026-03-10T12:00:00+01:00
//   gridmeter read 127.0.0.1 --action 0-0:1.0.0.255:6=long:-30 --json
//
// The client SAP is 16 (public) unless --client says otherwise, 32 (reading client, LLS)
// when a password is given, 1 (management, HLS-GMAC with authenticated encryption) when keys
// are given. Output: a table, or with --json one object whose keys are what was
// asked: "values", "objects", "profile", "set", "action" (docs/cli.md). Exit status: 0 when
// everything asked succeeded, 1 when the meter refused something or could not be reached,
// 2 for a command line that is wrong.
#pragma once

#include <cstdint>   // std::uint16_t
#include <cstdio>    // std::FILE
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

namespace gridmeter::app {

struct ReadOptions {
  std::string target;              // HOST[:PORT]
  std::vector<std::string> items;  // OBIS[:ATTR]
  std::optional<std::uint16_t> client_sap;
  std::uint16_t server_sap = 1;
  std::optional<std::string> password;      // LLS
  std::optional<std::string> secrets_path;  // lls_password from a secrets file
  // Security (docs/cli.md "Security"): authentication none | low | hls-gmac, protection
  // none | auth | enc | auth-enc, the keys from a secrets file or given, the client's system
  // title, its first invocation counter (default: the meter's 0-0:43.1.0.255 + 1, read by the
  // public client first), a fresh dedicated key, general-glo-ciphering.
  std::optional<std::string> auth;
  std::optional<std::string> security;
  std::optional<std::string> keys_path;
  std::optional<std::string> ek;
  std::optional<std::string> ak;
  std::optional<std::string> system_title;
  std::optional<std::uint32_t> invocation_counter;
  bool dedicated_key = false;
  bool general_ciphering = false;
  bool list = false;
  std::optional<std::string> profile;  // OBIS of a Profile generic
  std::optional<std::string> from;     // ISO 8601: range_descriptor bounds
  std::optional<std::string> to;
  std::optional<std::string> entries;  // A:B: entry_descriptor
  bool csv = false;
  std::vector<std::string> sets;     // OBIS:ATTR=VALUE
  std::vector<std::string> actions;  // OBIS:METHOD[=ARG]
  bool json = false;
  double timeout_s = 10.0;
};

int run_read(const ReadOptions& options, std::FILE* out, std::FILE* err);

}  // namespace gridmeter::app
