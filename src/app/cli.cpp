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
  sim->add_flag("--pq-report", options.pq_report,
                "Print the EN 50160 voltage quality compliance report (in the JSON with --json)");
  sim->add_option("--time-zone", options.time_zone,
                  "Meter time zone: CET (default), UTC or a POSIX TZ rule");
  sim->add_option("--config", options.config_path,
                  "Meter programming, TOML (tariffs, profiles, demand, billing; docs/config.md)");
  sim->add_option("--export", options.exports,
                  "OBIS=FILE.csv|FILE.json: write a profile or log after the run, repeatable "
                  "(e.g. 1-0:99.1.0.255=lp.csv)");
  sim->add_option("--action", options.actions,
                  "WHEN=WHAT: shift:+S, set:ISO8601, dst:on|off, billing-reset, outage:MINUTES, "
                  "button, disconnect, reconnect, terminal-cover:open|close, "
                  "meter-cover:open|close, magnet:on|off, topup:TOKEN:KWH, emergency-credit "
                  "at WHEN (ISO 8601), repeatable");
  sim->add_option("--pulses", options.pulses_path,
                  "Write the S0 pulse output's pulses to FILE (CSV: pulse, rising edge time)");
  sim->add_option("--flush-interval", options.flush_interval_min,
                  "Minutes of meter time between store commits (default 15)")
      ->check(CLI::Range(0.01, 1440.0));
}

// The options that describe a waveform input; `--input` itself is added by the caller.
void add_waveform_options(CLI::App* command, WaveformInputOptions& input) {
  command->add_option("--connection", input.connection,
                      "Connection: 1p2w, 3p4w, 3p3w (default: from the input's channels)");
  command->add_option("--channels", input.channels,
                      "Channel map, e.g. u1=0,i1=1 (default: COMTRADE phase names, else in order)");
  command->add_option("--scale", input.scale,
                      "Scale factors per input channel, comma-separated (WAV/raw: full scale in "
                      "V or A)");
  command->add_option("--frequency", input.frequency_hz, "Nominal frequency, 50 or 60 Hz");
  command->add_option("--input-start", input.start,
                      "Time of the first sample, ISO 8601 (default: from the input)");
  command->add_option("--sample-format", input.sample_format,
                      "Raw input: int16 (default), int32 or float32");
  command->add_option("--channel-count", input.channel_count, "Raw input: channels per frame");
  command->add_option("--sample-rate", input.sample_rate_hz, "Raw input: samples per second");
}

void add_meter(CLI::App& app, MeterCommandOptions& options) {
  CLI::App* meter = app.add_subcommand(
      "meter", "Meter a recording (COMTRADE, WAV, raw); print registers and a per-second table");
  meter->add_option("--input", options.input.path, "COMTRADE .cfg/.cff, .wav, .raw or - (stdin)")
      ->required();
  add_waveform_options(meter, options.input);
  meter->add_flag("--json", options.json, "Print JSON instead of tables");
  meter->add_flag("--measurements", options.measurements, "Also print every measurement interval");
  meter->add_flag("--pq-report", options.pq_report,
                  "Print the EN 50160 voltage quality compliance report (in the JSON with --json)");
  meter->add_option("--time-zone", options.time_zone,
                    "Meter time zone: CET (default), UTC or a POSIX TZ rule");
  meter->add_option("--config", options.config_path, "Meter programming, TOML (docs/config.md)");
}

