// Runs the gridmeter command line in-process and captures what it prints.
//
//   CliOutcome outcome = run_cli({"sim", "--days", "1", "--json"});
//   EXPECT_EQ(outcome.code, 0) << outcome.err;
#pragma once

#include <string>
#include <vector>

namespace gridmeter::testing {

struct CliOutcome {
  int code = 0;
  std::string out;
  std::string err;
};

// `arguments` without the program name.
CliOutcome run_cli(std::vector<std::string> arguments);

}  // namespace gridmeter::testing
