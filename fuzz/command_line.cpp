// Fuzzes the command-line parser: NUL-separated arguments after the program name. Parsing
// never runs a command, so any input is safe to feed; it must never crash.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/cli.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  std::vector<std::string> arguments{"gridmeter"};
  std::string current;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      arguments.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  arguments.push_back(current);
  const auto parsed = gridmeter::app::parse_command_line(arguments);
  if (parsed.kind == gridmeter::app::ParsedCommand::Kind::exit && parsed.exit_code != 0 &&
      parsed.err_text.empty()) {
    std::abort();  // a refusal must say why
  }
  return 0;
}