void add_synth(CLI::App& app, SynthOptions& options) {
  CLI::App* synth = app.add_subcommand(
      "synth", "Write a synthetic COMTRADE recording with known content (for `meter`, `run`)");
  synth->add_option("--out", options.out, "Output NAME.cfg (NAME.dat beside it)")->required();
  synth->add_option("--connection", options.connection, "1p2w (default), 3p4w or 3p3w");
  synth->add_option("--duration", options.duration_s, "Seconds (default 10)");
  synth->add_option("--sample-rate", options.sample_rate_hz, "Samples per second (default 8000)");
  synth->add_option("--frequency", options.frequency_hz, "Actual frequency in Hz (default 50)");
  synth->add_option("--nominal-frequency", options.nominal_frequency_hz, "50 or 60");
  synth->add_option("--voltage", options.voltage_v, "RMS volts per phase (default 230)");
  synth->add_option("--current", options.current_a, "RMS amperes per phase (default 5)");
  synth->add_option("--angle", options.angle_deg,
                    "Current angle from its voltage in degrees (-60: PF 0.5 inductive)");
  synth->add_option("--harmonic", options.harmonics,
                    "u|i:ORDER:PERCENT[:PHASE_DEG], repeatable (e.g. i:5:40)");
  synth->add_option("--event", options.events,
                    "dip|swell:START:DURATION:FRACTION, interruption:START:DURATION, "
                    "frequency:START:HZ; repeatable");
  synth->add_option("--current-shape", options.current_shape,
                    "sine, half-wave, phase-fired:ANGLE or burst:ON:OFF");
  synth->add_option("--noise-v", options.voltage_noise_v, "RMS voltage noise");
  synth->add_option("--noise-a", options.current_noise_a, "RMS current noise");
  synth->add_option("--seed", options.seed, "Noise seed");
  synth->add_option("--start", options.start, "Time of the first sample, ISO 8601");
  synth->add_option("--format", options.format, "ascii, binary, binary32 or float32 (default)");
  synth->add_option("--time-zone", options.time_zone, "Time zone for --start (default CET)");
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
  run->add_option("--config", options.config_path, "Meter programming, TOML (docs/config.md)");
  run->add_option("--duration", options.duration_s,
                  "Stop after this many wall-clock seconds (default: run until Ctrl-C)")
      ->check(CLI::Range(0.0, 1e9));
  run->add_option("--input", options.input.path,
                  "Feed the meter from a waveform file or - (raw samples on stdin) instead of "
                  "the scenario");
  add_waveform_options(run, options.input);
  run->add_option("--listen", options.listen,
                  "Serve DLMS/COSEM (TCP wrapper) on ADDRESS:PORT, or none (default "
                  "127.0.0.1:4059)");
  run->add_option("--secrets", options.secrets_path,
                  "Secrets file, TOML, owner-only: lls_password for the reading client (SAP 32), "
                  "ek, ak, kek and system_title for HLS-GMAC and ciphering");
  run->add_option("--clients", options.clients_path,
                  "Association rights table, TOML: clients, authentication, security, rights "
                  "and lock-out (docs/dlms.md)");
  run->add_option("--inactivity-timeout", options.inactivity_timeout_s,
                  "Seconds a silent DLMS connection stays open (default 120)")
      ->check(CLI::Range(1.0, 86'400.0));
  run->add_option("--control", options.control_path,
                  "Unix socket PATH for supply commands (button, disconnect, topup, ...; "
                  "docs/cli.md); standard input takes them too");
  run->add_option("--pulse-output", options.pulse_output_path,
                  "Write the S0 pulse output as levels 1/0 to PATH (a file or a GPIO value "
                  "file)");
}

void add_decode(CLI::App& app, DecodeOptions& options) {
  CLI::App* decode = app.add_subcommand(
      "decode", "Decode a DLMS wrapper frame or APDU, given as hex, into a readable tree");
  decode
      ->add_option("input", options.input,
                   "HEX octets (spaces, colons, 0x ignored), or - to read them from standard "
                   "input, one frame or APDU a line")
      ->required();
  CLI::Option* json = decode->add_flag("--json", options.json, "Print a JSON tree");
  CLI::Option* xml = decode->add_flag("--xml", options.xml, "Print XML (the default)");
  json->excludes(xml);
  decode->add_option("--keys", options.keys_path,
                     "Secrets file whose ek and ak decipher ciphered APDUs (suite 0)");
  decode->add_option("--system-title", options.system_title,
                     "The sender's system title (16 hex digits) for glo-/ded- APDUs");
}

void add_keys(CLI::App& app, KeysOptions& options) {
  CLI::App* keys = app.add_subcommand(
      "keys", "Write a fresh secrets file: LLS password, ek, ak, kek and system title (mode 600)");
  keys->add_option("--out", options.out_path, "The new file (never overwritten)")->required();
}

void add_read(CLI::App& app, ReadOptions& options) {
  CLI::App* read = app.add_subcommand(
      "read", "Read, write and invoke a DLMS/COSEM meter over TCP (the wrapper, port 4059)");
  read->add_option("host", options.target, "HOST[:PORT] of the meter (port 4059 by default)")
      ->required();
  read->add_option("attributes", options.items,
                   "OBIS[:ATTR] to read (attribute 2, the value, by default), repeatable");
  read->add_option("--client", options.client_sap,
                   "Client SAP (default 16, the public client; 32 with a password; 1 with keys)")
      ->check(CLI::Range(1, 0x7F));
  read->add_option("--server", options.server_sap, "Server SAP, the logical device (default 1)")
      ->check(CLI::Range(1, 0x3FFF));
  read->add_option("--password", options.password, "LLS password (low level security)");
  read->add_option("--secrets", options.secrets_path,
                   "Secrets file with lls_password (instead of --password)");
  read->add_option("--auth", options.auth,
                   "Authentication: none, low (a password) or hls-gmac (default: low with a "
                   "password, hls-gmac with keys, else none)");
  read->add_option("--security", options.security,
                   "Protection of every APDU: none, auth, enc or auth-enc (default auth-enc "
                   "with keys)");
  read->add_option("--keys", options.keys_path,
                   "Secrets file whose ek and ak the client uses (AES-GCM-128, HLS-GMAC)");
  read->add_option("--ek", options.ek, "Global unicast encryption key, 32 hex digits");
  read->add_option("--ak", options.ak, "Authentication key, 32 hex digits");
  read->add_option("--system-title", options.system_title,
                   "The client's system title, 16 hex digits (default 475244434C490001)");
  read->add_option("--invocation-counter", options.invocation_counter,
                   "First invocation counter (default: the meter's 0-0:43.1.0.255 + 1)");
  read->add_flag("--dedicated-key", options.dedicated_key,
                 "Protect the requests with a fresh random dedicated key (ded-* ciphering)");
  read->add_flag("--general-ciphering", options.general_ciphering,
                 "Send every request as general-glo- (or general-ded-) ciphering");
  read->add_flag("--list", options.list,
                 "Print the association's object list (class, OBIS, version, access rights)");
  read->add_option("--profile", options.profile, "OBIS of a profile or log to read");
  read->add_option("--from", options.from, "Profile entries from this time (ISO 8601)");
  read->add_option("--to", options.to, "Profile entries up to this time (ISO 8601)");
  read->add_option("--entries", options.entries, "Profile entries A:B (1 = oldest, B 0 = newest)");
  read->add_flag("--csv", options.csv, "Print the profile as CSV");
  read->add_option("--set", options.sets, "OBIS:ATTR=VALUE to write, repeatable");
  read->add_option("--action", options.actions, "OBIS:METHOD[=ARG] to invoke, repeatable");
  read->add_flag("--json", options.json, "Print JSON");
  read->add_option("--timeout", options.timeout_s, "Seconds to wait for each answer (default 10)");
}

}  // namespace

ParsedCommand parse_command_line(const std::vector<std::string>& arguments) {
  ParsedCommand parsed;
  CLI::App app{"gridmeter: a residential smart electricity meter in software", "gridmeter"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gridmeter 0.1.0");
  add_sim(app, parsed.sim);
  add_run(app, parsed.run);
  add_meter(app, parsed.meter);
  add_synth(app, parsed.synth);
  add_decode(app, parsed.decode);
  add_read(app, parsed.read);
  add_keys(app, parsed.keys);

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
  if (app.got_subcommand("sim")) {
    parsed.kind = ParsedCommand::Kind::sim;
  } else if (app.got_subcommand("meter")) {
    parsed.kind = ParsedCommand::Kind::meter;
  } else if (app.got_subcommand("synth")) {
    parsed.kind = ParsedCommand::Kind::synth;
  } else if (app.got_subcommand("read")) {
    parsed.kind = ParsedCommand::Kind::read;
  } else if (app.got_subcommand("decode")) {
    parsed.kind = ParsedCommand::Kind::decode;
  } else if (app.got_subcommand("keys")) {
    parsed.kind = ParsedCommand::Kind::keys;
  } else {
    parsed.kind = ParsedCommand::Kind::run;
  }
  return parsed;
}

int gridmeter_main(const std::vector<std::string>& arguments, std::FILE* out, std::FILE* err) {
  const ParsedCommand parsed = parse_command_line(arguments);
  switch (parsed.kind) {
    case ParsedCommand::Kind::sim:
      return run_sim(parsed.sim, out, err);
    case ParsedCommand::Kind::run:
      return run_live(parsed.run, out, err);
    case ParsedCommand::Kind::meter:
      return run_meter(parsed.meter, out, err);
    case ParsedCommand::Kind::synth:
      return run_synth(parsed.synth, out, err);
    case ParsedCommand::Kind::read:
      return run_read(parsed.read, out, err);
    case ParsedCommand::Kind::decode:
      return run_decode(parsed.decode, stdin, out, err);
    case ParsedCommand::Kind::keys:
      return run_keys(parsed.keys, out, err);
    case ParsedCommand::Kind::exit:
      break;
  }
  fmt::print(out, "{}", parsed.out_text);
  fmt::print(err, "{}", parsed.err_text);
  return parsed.exit_code;
}

}  // namespace gridmeter::app
