#include "transport/tcp_wrapper_client.hpp"

#include <gtest/gtest.h>
#include <algorithm>  // std::copy

#include <fmt/format.h>

#include <cstdint>  // std::uint8_t, std::uint16_t
#include <memory>   // std::make_unique
#include <string>   // std::string
#include <utility>  // std::move
#include <vector>   // std::vector

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "transport/tcp_test_support.hpp"
#include "transport/tcp_wrapper_server.hpp"
#include "transport/wrapper_frame.hpp"

namespace gridmeter::transport {
namespace {

using test::Bytes;
using test::ServerThread;
using namespace std::chrono_literals;

constexpr std::uint16_t client_wport = 0x10;
// Server wPorts, each a behaviour of the test session.
constexpr std::uint16_t answering_wport = 0x01;  // answers 0xAA, then the request's APDU
constexpr std::uint16_t crowded_wport = 0x02;    // frames for others first, then the answer
constexpr std::uint16_t silent_wport = 0x55;     // never answers
constexpr std::uint16_t closing_wport = 0x66;    // closes the connection
constexpr std::uint16_t garbling_wport = 0x44;   // answers with a broken wrapper header

Bytes answer_to(const Bytes& request) {
  Bytes answer(request.size() + 1);
  answer[0] = 0xAA;
  std::copy(request.begin(), request.end(), answer.begin() + 1);
  return answer;
}

class AnsweringSession final : public WrapperSession {
 public:
  Verdict on_frame(const WrapperFrameView& frame, std::vector<std::uint8_t>& out) override {
    const std::uint16_t client = frame.header.source_wport;
    const std::uint16_t server = frame.header.destination_wport;
    const Bytes request(frame.apdu.begin(), frame.apdu.end());
    switch (server) {
      case silent_wport:
        return Verdict::keep;
      case closing_wport:
        return Verdict::close;
      case garbling_wport:
        out.insert(out.end(), {0x00, 0x02, 0x00, 0x44, 0x00, 0x10, 0x00, 0x01, 0xAA});
        return Verdict::keep;
      case crowded_wport:
        // A push to another client process, and a frame from another logical device to this
        // client: neither answers the request.
        EXPECT_TRUE(encode_wrapper(server, 0x20, Bytes{0x0F, 0x01}, out));
        EXPECT_TRUE(encode_wrapper(0x03, client, Bytes{0x0F, 0x02}, out));
        break;
      default:
        break;
    }
    EXPECT_TRUE(encode_wrapper(server, client, answer_to(request), out));
    return Verdict::keep;
  }
};

class TcpWrapperClientTest : public testing::Test {
 protected:
  TcpWrapperClientTest()
      : server_(TcpServerOptions{}, [] { return std::make_unique<AnsweringSession>(); }) {}

  [[nodiscard]] std::string peer() const { return fmt::format("127.0.0.1:{}", server_.port()); }

  TcpWrapperClient connect(std::uint16_t server_wport,
                           std::chrono::milliseconds timeout = test::patience) {
    auto link = TcpWrapperClient::connect({"127.0.0.1", server_.port()}, client_wport, server_wport,
                                          timeout);
    EXPECT_TRUE(link) << (link ? "" : link.error().message);
    return std::move(*link);
  }

  ServerThread server_;
};

// GET-Request-Normal of the Clock's time.
const Bytes clock_get{0xC0, 0x01, 0xC1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00};

// The error of `result`, or a failure of the test when it holds a value.
std::string error_of(const Result<std::vector<std::uint8_t>>& result) {
  if (result) {
    ADD_FAILURE() << "answered with " << result->size() << " bytes";
    return {};
  }
  return result.error().message;
}

TEST_F(TcpWrapperClientTest, ExchangeReturnsTheAnswer) {
  TcpWrapperClient link = connect(answering_wport);
  auto answer = link.exchange(clock_get);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(*answer, answer_to(clock_get));
  // The next exchange on the same connection gets its own answer.
  auto second = link.exchange(Bytes{0x62, 0x00});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, (Bytes{0xAA, 0x62, 0x00}));
  EXPECT_EQ(server_.counters().frames, 2U);
}

TEST_F(TcpWrapperClientTest, LongAnswerArrivingInManyReads) {
  TcpWrapperClient link = connect(answering_wport);
  Bytes request(60'000);
  for (std::size_t i = 0; i < request.size(); ++i)
    request[i] = static_cast<std::uint8_t>(i * 7);
  auto answer = link.exchange(request);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(*answer, answer_to(request));
}

TEST_F(TcpWrapperClientTest, FramesForOtherWportsAreSkipped) {
  TcpWrapperClient link = connect(crowded_wport);
  for (int i = 0; i < 3; ++i) {
    auto answer = link.exchange(clock_get);
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(*answer, answer_to(clock_get));
  }
}

TEST_F(TcpWrapperClientTest, SendWaitsForNothing) {
  TcpWrapperClient link = connect(silent_wport);
  EXPECT_TRUE(link.send(clock_get));
  EXPECT_TRUE(ServerThread::eventually([&] { return server_.counters().frames == 1; }));
}

TEST_F(TcpWrapperClientTest, ServerThatNeverAnswersGivesTheTimeout) {
  TcpWrapperClient link = connect(silent_wport, 200ms);
  EXPECT_EQ(error_of(link.exchange(clock_get)), peer() + " did not answer within 200 ms");
  // The connection is given up after a timeout.
  EXPECT_EQ(error_of(link.exchange(clock_get)), "the connection is closed");
}

TEST_F(TcpWrapperClientTest, ServerThatClosesGivesClosedTheConnection) {
  TcpWrapperClient link = connect(closing_wport);
  EXPECT_EQ(error_of(link.exchange(clock_get)), peer() + " closed the connection");
  EXPECT_EQ(error_of(link.exchange(clock_get)), "the connection is closed");
}

TEST_F(TcpWrapperClientTest, BrokenFramingFromTheServerIsAnError) {
  TcpWrapperClient link = connect(garbling_wport);
  EXPECT_EQ(error_of(link.exchange(clock_get)),
            peer() + ": wrapper: version 0x0002 is not 0x0001 (not a DLMS/COSEM wrapper frame)");
  EXPECT_EQ(error_of(link.exchange(clock_get)), "the connection is closed");
}

TEST_F(TcpWrapperClientTest, ClosedClientRefusesToExchange) {
  TcpWrapperClient link = connect(answering_wport);
  link.close();
  EXPECT_EQ(error_of(link.exchange(clock_get)), "the connection is closed");
  EXPECT_FALSE(link.send(clock_get));
}

TEST_F(TcpWrapperClientTest, MovedClientKeepsTheConnection) {
  TcpWrapperClient first = connect(answering_wport);
  TcpWrapperClient moved = std::move(first);
  auto answer = moved.exchange(clock_get);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(*answer, answer_to(clock_get));
}

TEST(TcpWrapperClient, ConnectionRefusedSaysCannotConnect) {
  // A port nothing listens on: bound for a moment, then released.
  asio::io_context io;
  asio::ip::tcp::acceptor probe(io, {asio::ip::make_address_v4("127.0.0.1"), 0});
  const std::uint16_t port = probe.local_endpoint().port();
  probe.close();
  auto link = TcpWrapperClient::connect({"127.0.0.1", port}, client_wport, 0x01, 5s);
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().message,
            fmt::format("cannot connect to 127.0.0.1:{}: Connection refused", port));
}

}  // namespace
}  // namespace gridmeter::transport
