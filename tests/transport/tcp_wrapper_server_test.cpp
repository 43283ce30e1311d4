#include "transport/tcp_wrapper_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>  // std::any_of
#include <cerrno>     // errno
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint8_t, std::uint16_t
#include <memory>     // std::make_unique, std::unique_ptr
#include <mutex>      // std::mutex, std::lock_guard
#include <string>     // std::string
#include <thread>     // std::this_thread
#include <vector>     // std::vector

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include "transport/tcp_test_support.hpp"
#include "transport/wrapper_frame.hpp"

namespace gridmeter::transport {
namespace {

using test::Bytes;
using test::frame_of;
using test::joined;
using test::RawClient;
using test::Received;
using test::ServerThread;
using testing::HasSubstr;
using namespace std::chrono_literals;

constexpr std::uint16_t client_wport = 0x10;
constexpr std::uint16_t device_wport = 0x01;
// Destination wPorts the test session treats specially; every other frame is echoed.
constexpr std::uint16_t close_wport = 0x66;   // Verdict::close, no answer
constexpr std::uint16_t silent_wport = 0x55;  // no answer, keep
constexpr std::uint16_t flood_wport = 0x77;   // answers with flood_frames frames of 65535 bytes
constexpr std::size_t flood_frames = 256;     // 16 MiB: more than any socket buffers hold

// Echoes each APDU back with the wPorts swapped.
class EchoSession final : public WrapperSession {
 public:
  Verdict on_frame(const WrapperFrameView& frame, std::vector<std::uint8_t>& out) override {
    const std::uint16_t source = frame.header.source_wport;
    const std::uint16_t destination = frame.header.destination_wport;
    if (destination == close_wport) return Verdict::close;
    if (destination == silent_wport) return Verdict::keep;
    if (destination == flood_wport) {
      const Bytes big(wrapper_apdu_size_max, 0xA5);
      for (std::size_t i = 0; i < flood_frames; ++i)
        EXPECT_TRUE(encode_wrapper(destination, source, big, out));
      return Verdict::keep;
    }
    EXPECT_TRUE(encode_wrapper(destination, source, frame.apdu, out));
    return Verdict::keep;
  }
};

// The frame the echo session answers `frame` with.
Bytes echo_of(std::uint16_t source, std::uint16_t destination, const Bytes& apdu) {
  return frame_of(destination, source, apdu);
}

// GET-Request-Normal of the Clock's time, and a few other APDUs of other lengths.
const Bytes clock_get{0xC0, 0x01, 0xC1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00};
const Bytes short_apdu{0xC0};
const Bytes empty_apdu{};

// A server with the echo session, and the lines it logs (read them with logged()).
// Whether this kernel lets the server use io_uring (a container may forbid it; an old kernel
// lacks what the engine needs).
bool io_uring_available() {
  static const bool available = [] {
    TcpWrapperServer probe(
        TcpServerOptions{
            .address = "127.0.0.1", .port = 0, .engine = TcpServerEngine::io_uring, .log = {}},
        [] { return std::unique_ptr<WrapperSession>(); });
    const Status started = probe.start();
    probe.stop();
    return static_cast<bool>(started);
  }();
  return available;
}

// Every test runs with each engine.
class TcpWrapperServerTest : public testing::TestWithParam<TcpServerEngine> {
 protected:
  void SetUp() override {
    if (GetParam() == TcpServerEngine::io_uring && !io_uring_available()) {
      GTEST_SKIP() << "io_uring is not available here";
    }
  }
  // Whatever the test did, the server stops cleanly: every request it had pending completed, so
  // nothing was left to the kernel.
  void TearDown() override {
    if (!server_) return;
    server_->stop();
    for (const std::string& line : logged())
      EXPECT_THAT(line, testing::Not(HasSubstr("still pending")));
  }
  void serve(TcpServerOptions options = {}) {
    options.engine = GetParam();
    options.log = [this](std::string_view line) {
      const std::lock_guard hold(log_lock_);
      log_.emplace_back(line);
    };
    server_ = std::make_unique<ServerThread>(std::move(options),
                                             [] { return std::make_unique<EchoSession>(); });
  }
  ServerThread& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }

