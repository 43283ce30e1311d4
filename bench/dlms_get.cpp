// DLMS GET throughput and the server's CPU per GET, on loopback TCP, plain and ciphered.
//
//   build/bench/bench_dlms_get              # 4 s per measured phase, about 25 s in all
//   build/bench/bench_dlms_get 2            # 2 s per phase
//   build/bench/bench_dlms_get 2 epoll      # the server's epoll engine (or io_uring; default:
//                                           # the best the kernel offers)
//
// An in-process server (app::DlmsService: the COSEM logical device over a test meter fed an
// hour of measurements, dlms::ServerConnection per connection with the server's security,
// transport::TcpWrapperServer) serves on the transport's own thread. Client threads
// each hold one association (dlms::Client over transport::TcpWrapperClient) and GET
// 1-0:1.8.0.255 attribute 2 (class 3, active energy import) in a loop, one request outstanding
// per client; first one client, then 16; first plain, then ciphered.
//
// Plain: the reading client (SAP 32, LLS). Ciphered: management clients (HLS-GMAC, every
// request and answer authenticated and encrypted with AES-GCM-128: glo-get-request /
// glo-get-response), one SAP each (0x60 for the single client, 0x61.. for the 16): one
// client's invocation counter cannot be shared by threads racing each other. Associations (with
// HLS's four passes) are made once per client, outside the measured window; so is the release.
//
// Reported per phase: GET/s (wall clock, all clients), the server thread's CPU per GET
// (CLOCK_THREAD_CPUTIME_ID of that thread over the window / GETs answered in it) and the
// clients' CPU per GET (the process's CPU minus the server thread's). The baseline, in the
// same run, is the application layer alone: GET APDUs handed straight to a
// dlms::ServerConnection over the same logical device, no TCP (for ciphered GETs, requests
// protected beforehand, each with its own counter): the ratio shows what the transport and the
// event loop add.
//
// Before each phase, the TCP floor (bench/tcp_floor.hpp): a bare epoll loop answering the same
// frames with one recv and one send each, no DLMS, with as many clients. What the real server
// spends over it is what gridmeter adds; the floor itself is what the kernel (and on a virtual
// machine the hypervisor, for each system call) takes for the exchange, which no server avoids.
//
// Targets: server CPU < 10 us per plain GET (issue 5), < 15 us per ciphered GET (issue 6);
// >= 50,000 GET/s across concurrent clients. A widely used open-source C server manages about
// 13,000 GET/s to one client at about 45 us CPU per GET, and 9,400 ciphered GET/s at about
// 60 us. GET/s depends on the cores free for the clients as much as on the server: on a
// 2-core machine the client threads and the server share them.
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>    // std::min
#include <array>        // std::array
#include <atomic>       // std::atomic
#include <chrono>       // std::chrono
#include <cmath>        // std::sqrt
#include <cstdint>      // std::int64_t, std::uint8_t
#include <cstdio>       // std::printf
#include <cstdlib>      // std::atof, std::exit
#include <filesystem>   // std::filesystem::directory_iterator
#include <fstream>      // std::ifstream
#include <memory>       // std::unique_ptr
#include <optional>     // std::optional
#include <span>         // std::span
#include <sstream>      // std::istringstream
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <thread>       // std::thread
#include <variant>      // std::holds_alternative
#include <vector>       // std::vector

#include "app/dlms_service.hpp"
#include "config/clients_file.hpp"
#include "config/secrets_file.hpp"
#include "cosem/logical_device.hpp"
#include "cosem/meter_access.hpp"
#include "cosem/object_list.hpp"
#include "dlms/client.hpp"
#include "dlms/get.hpp"
#include "dlms/security_suite0.hpp"
#include "dlms/server_connection.hpp"
#include "meter/measurement.hpp"
#include "meter/meter.hpp"
#include "transport/tcp_wrapper_client.hpp"

#include "tcp_floor.hpp"  // bench/, beside this file

