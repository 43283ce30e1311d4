// A `gridmeter run` child process serving DLMS on a free loopback port, for end-to-end tests.
//
//   RunningMeter meter(store_path, {"--secrets", secrets_path});
//   run_cli({"read", meter.address(), "0-0:42.0.0.255"});
//   meter.stop();                       // SIGINT: the run saves and exits 0
#pragma once

#include <sys/types.h>  // pid_t

#include <string>
#include <vector>

namespace gridmeter::testing {

class RunningMeter {
 public:
  // `gridmeter run --speed 600 --store STORE --listen 127.0.0.1:0 --duration 120 EXTRA...`;
  // returns once it serves, after letting the meter fill its first load profile entries.
  RunningMeter(const std::string& store, const std::vector<std::string>& extra_arguments);
  RunningMeter(const RunningMeter&) = delete;
  RunningMeter& operator=(const RunningMeter&) = delete;
  ~RunningMeter() { stop(); }

  [[nodiscard]] std::string address() const { return "127.0.0.1:" + port_; }
  // Stops it with SIGINT and checks that it ended cleanly (exit status 0); idempotent.
  void stop();

 private:
  pid_t child_ = -1;
  int stderr_ = -1;
  std::string port_;
};

// Writes `text` to a new file readable by its owner only (a secrets file).
void write_private_file(const std::string& path, const std::string& text);

}  // namespace gridmeter::testing