  std::vector<std::string> logged() {
    const std::lock_guard hold(log_lock_);
    return log_;
  }
  // Whether a line holding `text` is logged, within `patience`.
  bool eventually_logged(const std::string& text) {
    return ServerThread::eventually([&] {
      const std::vector<std::string> lines = logged();
      return std::any_of(lines.begin(), lines.end(),
                         [&](const std::string& line) { return line.find(text) != line.npos; });
    });
  }
  static std::string closed_line(const RawClient& client, const std::string& why) {
    return fmt::format("DLMS connection from 127.0.0.1:{} closed: {}", client.local_port(), why);
  }

  // Sends `request` and expects exactly its echo back.
  static void expect_echo(RawClient& client, const Bytes& apdu,
                          std::uint16_t source = client_wport) {
    client.write(frame_of(source, device_wport, apdu));
    const Bytes expected = echo_of(source, device_wport, apdu);
    const Received received = client.read(expected.size());
    EXPECT_EQ(received.bytes, expected);
    EXPECT_FALSE(received.closed);
  }

 private:
  std::mutex log_lock_;  // the server logs on its own thread
  std::vector<std::string> log_;
  std::unique_ptr<ServerThread> server_;
};

TEST_P(TcpWrapperServerTest, AnswersOneFrame) {
  serve();
  RawClient client(port());
  expect_echo(client, clock_get);
  EXPECT_EQ(server().counters().frames, 1U);
  EXPECT_EQ(server().counters().accepted, 1U);
  EXPECT_EQ(server().connection_count(), 1U);
}

TEST_P(TcpWrapperServerTest, AnswersAFrameSplitAtEveryByteBoundary) {
  serve();
  RawClient client(port());
  const Bytes frame = frame_of(client_wport, device_wport, clock_get);
  const Bytes expected = echo_of(client_wport, device_wport, clock_get);
  for (std::size_t split = 1; split < frame.size(); ++split) {
    SCOPED_TRACE(split);
    client.write(Bytes(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(split)));
    // A pause so that the two parts usually arrive in two reads; correctness does not
    // depend on it.
    std::this_thread::sleep_for(2ms);
    client.write(Bytes(frame.begin() + static_cast<std::ptrdiff_t>(split), frame.end()));
    const Received received = client.read(expected.size());
    ASSERT_EQ(received.bytes, expected);
  }
  EXPECT_EQ(server().counters().frames, frame.size() - 1);
  EXPECT_EQ(server().counters().framing_errors, 0U);
}

TEST_P(TcpWrapperServerTest, AnswersAFrameSentByteByByte) {
  serve();
  RawClient client(port());
  const Bytes frame = frame_of(client_wport, device_wport, clock_get);
  for (const std::uint8_t byte : frame) {
    client.write(Bytes{byte});
    std::this_thread::sleep_for(1ms);
  }
  const Bytes expected = echo_of(client_wport, device_wport, clock_get);
  EXPECT_EQ(client.read(expected.size()).bytes, expected);
}

TEST_P(TcpWrapperServerTest, AnswersSeveralFramesInOneWriteInOrder) {
  serve();
  RawClient client(port());
  client.write(joined({frame_of(0x10, 0x01, clock_get), frame_of(0x20, 0x01, short_apdu),
                       frame_of(0x10, 0x02, empty_apdu), frame_of(0x30, 0x01, clock_get)}));
  const Bytes expected = joined({echo_of(0x10, 0x01, clock_get), echo_of(0x20, 0x01, short_apdu),
                                 echo_of(0x10, 0x02, empty_apdu), echo_of(0x30, 0x01, clock_get)});
  const Received received = client.read(expected.size());
  EXPECT_EQ(received.bytes, expected);
  EXPECT_EQ(server().counters().frames, 4U);
}

TEST_P(TcpWrapperServerTest, FramesSplitAcrossWritesAtEveryBoundaryOfAStream) {
  serve();
  RawClient client(port());
  const Bytes stream = joined({frame_of(0x10, 0x01, clock_get), frame_of(0x10, 0x01, empty_apdu),
                               frame_of(0x10, 0x01, short_apdu)});
  const Bytes expected = joined({echo_of(0x10, 0x01, clock_get), echo_of(0x10, 0x01, empty_apdu),
                                 echo_of(0x10, 0x01, short_apdu)});
  for (std::size_t split = 1; split < stream.size(); ++split) {
    SCOPED_TRACE(split);
    client.write(Bytes(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(split)));
    std::this_thread::sleep_for(1ms);
    client.write(Bytes(stream.begin() + static_cast<std::ptrdiff_t>(split), stream.end()));
    ASSERT_EQ(client.read(expected.size()).bytes, expected);
  }
}

TEST_P(TcpWrapperServerTest, TwentySimultaneousConnectionsEachGetTheirOwnAnswers) {
  serve();
  constexpr std::size_t count = 20;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (std::size_t i = 0; i < count; ++i)
    clients.push_back(std::make_unique<RawClient>(port()));
  // Every connection is open before any is answered; each asks something of its own.
  auto apdu_of = [](std::size_t i) { return Bytes(i + 1, static_cast<std::uint8_t>(0xA0 + i)); };
  for (std::size_t i = 0; i < count; ++i) {
    clients[i]->write(joined({frame_of(static_cast<std::uint16_t>(0x10 + i), 0x01, apdu_of(i)),
                              frame_of(0x10, 0x01, Bytes{static_cast<std::uint8_t>(i)})}));
  }
  for (std::size_t i = 0; i < count; ++i) {
    SCOPED_TRACE(i);
    const Bytes expected = joined({echo_of(static_cast<std::uint16_t>(0x10 + i), 0x01, apdu_of(i)),
                                   echo_of(0x10, 0x01, Bytes{static_cast<std::uint8_t>(i)})});
    const Received received = clients[i]->read(expected.size());
    EXPECT_EQ(received.bytes, expected);
  }
  EXPECT_EQ(server().counters().accepted, count);
  EXPECT_EQ(server().counters().frames, 2 * count);
  EXPECT_EQ(server().connection_count(), count);
}

TEST_P(TcpWrapperServerTest, ConnectionBeyondTheMaximumIsClosedAtOnce) {
  // The long inactivity timeout makes sure a close can only be the refusal.
  serve({.connections_max = 2, .inactivity_timeout = std::chrono::minutes(10), .log = {}});
  RawClient first(port());
  RawClient second(port());
  expect_echo(first, short_apdu);
  expect_echo(second, short_apdu);

  RawClient third(port());
  const Received refused = third.read_until_closed();
  EXPECT_TRUE(refused.closed);
  EXPECT_TRUE(refused.bytes.empty());
  EXPECT_EQ(server().counters().refused, 1U);
  EXPECT_EQ(server().counters().accepted, 2U);
  EXPECT_TRUE(eventually_logged("DLMS connection refused"));

  // The two held connections are untouched.
  expect_echo(first, clock_get);
  expect_echo(second, clock_get);

  // A closed connection frees its place.
  first.close();
  ASSERT_TRUE(ServerThread::eventually([&] { return server().connection_count() == 1; }));
  RawClient fourth(port());
  expect_echo(fourth, clock_get);
  EXPECT_EQ(server().counters().accepted, 3U);
  EXPECT_EQ(server().counters().refused, 1U);
}

TEST_P(TcpWrapperServerTest, InactivityTimeoutClosesSilentAndHalfOpenConnections) {
  serve({.inactivity_timeout = 200ms, .log = {}});
  RawClient silent(port());
  RawClient half_open(port());
  half_open.write(Bytes{0x00, 0x01, 0x00, 0x10});  // half a header, then nothing

  const Received silent_end = silent.read_until_closed();
  const Received half_open_end = half_open.read_until_closed();
  EXPECT_TRUE(silent_end.closed);
  EXPECT_TRUE(silent_end.bytes.empty());
  EXPECT_TRUE(half_open_end.closed);
  EXPECT_TRUE(half_open_end.bytes.empty());

  EXPECT_EQ(server().counters().timed_out, 2U);
  EXPECT_EQ(server().counters().frames, 0U);
  EXPECT_EQ(server().connection_count(), 0U);
  EXPECT_TRUE(eventually_logged(closed_line(silent, "inactivity timeout")));
  EXPECT_TRUE(eventually_logged(closed_line(half_open, "inactivity timeout")));
}

TEST_P(TcpWrapperServerTest, InactivityTimeoutCountsFromTheLastFrame) {
  serve({.inactivity_timeout = 200ms, .log = {}});
  RawClient client(port());
  expect_echo(client, clock_get);
  // Answered, then silent: closed, with the answer delivered before.
  const Received end = client.read_until_closed();
  EXPECT_TRUE(end.closed);
  EXPECT_TRUE(end.bytes.empty());
  EXPECT_EQ(server().counters().timed_out, 1U);
}

TEST_P(TcpWrapperServerTest, WrongWrapperVersionClosesTheConnection) {
  serve();
  RawClient client(port());
  client.write(Bytes{0x00, 0x02, 0x00, 0x10, 0x00, 0x01, 0x00, 0x01, 0xC0});
  const Received end = client.read_until_closed();
  EXPECT_TRUE(end.closed);
  EXPECT_TRUE(end.bytes.empty());
  EXPECT_EQ(server().counters().framing_errors, 1U);
  EXPECT_EQ(server().counters().frames, 0U);
  EXPECT_EQ(server().counters().timed_out, 0U);
  EXPECT_TRUE(eventually_logged(closed_line(
      client, "wrapper: version 0x0002 is not 0x0001 (not a DLMS/COSEM wrapper frame)")));
}

TEST_P(TcpWrapperServerTest, LengthOverTheMaximumClosesTheConnection) {
  serve({.apdu_size_max = 64, .log = {}});
  RawClient client(port());
  // The largest APDU accepted is answered.
  expect_echo(client, Bytes(64, 0x42));
  // A header announcing one byte more closes the connection before any APDU byte is sent.
  client.write(Bytes{0x00, 0x01, 0x00, 0x10, 0x00, 0x01, 0x00, 65});
  const Received end = client.read_until_closed();
  EXPECT_TRUE(end.closed);
  EXPECT_TRUE(end.bytes.empty());
  EXPECT_EQ(server().counters().framing_errors, 1U);
  EXPECT_EQ(server().counters().frames, 1U);
  EXPECT_TRUE(eventually_logged(closed_line(
      client, "wrapper: frame announces an APDU of 65 bytes, over the maximum of 64 accepted")));
}

TEST_P(TcpWrapperServerTest, FramesBeforeABrokenHeaderAreAnsweredBeforeTheClose) {
  serve();
  RawClient client(port());
  client.write(joined({frame_of(0x10, 0x01, clock_get), frame_of(0x10, 0x01, short_apdu),
                       Bytes{0x12, 0x34, 0x00, 0x10, 0x00, 0x01, 0x00, 0x01, 0xC0}}));
  const Received end = client.read_until_closed();
  EXPECT_TRUE(end.closed);
  EXPECT_EQ(end.bytes, joined({echo_of(0x10, 0x01, clock_get), echo_of(0x10, 0x01, short_apdu)}));
  EXPECT_EQ(server().counters().framing_errors, 1U);
  EXPECT_EQ(server().counters().frames, 2U);
}

TEST_P(TcpWrapperServerTest, SessionCloseWritesTheAnswersDueFirst) {
  serve();
  RawClient client(port());
  client.write(
      joined({frame_of(0x10, 0x01, clock_get), frame_of(0x10, 0x01, short_apdu),
              frame_of(0x10, close_wport, short_apdu), frame_of(0x10, 0x01, Bytes{0x99})}));
  const Received end = client.read_until_closed();
  EXPECT_TRUE(end.closed);
  // The two frames before the one that closes are answered; the one after it is not.
  EXPECT_EQ(end.bytes, joined({echo_of(0x10, 0x01, clock_get), echo_of(0x10, 0x01, short_apdu)}));
  EXPECT_EQ(server().counters().frames, 3U);
  EXPECT_EQ(server().counters().framing_errors, 0U);
  EXPECT_TRUE(
      eventually_logged(closed_line(client, "a frame to a wPort the server does not serve")));
}

TEST_P(TcpWrapperServerTest, SessionCloseWithNothingDueClosesAtOnce) {
  serve();
  RawClient client(port());
  expect_echo(client, clock_get);
  client.write(frame_of(0x10, close_wport, short_apdu));
  const Received end = client.read_until_closed();
  EXPECT_TRUE(end.closed);
  EXPECT_TRUE(end.bytes.empty());
}

TEST_P(TcpWrapperServerTest, FrameWithoutAnAnswerKeepsTheConnection) {
  serve();
  RawClient client(port());
  client.write(frame_of(0x10, silent_wport, clock_get));
  expect_echo(client, short_apdu);
  EXPECT_EQ(server().counters().frames, 2U);
}

TEST_P(TcpWrapperServerTest, PeerThatNeverReadsBlocksNoOneAndTimesOut) {
  serve({.inactivity_timeout = 1s, .log = {}});
  // A small receive buffer, and 16 MiB of answers it never reads: the server's write stalls.
  RawClient stuck(port(), 4096);
  stuck.write(frame_of(0x10, flood_wport, short_apdu));
  std::this_thread::sleep_for(50ms);

  // Meanwhile another connection is served.
  RawClient other(port());
  expect_echo(other, clock_get);
  expect_echo(other, short_apdu);

  // The stalled connection is closed for inactivity, and the other one is not blocked by it.
  EXPECT_TRUE(eventually_logged(closed_line(stuck, "inactivity timeout")));
  EXPECT_GE(server().counters().timed_out, 1U);
  // What reached the stuck peer is well short of all that was due: the write was cut off.
  const Received end = stuck.read_until_closed(std::chrono::seconds(20));
  EXPECT_TRUE(end.closed);
  EXPECT_LT(end.bytes.size(), flood_frames * (wrapper_header_size + wrapper_apdu_size_max));
}

TEST_P(TcpWrapperServerTest, PeerCloseEndsTheConnection) {
  serve();
  RawClient client(port());
  expect_echo(client, clock_get);
  const std::string line = closed_line(client, "closed by the peer");
  client.close();
  EXPECT_TRUE(ServerThread::eventually([&] { return server().connection_count() == 0; }));
  EXPECT_TRUE(eventually_logged(line));
}

TEST_P(TcpWrapperServerTest, RequestAndFinTogetherAreAnsweredThenClosed) {
  serve();
  RawClient client(port());
  // The request and the FIN reach the server together: it reads the request, answers it, and
  // learns of the FIN on its next wait (level-triggered readiness), not at the timeout.
  client.write(frame_of(0x10, 0x01, clock_get));
  client.shutdown_send();
  const Received end = client.read_until_closed();
  EXPECT_TRUE(end.closed);
  EXPECT_EQ(end.bytes, echo_of(0x10, 0x01, clock_get));
  EXPECT_TRUE(eventually_logged(closed_line(client, "closed by the peer")));
  EXPECT_EQ(server().counters().timed_out, 0U);
}

// Whether the sanitizers are built in: their runtime needs descriptors of its own (UBSan checks
// each virtual call's object through a pipe), so it reports false errors when none is left.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

TEST_P(TcpWrapperServerTest, OutOfDescriptorsTheListenerRestsThenAcceptsAgain) {
  if (sanitized) GTEST_SKIP() << "the sanitizers' runtime needs descriptors of its own";
  serve({.inactivity_timeout = 200ms, .log = {}});  // the tick: every 50 ms
  // The client's socket exists before the process runs out of descriptors; connecting it takes
  // none.
  asio::io_context io;
  asio::ip::tcp::socket client(io);
  client.open(asio::ip::tcp::v4());
  client.set_option(asio::ip::tcp::no_delay(true));
  timeval patience_left{.tv_sec = 5, .tv_usec = 0};
  ASSERT_EQ(setsockopt(client.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &patience_left,
                       sizeof patience_left),
            0);
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  // The lowest free descriptor becomes the limit: no descriptor is left (ctest runs each test in
  // a process of its own, so nothing else is starved).
  const int lowest_free = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(lowest_free, 0);
  ::close(lowest_free);
  rlimit none = saved;
  none.rlim_cur = static_cast<rlim_t>(lowest_free);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &none), 0);
  // Nothing in this window may need a descriptor: a plain connect, a log line, a wait.
  sockaddr_in server_address{};
  server_address.sin_family = AF_INET;
  server_address.sin_port = htons(port());
  server_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int connected =
      ::connect(client.native_handle(), reinterpret_cast<const sockaddr*>(&server_address),
                sizeof server_address);
  const bool failed = eventually_logged("DLMS accept failed: Too many open files");
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_EQ(connected, 0);
  EXPECT_TRUE(failed);
  EXPECT_EQ(server().counters().accepted, 0U);

  // Descriptors again: within a rest and a tick the waiting connection is accepted and served.
  const Bytes request = frame_of(0x10, 0x01, clock_get);
  asio::write(client, asio::buffer(request));
  // A receive with a timeout is not restarted after a signal: EINTR and the timeout's EAGAIN
  // read again, until the deadline.
  Bytes answer(request.size());
  std::size_t have = 0;
  const auto deadline = std::chrono::steady_clock::now() + test::patience;
  while (have < answer.size() && std::chrono::steady_clock::now() < deadline) {
    const ssize_t got =
        ::recv(client.native_handle(), answer.data() + have, answer.size() - have, 0);
    if (got > 0) {
      have += static_cast<std::size_t>(got);
    } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
      break;
    }
  }
  EXPECT_EQ(answer, echo_of(0x10, 0x01, clock_get));
  EXPECT_EQ(server().counters().accepted, 1U);
}