namespace {

using namespace gridmeter;
using Clock = std::chrono::steady_clock;

constexpr UtcMicros start_utc_us = 1'767'222'000'000'000;  // 2026-01-01 00:00 CET
constexpr std::int64_t interval_us = 200'000;
constexpr char password[] = "bench-password";
const dlms::CosemAttributeDescriptor energy_import{3, Obis{1, 0, 1, 8, 0, 255}, 2};
constexpr std::uint16_t first_management_sap = 0x60;
constexpr int clients_max = 16;
// Management SAPs: one per client of each phase (the 1-client phase, then the 16), so that no
// client starts again from a counter an earlier phase used.
constexpr int management_clients = 1 + clients_max;
const dlms::AesKey bench_ek{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                            0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
const dlms::AesKey bench_ak{0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                            0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};

// A meter fed an hour of a single-phase load.
class BenchAccess final : public cosem::MeterAccess {
 public:
  BenchAccess() : meter_(Connection::single_phase_2w, start_utc_us) {
    constexpr std::int64_t intervals = 3600 * 5;  // an hour
    for (std::int64_t i = 0; i < intervals; ++i) {
      latest_ =
          measurement(start_utc_us + i * interval_us, 1500.0 + static_cast<double>(i % 600), 120.0);
      meter_.advance(latest_);
    }
  }
  Meter& meter() override { return meter_; }
  [[nodiscard]] const Measurement& latest_measurement() const override { return latest_; }

 private:
  static Measurement measurement(UtcMicros start, double p_w, double q_var) {
    Measurement m;
    m.start_utc_us = start;
    m.duration_us = interval_us;
    m.connection = Connection::single_phase_2w;
    PhaseMeasurement& phase = m.phases[0];
    phase.voltage_v = 230.0;
    phase.active_power_w = p_w;
    phase.reactive_power_var = q_var;
    phase.apparent_power_va = std::sqrt(p_w * p_w + q_var * q_var);
    phase.current_a = phase.apparent_power_va / phase.voltage_v;
    phase.power_factor = p_w / phase.apparent_power_va;
    phase.frequency_hz = 50.0;
    m.frequency_hz = 50.0;
    return m;
  }

  Meter meter_;
  Measurement latest_;
};

double cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The client SAP of bench client `index`.
std::uint16_t client_sap(bool ciphered, int index) {
  return ciphered ? static_cast<std::uint16_t>(first_management_sap + index)
                  : app::reading_client_sap;
}

dlms::ClientOptions client_options(bool ciphered, int index) {
  dlms::ClientOptions options;
  if (!ciphered) {
    options.mechanism = dlms::Mechanism::low;
    options.password.assign(password, password + sizeof password - 1);
    return options;
  }
  options.mechanism = dlms::Mechanism::high_gmac;
  options.ciphering = dlms::ClientCiphering{};
  options.ciphering->ek = bench_ek;
  options.ciphering->ak = bench_ak;
  options.ciphering->client_system_title = {0x42, 0x45, 0x4E, 0,
                                            0,    0,    0,    static_cast<std::uint8_t>(index)};
  return options;
}

app::DlmsServiceOptions service_options(
    transport::TcpServerEngine engine = transport::TcpServerEngine::best) {
  app::DlmsServiceOptions options;
  options.listen = {"127.0.0.1", 0};
  options.engine = engine;
  options.secrets.lls_password = password;
  options.secrets.ek = bench_ek;
  options.secrets.ak = bench_ak;
  options.clients = config::default_clients(true, false);
  for (int i = 0; i < management_clients; ++i) {
    config::ClientConfig management;
    management.sap = client_sap(true, i);
    management.role = "management";
    management.authentication = config::ClientAuthentication::hls_gmac;
    management.security_policy = config::policy_authenticated | config::policy_encrypted;
    management.association = static_cast<std::uint8_t>(10 + i);
    options.clients.clients.push_back(management);
  }
  return options;
}

// The server: DlmsService, whose transport serves on a thread of its own.
class Server {
 public:
  Server(BenchAccess& access, transport::TcpServerEngine engine)
      : service_(access, service_options(engine)) {
    if (Status started = service_.start(); !started) {
      std::fprintf(stderr, "bench_dlms_get: %s\n", started.error().message.c_str());
      std::exit(1);
    }
    port_ = service_.port();
    const std::optional<pthread_t> thread = service_.transport().thread_handle();
    if (!thread || pthread_getcpuclockid(*thread, &cpu_clock_) != 0) {
      std::fprintf(stderr, "bench_dlms_get: no CPU clock for the server's thread\n");
      std::exit(1);
    }
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server() { service_.stop(); }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] double cpu_seconds() const { return ::cpu_seconds(cpu_clock_); }
  [[nodiscard]] std::size_t wakeups() const { return service_.transport().counters().wakeups; }
  [[nodiscard]] transport::TcpServerEngine engine() const { return service_.transport().engine(); }

 private:
  app::DlmsService service_;
  std::uint16_t port_ = 0;
  clockid_t cpu_clock_{};
};

// A thread's CPU time in user space and in the kernel, in clock ticks (/proc/self/task/TID/stat,
// fields 14 and 15), found by the thread's name: what part of the server's CPU is gridmeter's
// own code and what part the system calls.
struct TaskTicks {
  std::int64_t user = 0;
  std::int64_t system = 0;
};
constexpr char server_thread_name[] = "gridmeter-dlms";  // transport/tcp_wrapper_server.cpp

TaskTicks task_ticks(std::string_view name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (!std::getline(comm, line) || line != name) continue;
    std::ifstream stat(task.path() / "stat");
    std::getline(stat, line);
    // After the name in parentheses (which may hold spaces): state is field 3.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    TaskTicks ticks;
    for (int index = 3; fields >> field; ++index) {
      if (index == 14) ticks.user = std::stoll(field);
      if (index == 15) {
        ticks.system = std::stoll(field);
        return ticks;
      }
    }
  }
  return {};
}

struct Phase {
  bool ciphered = false;
  int clients = 0;
  double gets_per_second = 0.0;
  double server_us_per_get = 0.0;
  double clients_us_per_get = 0.0;
  double server_user_share = 0.0;  // of the server's CPU, the part in user space
  double gets_per_wakeup = 0.0;
  std::int64_t errors = 0;
};

// `clients` threads, each one association GETting in a loop; measured over `seconds` after a
// short warm-up.
Phase run_phase(const Server& server, bool ciphered, int clients, int first_client,
                double seconds) {
  std::atomic<std::int64_t> gets{0};
  std::atomic<std::int64_t> errors{0};
  std::atomic<int> ready{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, index = first_client + i] {
      auto link = transport::TcpWrapperClient::connect(
          {"127.0.0.1", server.port()}, client_sap(ciphered, index), 1, std::chrono::seconds(10));
      if (!link) {
        std::fprintf(stderr, "bench_dlms_get: %s\n", link.error().message.c_str());
        std::exit(1);
      }
      dlms::Client client(
          [&link](std::span<const std::uint8_t> request) { return link->exchange(request); },
          client_options(ciphered, index));
      if (Status open = client.associate(); !open) {
        std::fprintf(stderr, "bench_dlms_get: %s\n", open.error().message.c_str());
        std::exit(1);
      }
      ready.fetch_add(1);
      while (!stop.load(std::memory_order_relaxed)) {
        const Result<dlms::GetDataResult> value = client.get(energy_import);
        if (!value || !std::holds_alternative<dlms::Data>(*value)) {
          errors.fetch_add(1, std::memory_order_relaxed);
        }
        gets.fetch_add(1, std::memory_order_relaxed);
      }
      (void)client.release();
    });
  }
  while (ready.load() < clients)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // warm-up

  const auto wall_start = Clock::now();
  const double server_start = server.cpu_seconds();
  const double process_start = process_cpu_seconds();
  const std::int64_t gets_start = gets.load();
  const std::size_t wakeups_start = server.wakeups();
  const TaskTicks ticks_start = task_ticks(server_thread_name);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const std::int64_t gets_end = gets.load();
  const std::size_t wakeups_end = server.wakeups();
  const TaskTicks ticks_end = task_ticks(server_thread_name);
  const double server_end = server.cpu_seconds();
  const double process_end = process_cpu_seconds();
  const auto wall_end = Clock::now();

  stop = true;
  for (auto& thread : threads)
    thread.join();

  Phase phase;
  phase.ciphered = ciphered;
  phase.clients = clients;
  const auto count = static_cast<double>(gets_end - gets_start);
  const double wall = std::chrono::duration<double>(wall_end - wall_start).count();
  const double server_cpu = server_end - server_start;
  phase.gets_per_second = count / wall;
  phase.server_us_per_get = server_cpu / count * 1e6;
  phase.clients_us_per_get = (process_end - process_start - server_cpu) / count * 1e6;
  const auto user = static_cast<double>(ticks_end.user - ticks_start.user);
  const auto system = static_cast<double>(ticks_end.system - ticks_start.system);
  phase.server_user_share = user + system > 0 ? user / (user + system) : 0.0;
  phase.gets_per_wakeup = count / static_cast<double>(wakeups_end - wakeups_start);
  phase.errors = errors.load();
  return phase;
}

