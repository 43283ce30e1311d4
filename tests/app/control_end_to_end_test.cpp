// End to end: `gridmeter run` with a control socket and commands on standard input: top-ups,
// the breaker, tamper inputs, refusals, the S0 pulse stream, and the state in the store after
// the run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter {
namespace {

using Clock = std::chrono::steady_clock;

// Reads lines from a descriptor, waiting at most `limit` for each (the meter runs in real
// time; a generous bound, not a measurement).
class LineReader {
 public:
  explicit LineReader(int descriptor) : descriptor_(descriptor) {}
  std::string next(std::chrono::seconds limit = std::chrono::seconds(20)) {
    const auto deadline = Clock::now() + limit;
    for (;;) {
      const std::size_t end = buffer_.find('\n');
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      if (Clock::now() > deadline) return "(timed out)";
      char chunk[512];
      const ssize_t got = ::read(descriptor_, chunk, sizeof chunk);
      if (got <= 0) return "(closed)";
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }
  // The next line that starts with `prefix` (status lines are skipped).
  std::string next_starting(std::string_view prefix) {
    for (int i = 0; i < 200; ++i) {
      std::string line = next();
      if (line.rfind(prefix, 0) == 0 || line[0] == '(') return line;
    }
    return "(not found)";
  }

 private:
  int descriptor_;
  std::string buffer_;
};

int connect_to(const std::string& path) {
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
    ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

void send_line(int fd, const std::string& line) {
  const std::string text = line + "\n";
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

TEST(ControlEndToEnd, CommandsOnTheSocketAndStandardInputDriveTheRunningMeter) {
  testing::TempDir dir;
  const std::string store = dir.file("meter.db");
  const std::string socket_path = dir.file("control.sock");
  const std::string pulses = dir.file("s0.value");
  const std::string config = dir.file("meter.toml");
  std::ofstream(config) << "[disconnector]\nmode = 5\n[prepayment]\nlow_credit = 1\n";
  int to_child[2];
  int from_child[2];
  ASSERT_EQ(::pipe(to_child), 0);
  ASSERT_EQ(::pipe(from_child), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(to_child[0], STDIN_FILENO);
    ::dup2(from_child[1], STDOUT_FILENO);
    ::close(to_child[1]);
    ::close(from_child[0]);
    std::freopen("/dev/null", "w", stderr);
    ::execl(GRIDMETER_BINARY, GRIDMETER_BINARY, "run", "--speed", "100", "--store", store.c_str(),
            "--listen", "none", "--config", config.c_str(), "--control", socket_path.c_str(),
            "--pulse-output", pulses.c_str(), "--duration", "120", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  LineReader out(from_child[0]);

  const int fd = connect_to(socket_path);
  ASSERT_GE(fd, 0) << "no control socket";
  struct stat info {};
  ASSERT_EQ(::stat(socket_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);  // the owner's only
  LineReader socket(fd);
  // A prepaid meter without credit: open from the start.
  send_line(fd, "status");
  EXPECT_EQ(socket.next().rfind("ok: breaker ready for reconnection (control_state 2, output "
                                "open, mode 5); credit 0.000 kWh",
                                0),
            0U);
  send_line(fd, "topup 1001 5");
  EXPECT_EQ(socket.next(),
            "ok: topup: token 1001 added 5.000 kWh; credit 5.000 kWh; breaker connected");
  send_line(fd, "topup 1001 5");
  EXPECT_EQ(socket.next(), "error: topup: token 1001 was applied before; refused");
  send_line(fd, "frobnicate");
  EXPECT_EQ(socket.next().rfind("error: unknown command 'frobnicate'", 0), 0U);
  send_line(fd, "pulses");
  EXPECT_EQ(socket.next(), "ok: every pulse follows as a line: pulse N TIME");
  const std::string first = socket.next();
  const std::string second = socket.next();
  EXPECT_EQ(first.rfind("pulse ", 0), 0U) << first;
  EXPECT_EQ(second.rfind("pulse ", 0), 0U) << second;
  EXPECT_EQ(std::stoull(second.substr(6)), std::stoull(first.substr(6)) + 1);

  // Standard input takes the same commands; its answers go to standard output.
  const std::string line = "magnet on\n";
  ASSERT_EQ(::write(to_child[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
  EXPECT_EQ(out.next_starting("ok:"), "ok: magnetic_field: active; breaker connected");
  const std::string bad = "topup 5\n";
  ASSERT_EQ(::write(to_child[1], bad.data(), bad.size()), static_cast<ssize_t>(bad.size()));
  EXPECT_EQ(out.next_starting("error:"),
            "error: topup takes a token and an amount in kWh (topup 1001 12.5)");

  // A line longer than the channel takes: refused, and the connection closed.
  const int other = connect_to(socket_path);
  ASSERT_GE(other, 0);
  const std::string flood(400, 'x');
  ASSERT_EQ(::write(other, flood.data(), flood.size()), static_cast<ssize_t>(flood.size()));
  LineReader flooded(other);
  EXPECT_EQ(flooded.next(), "error: a command line is at most 256 characters");
  EXPECT_EQ(flooded.next(), "(closed)");
  ::close(other);
  ::close(fd);

  ::kill(child, SIGINT);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ::close(to_child[1]);
  ::close(from_child[0]);
  // The socket is gone; the S0 output rests at 0; the store has what the commands did.
  EXPECT_NE(::access(socket_path.c_str(), F_OK), 0);
  std::ifstream level(pulses);
  std::string text;
  std::getline(level, text);
  EXPECT_EQ(text, "0");
  auto loaded = store::Store::open(store, {})->load();
  ASSERT_TRUE(loaded && loaded->has_value());
  const SupplyState& supply = (*loaded)->meter.supply;
  EXPECT_EQ(supply.prepayment.top_up_count, 1U);
  EXPECT_EQ(supply.prepayment.last_token, 1001U);
  EXPECT_TRUE(supply.tamper.active[index_of(TamperInput::magnetic_field)]);
  EXPECT_GE(supply.pulse_output.emitted, 2U);
}

}  // namespace
}  // namespace gridmeter
