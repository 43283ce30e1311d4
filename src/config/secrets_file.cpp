#include "config/secrets_file.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <toml++/toml.h>

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

}  // namespace

Result<Secrets> parse_secrets(std::string_view toml_text, std::string_view source_name) {
  Result<toml::table> root = parse_toml(toml_text, source_name);
  if (!root) return root.error();
  Secrets secrets;
  for (const auto& [key, node] : *root) {
    if (key.str() != "lls_password") {
      return located(
          source_name, node,
          fmt::format("unknown key \"{}\" (the secrets file knows lls_password)", key.str()));
    }
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
    secrets.lls_password = password;
  }
  return secrets;
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
