#include "transport/host_port.hpp"

#include <fmt/format.h>

#include <charconv>  // std::from_chars

namespace gridmeter::transport {

Result<HostPort> parse_host_port(std::string_view text, std::uint16_t default_port) {
  auto fail = [&](std::string_view why) {
    return make_error(fmt::format("address \"{}\": {}", text, why));
  };
  HostPort parsed;
  parsed.port = default_port;
  std::string_view host = text;
  std::string_view port;
  if (text.find("://") != std::string_view::npos) return fail("give HOST[:PORT], not a URL");
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return fail("an IPv6 address needs its closing ]");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail("expected :PORT after the ]");
      port = rest.substr(1);
      if (port.empty()) return fail("no port after the :");
    }
  } else if (const std::size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) return fail("write an IPv6 address as [ADDRESS]:PORT");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) return fail("no port after the :");
  }
  if (host.empty()) return fail("no host");
  for (const char c : host) {
    // As unsigned: where char is signed, bytes over 0x7F would otherwise pass as "<= ' '" on
    // one platform and not on another. Host names are ASCII (IDNs travel as punycode).
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == '/' || byte >= 0x7F) {
      return fail("the host has a character hosts never have");
    }
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc{} || end != port.data() + port.size() || value > 65535) {
      return fail(fmt::format("port \"{}\" is not 0..65535", port));
    }
    parsed.port = static_cast<std::uint16_t>(value);
  }
  parsed.host = std::string(host);
  return parsed;
}

}  // namespace gridmeter::transport
