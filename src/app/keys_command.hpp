// `gridmeter keys --out FILE`: a fresh secrets file (TOML, mode 600) for a meter and its
// clients: a reading-client LLS password and the suite 0 keys (ek, ak, kek) and a system
// title, all from OpenSSL's cryptographic random generator. `gridmeter run --secrets FILE`
// loads it. The file is never overwritten, and no key is ever printed.
#pragma once

#include <cstdio>  // std::FILE
#include <string>  // std::string

#include "config/secrets_file.hpp"
#include "core/result.hpp"

namespace gridmeter::app {

struct KeysOptions {
  std::string out_path;                   // --out FILE
  std::string manufacturer_flag = "GRD";  // the system title's first three octets
};

// A fresh set: a 16-character password of letters and digits, three independent keys, and a
// system title of `manufacturer_flag` (3 letters) and 5 random octets.
Result<config::Secrets> generate_secrets(const std::string& manufacturer_flag);

// 0 on success, 1 when the file cannot be written (it exists, or the directory does not).
int run_keys(const KeysOptions& options, std::FILE* out, std::FILE* err);

}  // namespace gridmeter::app
