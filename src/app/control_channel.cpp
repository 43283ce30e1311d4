#include "app/control_channel.hpp"

#include <fmt/format.h>

#include <string>  // std::string
#include <vector>  // std::vector

namespace gridmeter::app {
namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool blank_line(std::string_view line) {
  for (const char c : line) {
    if (!blank(c) && c != '\r') return false;
  }
  return true;
}

std::string control_help() {
  return fmt::format("commands: status, pulses, help, {}", supply_command_list());
}

Result<ControlRequest> parse_control_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > control_line_max) {
    return make_error(fmt::format("a command line is at most {} characters, this one {}",
                                  control_line_max, line.size()));
  }
  for (const char c : line) {
    const auto octet = static_cast<unsigned char>(c);
    if (!blank(c) && (octet < 0x21 || octet > 0x7E)) {
      return make_error(fmt::format("character 0x{:02X} in a command (printable ASCII only)",
                                    static_cast<unsigned>(octet)));
    }
  }
  std::vector<std::string_view> words;
  for (std::size_t at = 0; at < line.size();) {
    if (blank(line[at])) {
      ++at;
      continue;
    }
    std::size_t end = at;
    while (end < line.size() && !blank(line[end]))
      ++end;
    words.push_back(line.substr(at, end - at));
    at = end;
  }
  if (words.empty()) return make_error("empty command (try help)");
  const std::string_view name = words[0];
  const std::span<const std::string_view> arguments(words.data() + 1, words.size() - 1);
  ControlRequest request;
  if (name == "status" || name == "pulses" || name == "help") {
    if (!arguments.empty()) return make_error(fmt::format("{} takes no argument", name));
    request.verb = name == "status"   ? ControlVerb::status
                   : name == "pulses" ? ControlVerb::pulses
                                      : ControlVerb::help;
    return request;
  }
  auto supply = parse_supply_command(name, arguments);
  if (!supply) {
    return make_error(fmt::format("unknown command '{}' ({})", name, control_help()));
  }
  if (!*supply) return supply->error();
  request.verb = ControlVerb::supply;
  request.supply = **supply;
  return request;
}

}  // namespace gridmeter::app