TEST_P(TcpWrapperServerTest, StopClosesEveryConnection) {
  serve();
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<RawClient>(port()));
    expect_echo(*clients.back(), clock_get);
  }
  // One more in the middle of a frame.
  clients.push_back(std::make_unique<RawClient>(port()));
  clients.back()->write(Bytes{0x00, 0x01, 0x00});
  ASSERT_TRUE(ServerThread::eventually([&] { return server().connection_count() == 4; }));

  server().stop();
  EXPECT_EQ(server().connection_count(), 0U);
  for (auto& client : clients) {
    const Received end = client->read_until_closed();
    EXPECT_TRUE(end.closed);
    EXPECT_TRUE(end.bytes.empty());
  }
  EXPECT_TRUE(eventually_logged("closed: the server stops"));

  // Nothing listens any more.
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  asio::error_code error;
  socket.connect({asio::ip::make_address_v4("127.0.0.1"), port()}, error);
  EXPECT_EQ(error, asio::error::connection_refused);
}

INSTANTIATE_TEST_SUITE_P(Engines, TcpWrapperServerTest,
                         testing::Values(TcpServerEngine::epoll, TcpServerEngine::io_uring),
                         [](const testing::TestParamInfo<TcpServerEngine>& engine) {
                           return std::string(engine_name(engine.param));
                         });

