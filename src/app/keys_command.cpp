#include "app/keys_command.hpp"

#include <fmt/format.h>

#include <algorithm>    // std::copy
#include <string_view>  // std::string_view

#include "dlms/aes_gcm.hpp"

namespace gridmeter::app {
namespace {

constexpr std::size_t password_length = 16;
constexpr std::string_view password_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

Result<config::SecretKey> random_key() {
  auto octets = dlms::random_octets(16);
  if (!octets) return octets.error();
  config::SecretKey key{};
  std::copy(octets->begin(), octets->end(), key.begin());
  return key;
}

// Letters and digits, each equally likely: octets of 248 or more (4 × 62) are drawn again.
Result<std::string> random_password() {
  std::string password;
  while (password.size() < password_length) {
    auto octets = dlms::random_octets(32);
    if (!octets) return octets.error();
    for (const std::uint8_t octet : *octets) {
      if (octet >= 4 * password_alphabet.size() || password.size() == password_length) continue;
      password.push_back(password_alphabet[octet % password_alphabet.size()]);
    }
  }
  return password;
}

}  // namespace

Result<config::Secrets> generate_secrets(const std::string& manufacturer_flag) {
  if (manufacturer_flag.size() != 3) {
    return make_error(fmt::format("manufacturer flag \"{}\" is not 3 letters", manufacturer_flag));
  }
  config::Secrets secrets;
  auto password = random_password();
  if (!password) return password.error();
  secrets.lls_password = *password;
  for (auto* key : {&secrets.ek, &secrets.ak, &secrets.kek}) {
    auto fresh = random_key();
    if (!fresh) return fresh.error();
    *key = *fresh;
  }
  auto serial = dlms::random_octets(5);
  if (!serial) return serial.error();
  config::SecretTitle title{};
  std::copy(manufacturer_flag.begin(), manufacturer_flag.end(), title.begin());
  std::copy(serial->begin(), serial->end(), title.begin() + 3);
  secrets.system_title = title;
  return secrets;
}

int run_keys(const KeysOptions& options, std::FILE* out, std::FILE* err) {
  auto secrets = generate_secrets(options.manufacturer_flag);
  if (!secrets) {
    fmt::print(err, "gridmeter keys: {}\n", secrets.error().message);
    return 1;
  }
  if (Status written = config::write_new_secrets(options.out_path, *secrets); !written) {
    fmt::print(err, "gridmeter keys: {}\n", written.error().message);
    return 1;
  }
  fmt::print(out, "gridmeter keys: wrote {} (mode 600): lls_password, ek, ak, kek, system_title\n",
             options.out_path);
  return 0;
}

}  // namespace gridmeter::app
