#include "config/secrets_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>   // errno
#include <cstring>  // std::strerror

#include "config/calendar_config.hpp"  // parse_toml
#include "config/text_file.hpp"

namespace gridmeter::config {
namespace {

constexpr std::size_t secrets_size_max_bytes = 64U << 10U;

Error located(std::string_view source_name, const toml::node& node, std::string_view message) {
  const toml::source_position& begin = node.source().begin;
  return make_error(fmt::format("{}:{}:{}: {}", source_name, begin.line, begin.column, message));
}

Status read_password(std::string_view source_name, const toml::node& node,
                     std::optional<std::string>& out) {
  const auto* text = node.as_string();
  if (text == nullptr) return located(source_name, node, "lls_password: expected a string");
  const std::string& password = text->get();
  if (password.empty() || password.size() > lls_password_octets_max) {
    return located(source_name, node,
                   fmt::format("lls_password: {} characters, expected 1 to {}", password.size(),
                               lls_password_octets_max));
  }
  for (const char c : password) {
    if (c < ' ' || c > '~') {
      return located(source_name, node,
                     "lls_password: only printable ASCII characters are allowed");
    }
  }
  out = password;
  return {};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A key or system title as hex digits, exactly 2 × N of them (the value is never quoted back).
template <std::size_t N>
Status read_hex(std::string_view source_name, const toml::node& node, std::string_view name,
                std::optional<std::array<std::uint8_t, N>>& out) {
  const std::string_view what = N == 16 ? "a 128-bit key" : "a system title";
  const auto* text = node.as_string();
  if (text == nullptr) {
    return located(source_name, node,
                   fmt::format("{}: expected a string of {} hex digits ({})", name, 2 * N, what));
  }
  const std::string& digits = text->get();
  std::array<std::uint8_t, N> value{};
  bool valid = digits.size() == 2 * N;
  for (std::size_t i = 0; valid && i < N; ++i) {
    const int high = hex_digit(digits[2 * i]);
    const int low = hex_digit(digits[2 * i + 1]);
    valid = high >= 0 && low >= 0;
    value[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  if (digits.size() != 2 * N) {
    return located(source_name, node,
                   fmt::format("{}: expected {} hex digits ({}), found {} characters", name, 2 * N,
                               what, digits.size()));
  }
  if (!valid) {
    return located(
        source_name, node,
        fmt::format("{}: expected {} hex digits ({}), found other characters", name, 2 * N, what));
  }
  out = value;
  return {};
}

}  // namespace

Result<Secrets> parse_secrets(std::string_view toml_text, std::string_view source_name) {
  Result<toml::table> root = parse_toml(toml_text, source_name);
  if (!root) return root.error();
  Secrets secrets;
  for (const auto& [key, node] : *root) {
    const std::string_view name = key.str();
    Status read;
    if (name == "lls_password") {
      read = read_password(source_name, node, secrets.lls_password);
    } else if (name == "ek") {
      read = read_hex(source_name, node, name, secrets.ek);
    } else if (name == "ak") {
      read = read_hex(source_name, node, name, secrets.ak);
    } else if (name == "kek") {
      read = read_hex(source_name, node, name, secrets.kek);
    } else if (name == "system_title") {
      read = read_hex(source_name, node, name, secrets.system_title);
    } else {
      return located(source_name, node,
                     fmt::format("unknown key \"{}\" (the secrets file knows lls_password, ek, "
                                 "ak, kek and system_title)",
                                 name));
    }
    if (!read) return read.error();
  }
  return secrets;
}

std::string format_secrets(const Secrets& secrets) {
  std::string text = "# gridmeter secrets (keep it mode 600; docs/dlms.md)\n";
  if (secrets.lls_password)
    text += fmt::format("lls_password = {}\n", toml_string(*secrets.lls_password));
  auto hex_line = [&](std::string_view name, const auto& value) {
    if (!value) return;
    text += fmt::format("{} = \"", name);
    for (const std::uint8_t octet : *value)
      text += fmt::format("{:02X}", octet);
    text += "\"\n";
  };
  hex_line("ek", secrets.ek);
  hex_line("ak", secrets.ak);
  hex_line("kek", secrets.kek);
  hex_line("system_title", secrets.system_title);
  return text;
}

Status write_new_secrets(const std::string& path, const Secrets& secrets) {
  // O_EXCL: never replace keys someone may still need; 0600 from the first byte on.
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (descriptor < 0) {
    if (errno == EEXIST) return make_error(fmt::format("{} exists; remove it first", path));
    return make_error(fmt::format("cannot create {}: {}", path, std::strerror(errno)));
  }
  const std::string text = format_secrets(secrets);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(descriptor, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(descriptor);
      ::unlink(path.c_str());
      return make_error(fmt::format("cannot write {}: {}", path, why));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(descriptor) != 0 || ::close(descriptor) != 0) {
    return make_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  return {};
}

Result<Secrets> load_secrets(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    return make_error(fmt::format("cannot open secrets file {}: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(status.st_mode)) {
    return make_error(fmt::format("secrets file {} is not a regular file", path));
  }
  const auto mode = static_cast<unsigned>(status.st_mode) & 0777U;
  if ((mode & 0077U) != 0) {
    return make_error(fmt::format(
        "secrets file {} is open to other users (mode {:04o}): chmod 600 it", path, mode));
  }
  auto text = read_text_file(path, secrets_size_max_bytes, "secrets file");
  if (!text) return text.error();
  return parse_secrets(*text, path);
}

}  // namespace gridmeter::config