// The baseline: the application layer alone, GET APDUs handed straight to a ServerConnection
// on this thread; CPU per GET. Plain: the same request again and again. Ciphered: batches of
// requests protected beforehand, each with the next counter (a repeated one would be a
// replay); only the server's handling is timed.
double baseline_us_per_get(BenchAccess& access, bool ciphered, double seconds) {
  app::DlmsService service(access, service_options());
  if (Status started = service.start(); !started) {
    std::fprintf(stderr, "bench_dlms_get: baseline: %s\n", started.error().message.c_str());
    std::exit(1);
  }
  const std::uint16_t sap = client_sap(ciphered, 0);
  auto connection = service.connect();
  std::vector<std::uint8_t> answer;
  std::vector<std::uint8_t> get_request;
  const dlms::ClientOptions options = client_options(ciphered, 0);
  dlms::Client client(
      [&](std::span<const std::uint8_t> request) -> Result<std::vector<std::uint8_t>> {
        get_request.assign(request.begin(), request.end());
        (void)connection->handle(sap, 1, request, answer);
        return answer;
      },
      options);
  if (Status open = client.associate(); !open) {
    std::fprintf(stderr, "bench_dlms_get: baseline: %s\n", open.error().message.c_str());
    std::exit(1);
  }
  const Result<dlms::GetDataResult> value = client.get(energy_import);
  if (!value || !std::holds_alternative<dlms::Data>(*value)) {
    std::fprintf(stderr, "bench_dlms_get: baseline: the GET is not answered with a value\n");
    std::exit(1);
  }
  if (!ciphered) {
    // get_request now holds the GET; the same request, again and again.
    const double cpu_start = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    std::int64_t count = 0;
    while (Clock::now() < until) {
      for (int i = 0; i < 1000; ++i)
        (void)connection->handle(sap, 1, get_request, answer);
      count += 1000;
    }
    const double cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    return cpu / static_cast<double>(count) * 1e6;
  }
  // Ciphered: a batch of requests, each protected with the next counter, then the batch
  // handed over with only the server's work on the clock; a batch stays in the cache, as one
  // request does in the plain loop.
  dlms::GetRequestNormal plain;
  plain.invoke = dlms::InvokeIdAndPriority::make(1, true, true);
  plain.attribute = energy_import;
  const std::vector<std::uint8_t> inside = plain.encode();
  dlms::Suite0 suite(bench_ek, bench_ak);
  std::uint32_t counter = client.invocation_counter();
  constexpr std::size_t batch = 1000;
  std::vector<std::vector<std::uint8_t>> requests(batch);
  double cpu = 0.0;
  std::size_t count = 0;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) {
    for (std::vector<std::uint8_t>& request : requests) {
      std::vector<std::uint8_t> content;
      (void)suite.protect(dlms::SecurityControl{0x30}, options.ciphering->client_system_title,
                          counter++, inside, content);
      request.clear();
      dlms::encode_service_ciphered(0xC8, content, request);
    }
    const double start = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    for (const std::vector<std::uint8_t>& request : requests)
      (void)connection->handle(sap, 1, request, answer);
    cpu += cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - start;
    count += batch;
  }
  if (answer.empty() || answer[0] != 0xCC) {
    std::fprintf(stderr, "bench_dlms_get: baseline: the last ciphered GET was refused\n");
    std::exit(1);
  }
  return cpu / static_cast<double>(count) * 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 4.0;
  const std::string_view engine_arg = argc > 2 ? argv[2] : "best";
  auto engine = transport::TcpServerEngine::best;
  if (engine_arg == "epoll") {
    engine = transport::TcpServerEngine::epoll;
  } else if (engine_arg == "io_uring") {
    engine = transport::TcpServerEngine::io_uring;
  }
  if (!(seconds > 0.0 && seconds <= 60.0) ||
      (engine == transport::TcpServerEngine::best && engine_arg != "best")) {
    std::fprintf(stderr,
                 "usage: bench_dlms_get [SECONDS_PER_PHASE (default 4)] [best|epoll|io_uring]\n");
    return 2;
  }
  // The floor's frames: the plain GET in a wrapper frame (client wPort 0x20 to wPort 1:
  // Get-Request-Normal of 1-0:1.8.0.255 attribute 2) answered by a Get-Response-Normal of a
  // double-long-unsigned, as the bench's plain clients exchange them.
  const std::array<std::uint8_t, 21> floor_request{0x00, 0x01, 0x00, 0x20, 0x00, 0x01, 0x00,
                                                   0x0D, 0xC0, 0x01, 0xC1, 0x00, 0x03, 0x01,
                                                   0x00, 0x01, 0x08, 0x00, 0xFF, 0x02, 0x00};
  const std::array<std::uint8_t, 17> floor_answer{0x00, 0x01, 0x00, 0x01, 0x00, 0x20,
                                                  0x00, 0x09, 0xC4, 0x01, 0xC1, 0x00,
                                                  0x06, 0x00, 0x00, 0x07, 0x07};

  BenchAccess access;
  Server server(access, engine);
  std::printf("server engine: %s\n", std::string(engine_name(server.engine())).c_str());
  for (const bool ciphered : {false, true}) {
    const double baseline = baseline_us_per_get(access, ciphered, std::min(seconds, 2.0));
    const char* kind = ciphered ? "ciphered (HLS-GMAC, AES-GCM auth+enc)" : "plain (LLS)";
    std::printf("%s baseline (application layer alone, no TCP): %.2f us/GET\n", kind, baseline);
    for (const int clients : {1, clients_max}) {
      // The floor just before the phase, with as many clients, so that both see the same
      // machine (on a shared machine the load changes between phases).
      const tcp_floor::Measured floor_phase =
          tcp_floor::measure(clients, std::min(seconds, 2.0), floor_request, floor_answer);
      const double floor = floor_phase.server_us_per_request;
      std::printf(
          "TCP floor (bare epoll loop: recv + send per request, no DLMS) clients %d: %.0f "
          "requests/s, server CPU %.2f us/request, %.2f requests per wakeup\n",
          clients, floor_phase.requests_per_second, floor, floor_phase.requests_per_wakeup);
      const Phase phase = run_phase(server, ciphered, clients, clients == 1 ? 0 : 1, seconds);
      std::printf(
          "%s clients %d: %.0f GET/s, server CPU %.2f us/GET (%.0f%% in user space; %.1fx the "
          "baseline, %.2f us over the TCP floor), %.2f GETs per wakeup, clients CPU %.2f "
          "us/GET%s\n",
          kind, phase.clients, phase.gets_per_second, phase.server_us_per_get,
          phase.server_user_share * 100.0, phase.server_us_per_get / baseline,
          phase.server_us_per_get - floor, phase.gets_per_wakeup, phase.clients_us_per_get,
          phase.errors == 0 ? "" : " (SOME GETS FAILED)");
      std::fflush(stdout);
    }
  }
  std::printf(
      "targets: server CPU < 10 us per plain GET, < 15 us per ciphered GET, >= 50000 GET/s across "
      "concurrent clients (reference: a widely used open-source C server, ~13000 GET/s to one "
      "client at ~45 us CPU/GET; ~9400 ciphered GET/s at ~60 us)\n");
  return 0;
}