TEST(TcpWrapperServer, TheBestEngineIsIoUringWhereAvailableElseEpoll) {
  TcpWrapperServer server(TcpServerOptions{.address = "127.0.0.1", .port = 0, .log = {}},
                          [] { return std::make_unique<EchoSession>(); });
  ASSERT_TRUE(server.start());
  EXPECT_EQ(server.engine(),
            io_uring_available() ? TcpServerEngine::io_uring : TcpServerEngine::epoll);
  RawClient client(server.local_port());
  client.write(frame_of(0x10, 0x01, clock_get));
  EXPECT_EQ(client.read(21).bytes, echo_of(0x10, 0x01, clock_get));
  server.stop();
}

TEST(TcpWrapperServer, StartOnAPortInUseNamesTheAddress) {
  ServerThread first({}, [] { return std::make_unique<EchoSession>(); });
  TcpWrapperServer second(TcpServerOptions{.address = "127.0.0.1", .port = first.port(), .log = {}},
                          [] { return std::make_unique<EchoSession>(); });
  const Status started = second.start();
  ASSERT_FALSE(started);
  EXPECT_THAT(started.error().message,
              HasSubstr(fmt::format("cannot listen on 127.0.0.1:{}: ", first.port())));
  EXPECT_THAT(started.error().message, HasSubstr("(bind)"));
  // The first server is unaffected.
  RawClient client(first.port());
  client.write(frame_of(0x10, 0x01, clock_get));
  EXPECT_EQ(client.read(21).bytes, echo_of(0x10, 0x01, clock_get));
}

