// gridmeter: the command. All behaviour lives in src/app/cli.cpp so tests can drive it.
#include <cstdio>
#include <string>
#include <vector>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv, argv + argc);
  return gridmeter::app::gridmeter_main(arguments, stdout, stderr);
}
