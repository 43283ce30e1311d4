#include "support/run_cli.hpp"

#include <cstdio>

#include "app/cli.hpp"

namespace gridmeter::testing {
namespace {

std::string read_all(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, n);
  return text;
}

}  // namespace

CliOutcome run_cli(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "gridmeter");
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  CliOutcome outcome;
  outcome.code = app::gridmeter_main(arguments, out, err);
  outcome.out = read_all(out);
  outcome.err = read_all(err);
  std::fclose(out);
  std::fclose(err);
  return outcome;
}

}  // namespace gridmeter::testing
