#include "support/running_meter.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace gridmeter::testing {

RunningMeter::RunningMeter(const std::string& store,
                           const std::vector<std::string>& extra_arguments) {
  std::vector<std::string> arguments{GRIDMETER_BINARY, "run", "--speed",  "600",
                                     "--store",        store, "--listen", "127.0.0.1:0",
                                     "--duration",     "120"};
  arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : arguments)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  int pipe_ends[2];
  EXPECT_EQ(::pipe(pipe_ends), 0);
  child_ = ::fork();
  if (child_ == 0) {
    ::dup2(pipe_ends[1], STDERR_FILENO);
    ::close(pipe_ends[0]);
    std::freopen("/dev/null", "w", stdout);
    ::execv(GRIDMETER_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(pipe_ends[1]);
  stderr_ = pipe_ends[0];
  // "gridmeter run: serving DLMS/COSEM on 127.0.0.1:PORT: ..."
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (port_.empty() && std::chrono::steady_clock::now() < deadline) {
    char buffer[256];
    const ssize_t got = ::read(stderr_, buffer, sizeof buffer);
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    const std::string marker = "serving DLMS/COSEM on 127.0.0.1:";
    const std::size_t at = text.find(marker);
    if (at == std::string::npos) continue;
    const std::size_t end = text.find(':', at + marker.size());
    if (end != std::string::npos) port_ = text.substr(at + marker.size(), end - at - marker.size());
  }
  EXPECT_FALSE(port_.empty()) << text;
  // Let the simulated meter fill its first load profile entries (600x: 15 min in 1.5 s).
  std::this_thread::sleep_for(std::chrono::seconds(4));
}

void RunningMeter::stop() {
  if (child_ <= 0) return;
  ::kill(child_, SIGINT);
  int status = 0;
  ::waitpid(child_, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "run ended with " << status;
  ::close(stderr_);
  child_ = -1;
}

void write_private_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), 0600);
}

}  // namespace gridmeter::testing
