// Ctrl-C (SIGINT) and SIGTERM as a request to stop, for the commands whose loops run outside
// an event loop (`sim`, `run --input`): the loop polls stop_requested() and ends with a final
// save. The handlers interrupt blocking reads (no SA_RESTART), so an idle input stops at once.
//
//   StopSignalScope scope;                    // installs the handlers, restores them at exit
//   while (!stop_requested()) work();
#pragma once

namespace gridmeter::app {

class StopSignalScope {
 public:
  StopSignalScope();
  StopSignalScope(const StopSignalScope&) = delete;
  StopSignalScope& operator=(const StopSignalScope&) = delete;
  ~StopSignalScope();
};

[[nodiscard]] bool stop_requested();

}  // namespace gridmeter::app
