#include "app/cli.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <sstream>

#include "sim/scenario.hpp"

namespace gridmeter::app {
namespace {

std::string scenario_list() {
  std::string names;
  for (std::string_view name : sim::scenario_names()) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

void add_sim(CLI::App& app, SimOptions& options) {
  CLI::App* sim = app.add_subcommand(
      "sim", "Run the meter through N days of a scenario in accelerated time; print registers");
  sim->add_option("--scenario", options.scenario, "Scenario: " + scenario_list());
  sim->add_option("--days", options.days, "Days of meter time to simulate (fractions allowed)")
      ->required()
      ->check(CLI::Range(1e-6, 36'600.0));
  sim->add_option("--seed", options.seed, "Seed of the household (default 1)")
      ->check(CLI::NonNegativeNumber);
  sim->add_option("--start", options.start,
                  "Start, ISO 8601 (local meter time without an offset; default 2026-01-01)");
  sim->add_option("--store", options.store_path, "Store file: resume from it and save to it");
  sim->add_flag("--json", options.json, "Print JSON instead of a table");
  sim->add_option("--time-zone", options.time_zone,
                  "Meter time zone: CET (default), UTC or a POSIX TZ rule");
  sim->add_option("--flush-interval", options.flush_interval_min,
                  "Minutes of meter time between store commits (default 15)")
      ->check(CLI::Range(0.01, 1440.0));
}

void add_run(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand(
      "run", "Run the meter in real time on a scenario, with a live status line");
  run->add_option("--scenario", options.scenario, "Scenario: " + scenario_list());
  run->add_option("--seed", options.seed, "Seed of the household (default 1)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--speed", options.speed, "Times faster than real time (default 1)")
      ->check(CLI::Range(1e-3, 1e6));
  run->add_option("--store", options.store_path, "Store file (default ./gridmeter.db)");
  run->add_option("--time-zone", options.time_zone,
                  "Meter time zone: CET (default), UTC or a POSIX TZ rule");
  run->add_option("--duration", options.duration_s,
                  "Stop after this many wall-clock seconds (default: run until Ctrl-C)")
      ->check(CLI::Range(0.0, 1e9));
}

}  // namespace

ParsedCommand parse_command_line(const std::vector<std::string>& arguments) {
  ParsedCommand parsed;
  CLI::App app{"gridmeter: a residential smart electricity meter in software", "gridmeter"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gridmeter 0.1.0");
  add_sim(app, parsed.sim);
  add_run(app, parsed.run);

  // CLI11 reports a mistyped command only as "a subcommand is required": name it instead.
  if (arguments.size() > 1 && !arguments[1].empty() && arguments[1][0] != '-') {
    std::string commands;
    bool known = false;
    for (const CLI::App* command : app.get_subcommands({})) {
      known = known || command->get_name() == arguments[1];
      commands += (commands.empty() ? "" : ", ") + command->get_name();
    }
    if (!known) {
      parsed.err_text = fmt::format(
          "gridmeter: unknown command '{}' (commands: {})\nRun with --help for more information.\n",
          arguments[1], commands);
      parsed.exit_code = exit_usage;
      return parsed;
    }
  }
  // CLI11 consumes a reversed vector without the program name.
  std::vector<std::string> reversed;
  if (!arguments.empty()) reversed.assign(arguments.rbegin(), arguments.rend() - 1);
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& error) {
    std::ostringstream normal;
    std::ostringstream failure;
    const int code = app.exit(error, normal, failure);
    parsed.kind = ParsedCommand::Kind::exit;
    parsed.out_text = normal.str();
    parsed.err_text = failure.str();
    parsed.exit_code = code == 0 ? 0 : exit_usage;
    return parsed;
  }
  parsed.kind = app.got_subcommand("sim") ? ParsedCommand::Kind::sim : ParsedCommand::Kind::run;
  return parsed;
}

int gridmeter_main(const std::vector<std::string>& arguments, std::FILE* out, std::FILE* err) {
  const ParsedCommand parsed = parse_command_line(arguments);
  switch (parsed.kind) {
    case ParsedCommand::Kind::sim:
      return run_sim(parsed.sim, out, err);
    case ParsedCommand::Kind::run:
      return run_live(parsed.run, out, err);
    case ParsedCommand::Kind::exit:
      break;
  }
  fmt::print(out, "{}", parsed.out_text);
  fmt::print(err, "{}", parsed.err_text);
  return parsed.exit_code;
}

}  // namespace gridmeter::app