TEST(TcpWrapperServer, StartOnANameThatIsNoAddressSaysSo) {
  TcpWrapperServer server(TcpServerOptions{.address = "meter.example", .port = 0, .log = {}},
                          [] { return std::make_unique<EchoSession>(); });
  const Status started = server.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().message, "listen address \"meter.example\" is not an IP address");
}

TEST(TcpWrapperServer, ServeBeforeListenSaysSoAndListenAloneServesNothing) {
  TcpWrapperServer server(TcpServerOptions{.address = "127.0.0.1", .port = 0, .log = {}},
                          [] { return std::make_unique<EchoSession>(); });
  const Status early = server.serve();
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().message, "the DLMS server serves only after it listens");
  EXPECT_FALSE(server.thread_handle().has_value());

  ASSERT_TRUE(server.listen());
  // Listening, not serving: a connection waits in the backlog, unanswered.
  RawClient client(server.local_port());
  client.write(frame_of(0x10, 0x01, clock_get));
  EXPECT_TRUE(client.read(1, 100ms).bytes.empty());
  ASSERT_TRUE(server.serve());
  EXPECT_TRUE(server.thread_handle().has_value());
  // Served from then on, the request that waited included.
  EXPECT_EQ(client.read(21).bytes, echo_of(0x10, 0x01, clock_get));
  EXPECT_EQ(server.counters().accepted, 1U);
  server.stop();
  EXPECT_FALSE(server.thread_handle().has_value());
}

TEST(TcpWrapperServer, ServesOnIpv6Loopback) {
  TcpWrapperServer server(TcpServerOptions{.address = "::1", .port = 0, .log = {}},
                          [] { return std::make_unique<EchoSession>(); });
  const Status started = server.start();
  if (!started && started.error().message.find("(bind)") != std::string::npos) {
    GTEST_SKIP() << "no IPv6 loopback here: " << started.error().message;
  }
  ASSERT_TRUE(started) << started.error().message;
  RawClient client(server.local_port(), std::nullopt, "::1");
  client.write(frame_of(0x10, 0x01, clock_get));
  EXPECT_EQ(client.read(21).bytes, echo_of(0x10, 0x01, clock_get));
  server.stop();
}

TEST(TcpWrapperServer, LocalPortOfPortZeroIsTheOneChosen) {
  TcpWrapperServer server(TcpServerOptions{.address = "127.0.0.1", .port = 0, .log = {}},
                          [] { return std::make_unique<EchoSession>(); });
  ASSERT_TRUE(server.start());
  EXPECT_NE(server.local_port(), 0);
  server.stop();
}

}  // namespace
}  // namespace gridmeter::transport
