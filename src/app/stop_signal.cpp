#include "app/stop_signal.hpp"

#include <signal.h>

#include <atomic>

namespace {

std::atomic<bool> stop_flag{false};

extern "C" void gridmeter_request_stop(int /*signal*/) { stop_flag.store(true); }

}  // namespace

namespace gridmeter::app {

StopSignalScope::StopSignalScope() {
  stop_flag.store(false);
  struct sigaction action {};
  action.sa_handler = gridmeter_request_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

StopSignalScope::~StopSignalScope() {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
}

bool stop_requested() { return stop_flag.load(); }

}  // namespace gridmeter::app
