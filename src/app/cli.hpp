// The `gridmeter` command line: subcommands, their options, and their validation.
//
//   int code = gridmeter_main({"gridmeter", "sim", "--days", "7", "--json"}, stdout, stderr);
//
// Parsing is separate from running, so that tests and the fuzzer can feed any argument vector
// to parse_command_line() without running anything. Malformed arguments give a message naming
// the option, and exit code 2.
#pragma once

#include <cstdio>  // std::FILE
#include <string>  // std::string
#include <vector>  // std::vector

#include "app/decode_command.hpp"
#include "app/keys_command.hpp"
#include "app/meter_command.hpp"
#include "app/read_command.hpp"
#include "app/run_command.hpp"
#include "app/sim_command.hpp"
#include "app/synth_command.hpp"

namespace gridmeter::app {

inline constexpr int exit_usage = 2;

struct ParsedCommand {
  enum class Kind { sim, run, meter, synth, decode, read, keys, exit } kind = Kind::exit;
  SimOptions sim;
  RunOptions run;
  MeterCommandOptions meter;
  SynthOptions synth;
  ReadOptions read;
  DecodeOptions decode;
  KeysOptions keys;
  // For Kind::exit: what to print (help, version or the error) and the exit code.
  std::string out_text;
  std::string err_text;
  int exit_code = 0;
};

// arguments[0] is the program name.
ParsedCommand parse_command_line(const std::vector<std::string>& arguments);

int gridmeter_main(const std::vector<std::string>& arguments, std::FILE* out, std::FILE* err);

}  // namespace gridmeter::app
