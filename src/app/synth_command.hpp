// `gridmeter synth`: writes a synthetic recording (COMTRADE) with analytically known content,
// for demos and for trying `gridmeter meter` and `gridmeter run --input`.
//
//   gridmeter synth --out load.cfg --connection 3p4w --duration 10 --current 5 --angle -60
//   gridmeter synth --out dip.cfg --event dip:2:0.1:0.7 --harmonic i:5:40
#pragma once

#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::FILE
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

namespace gridmeter::app {

struct SynthOptions {
  std::string out;  // NAME.cfg (NAME.dat beside it)
  std::string connection = "1p2w";
  double duration_s = 10.0;
  double sample_rate_hz = 8000.0;
  double frequency_hz = 50.0;                  // actual frequency
  std::optional<double> nominal_frequency_hz;  // default: 60 if frequency is near 60, else 50
  double voltage_v = 230.0;                    // RMS per phase (phase to neutral)
  double current_a = 5.0;                      // RMS per phase
  double angle_deg = 0.0;              // current angle from its voltage: -60 is PF 0.5 inductive
  std::vector<std::string> harmonics;  // "u:5:10" (5th, 10 % in voltage), "i:3:30:90" (+phase)
  std::vector<std::string> events;     // "dip:START:DURATION:FRACTION", "swell:…",
                                       // "interruption:START:DURATION", "frequency:START:HZ"
  std::string current_shape = "sine";  // sine, half-wave, phase-fired:ANGLE, burst:ON:OFF
  double voltage_noise_v = 0.0;
  double current_noise_a = 0.0;
  std::uint64_t seed = 1;
  std::optional<std::string> start;  // ISO 8601; default 2026-01-01T00:00 local
  std::string format = "float32";    // ascii, binary, binary32, float32
  std::string time_zone = "CET";
};

int run_synth(const SynthOptions& options, std::FILE* out, std::FILE* err);

}  // namespace gridmeter::app
