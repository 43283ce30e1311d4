#include "transport/wrapper_frame.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "transport/wrapper_port.hpp"

namespace gridmeter::transport {
namespace {

using Bytes = std::vector<std::uint8_t>;

// GET-Request-Normal, invoke-id 0xC1, of the Clock (class 8, 0-0:1.0.0.255) attribute 2 (time).
const Bytes clock_get{0xC0, 0x01, 0xC1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00};
// The same request from the public client (wPort 0x10) to the management logical device.
const Bytes clock_get_frame{0x00, 0x01, 0x00, 0x10, 0x00, 0x01, 0x00, 0x0D, 0xC0, 0x01, 0xC1,
                            0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00};

Bytes frame_of(std::uint16_t source, std::uint16_t destination, const Bytes& apdu) {
  Bytes out;
  EXPECT_TRUE(encode_wrapper(source, destination, apdu, out));
  return out;
}

// bytes[begin, end), as its own vector.
Bytes slice(const Bytes& bytes, std::size_t begin, std::size_t end) {
  const std::span<const std::uint8_t> part = std::span(bytes).subspan(begin, end - begin);
  return Bytes(part.begin(), part.end());
}

Bytes concatenated(const Bytes& first, const Bytes& second) {
  Bytes all = first;
  all.insert(all.end(), second.begin(), second.end());
  return all;
}

// What a framer hands out, copied so it outlives the framer's buffer.
struct Received {
  WrapperHeader header;
  Bytes bytes;
  Bytes apdu;
};

// Feeds every chunk through feed_all and collects the frames completed.
std::vector<Received> receive(WrapperFramer& framer, const std::vector<Bytes>& chunks) {
  std::vector<Received> frames;
  for (const Bytes& chunk : chunks) {
    auto status = framer.feed_all(chunk, [&](const WrapperFrameView& frame) {
      frames.push_back({frame.header, Bytes(frame.bytes.begin(), frame.bytes.end()),
                        Bytes(frame.apdu.begin(), frame.apdu.end())});
    });
    EXPECT_LE(framer.buffered_size(), wrapper_header_size + framer.apdu_size_max());
    if (!status) break;
  }
  return frames;
}

TEST(WrapperPort, WellKnownNumbers) {
  EXPECT_EQ(dlms_cosem_port, 4059);
  EXPECT_EQ(client_wport_public, 0x10);
  EXPECT_EQ(client_wport_management, 0x01);
  EXPECT_EQ(server_wport_management, 0x01);
  EXPECT_EQ(server_wport_all_station, 0x7F);
  EXPECT_LT(server_wport_first_assignable, server_wport_last_assignable);
  EXPECT_LT(server_wport_last_assignable, server_wport_all_station);
}

TEST(WrapperEncode, ExactBytesOfClockGetRequest) {
  Bytes out;
  ASSERT_TRUE(encode_wrapper(client_wport_public, server_wport_management, clock_get, out));
  EXPECT_EQ(out, clock_get_frame);
}

TEST(WrapperEncode, AppendsAfterWhatOutHolds) {
  Bytes out{0xAA};
  ASSERT_TRUE(encode_wrapper(0x0001, 0x0010, Bytes{0x42}, out));
  EXPECT_EQ(out, (Bytes{0xAA, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x00, 0x01, 0x42}));
}

TEST(WrapperEncode, ZeroLengthApduIsAHeaderOnly) {
  Bytes out;
  ASSERT_TRUE(encode_wrapper(0x1234, 0xABCD, {}, out));
  EXPECT_EQ(out, (Bytes{0x00, 0x01, 0x12, 0x34, 0xAB, 0xCD, 0x00, 0x00}));
}

TEST(WrapperEncode, LargestApduFillsTheLengthField) {
  const Bytes apdu(wrapper_apdu_size_max, 0x5A);
  Bytes out;
  ASSERT_TRUE(encode_wrapper(0x10, 0x01, apdu, out));
  ASSERT_EQ(out.size(), wrapper_header_size + wrapper_apdu_size_max);
  EXPECT_EQ(out[6], 0xFF);
  EXPECT_EQ(out[7], 0xFF);
}

TEST(WrapperEncode, RefusesApduOverTheLengthField) {
  const Bytes apdu(wrapper_apdu_size_max + 1, 0x00);
  Bytes out{0x01, 0x02};
  auto status = encode_wrapper(0x10, 0x01, apdu, out);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("65536"), std::string::npos) << status.error().message;
  EXPECT_EQ(out, (Bytes{0x01, 0x02}));
}

TEST(WrapperHeaderCodec, EncodesFieldsBigEndian) {
  const WrapperHeader header{wrapper_version, 0x0102, 0x0304, 0x0506};
  const auto bytes = encode_wrapper_header(header);
  EXPECT_EQ(Bytes(bytes.begin(), bytes.end()),
            (Bytes{0x00, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06}));
}

TEST(WrapperHeaderCodec, DecodesTheClockGetHeader) {
  auto header = decode_wrapper_header(std::span<const std::uint8_t, 8>(clock_get_frame.data(), 8));
  ASSERT_TRUE(header) << header.error().message;
  EXPECT_EQ(*header, (WrapperHeader{0x0001, 0x0010, 0x0001, 13}));
}

TEST(WrapperHeaderCodec, RoundTripsEveryField) {
  const WrapperHeader header{wrapper_version, 0xFFFF, 0x8000, 0xFFFE};
  const auto bytes = encode_wrapper_header(header);
  auto decoded = decode_wrapper_header(bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, header);
}

TEST(WrapperHeaderCodec, RefusesOtherVersions) {
  // 0x0100 is version 1 written little-endian: a common implementation mistake.
  for (const std::uint16_t version :
       std::initializer_list<std::uint16_t>{0x0000, 0x0002, 0x0100, 0xFFFF}) {
    const auto bytes = encode_wrapper_header(WrapperHeader{version, 0x10, 0x01, 0});
    auto decoded = decode_wrapper_header(bytes);
    ASSERT_FALSE(decoded) << version;
    EXPECT_NE(decoded.error().message.find("version"), std::string::npos);
  }
}

TEST(WrapperFramer, WholeFrameInOneFeed) {
  WrapperFramer framer;
  EXPECT_EQ(framer.feed(clock_get_frame), clock_get_frame.size());
  auto frame = framer.pop();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->header, (WrapperHeader{0x0001, 0x0010, 0x0001, 13}));
  EXPECT_EQ(Bytes(frame->bytes.begin(), frame->bytes.end()), clock_get_frame);
  EXPECT_EQ(Bytes(frame->apdu.begin(), frame->apdu.end()), clock_get);
  EXPECT_FALSE(framer.pop());  // each frame pops once
  EXPECT_EQ(framer.buffered_size(), 0U);
  EXPECT_TRUE(framer.status());
}

TEST(WrapperFramer, ByteAtATime) {
  WrapperFramer framer;
  for (std::size_t index = 0; index < clock_get_frame.size(); ++index) {
    EXPECT_FALSE(framer.pop()) << "complete too early, at byte " << index;
    EXPECT_EQ(framer.feed(std::span(clock_get_frame).subspan(index, 1)), 1U);
    EXPECT_EQ(framer.buffered_size(), index + 1);
  }
  auto frame = framer.pop();
  ASSERT_TRUE(frame);
  EXPECT_EQ(Bytes(frame->apdu.begin(), frame->apdu.end()), clock_get);
}

TEST(WrapperFramer, TwoFramesSplitAtEveryPosition) {
  const Bytes second_apdu{0xC4, 0x01, 0xC1, 0x00, 0x09, 0x0C};
  const Bytes second = frame_of(0x0001, 0x0010, second_apdu);
  const Bytes stream = concatenated(clock_get_frame, second);
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    WrapperFramer framer;
    const auto frames =
        receive(framer, {slice(stream, 0, split), slice(stream, split, stream.size())});
    ASSERT_EQ(frames.size(), 2U) << "split at " << split;
    EXPECT_EQ(frames[0].bytes, clock_get_frame) << "split at " << split;
    EXPECT_EQ(frames[1].apdu, second_apdu) << "split at " << split;
    EXPECT_EQ(frames[1].header.source_wport, 0x0001);
    EXPECT_EQ(frames[1].header.destination_wport, 0x0010);
    EXPECT_EQ(framer.buffered_size(), 0U);
  }
}

TEST(WrapperFramer, FrameSplitAtEveryPairOfPositions) {
  for (std::size_t first = 0; first <= clock_get_frame.size(); ++first) {
    for (std::size_t second = first; second <= clock_get_frame.size(); ++second) {
      WrapperFramer framer;
      const std::size_t size = clock_get_frame.size();
      const auto frames =
          receive(framer, {slice(clock_get_frame, 0, first), slice(clock_get_frame, first, second),
                           slice(clock_get_frame, second, size)});
      ASSERT_EQ(frames.size(), 1U) << first << "," << second;
      EXPECT_EQ(frames[0].apdu, clock_get);
    }
  }
}

TEST(WrapperFramer, FeedStopsAtTheEndOfEachFrame) {
  const Bytes stream = concatenated(clock_get_frame, clock_get_frame);
  WrapperFramer framer;
  std::span<const std::uint8_t> rest(stream);
  EXPECT_EQ(framer.feed(rest), clock_get_frame.size());
  rest = rest.subspan(clock_get_frame.size());
  // The first frame waits to be popped: the next frame's bytes stay with the caller.
  EXPECT_EQ(framer.feed(rest), 0U);
  EXPECT_EQ(framer.buffered_size(), clock_get_frame.size());
  ASSERT_TRUE(framer.pop());
  EXPECT_EQ(framer.feed(rest), clock_get_frame.size());
  ASSERT_TRUE(framer.pop());
  EXPECT_FALSE(framer.pop());
}

TEST(WrapperFramer, ManyFramesInOneRead) {
  Bytes stream;
  for (std::uint8_t index = 0; index < 50; ++index) {
    ASSERT_TRUE(encode_wrapper(0x10, 0x01, Bytes(index, index), stream));
  }
  WrapperFramer framer(64);
  const auto frames = receive(framer, {stream});
  ASSERT_EQ(frames.size(), 50U);
  for (std::size_t index = 0; index < frames.size(); ++index) {
    EXPECT_EQ(frames[index].header.length, index);
    EXPECT_EQ(frames[index].apdu, Bytes(index, static_cast<std::uint8_t>(index)));
  }
}

TEST(WrapperFramer, ZeroLengthApdu) {
  const Bytes empty = frame_of(0x10, 0x01, {});
  WrapperFramer framer;
  const auto frames = receive(framer, {empty, clock_get_frame, empty});
  ASSERT_EQ(frames.size(), 3U);
  EXPECT_TRUE(frames[0].apdu.empty());
  EXPECT_EQ(frames[0].bytes, empty);
  EXPECT_EQ(frames[1].apdu, clock_get);
  EXPECT_TRUE(frames[2].apdu.empty());
}

TEST(WrapperFramer, ZeroLengthApduIsReadyOnItsEighthByte) {
  const Bytes empty = frame_of(0x10, 0x01, {});
  WrapperFramer framer;
  EXPECT_EQ(framer.feed(std::span(empty).first(7)), 7U);
  EXPECT_FALSE(framer.pop());
  EXPECT_EQ(framer.feed(std::span(empty).last(1)), 1U);
  EXPECT_TRUE(framer.pop());
}

TEST(WrapperFramer, LargestApduOfTheLengthField) {
  const Bytes apdu(wrapper_apdu_size_max, 0xA5);
  const Bytes frame = frame_of(0x10, 0x01, apdu);
  WrapperFramer framer;  // default: the most the length field can carry
  const auto frames = receive(framer, {frame});
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].header.length, 65535);
  EXPECT_EQ(frames[0].apdu, apdu);
}

TEST(WrapperFramer, ApduOfExactlyTheConfiguredMaximum) {
  const Bytes apdu(100, 0x11);
  WrapperFramer framer(100);
  const auto frames = receive(framer, {frame_of(0x10, 0x01, apdu)});
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].apdu, apdu);
  EXPECT_TRUE(framer.status());
}

TEST(WrapperFramer, OverLengthHeaderFailsBeforeAnyApduArrives) {
  WrapperFramer framer(100);
  const auto header = encode_wrapper_header(WrapperHeader{wrapper_version, 0x10, 0x01, 101});
  EXPECT_EQ(framer.feed(header), header.size());
  EXPECT_TRUE(framer.failed());
  EXPECT_FALSE(framer.pop());
  EXPECT_FALSE(framer.pending_header());
  auto status = framer.status();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("101"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("100"), std::string::npos) << status.error().message;
}

TEST(WrapperFramer, HeaderAt65535FailsALowerMaximum) {
  const Bytes apdu(wrapper_apdu_size_max, 0x00);
  WrapperFramer framer(1024);
  const auto frames = receive(framer, {frame_of(0x10, 0x01, apdu)});
  EXPECT_TRUE(frames.empty());
  EXPECT_TRUE(framer.failed());
  EXPECT_LE(framer.buffered_size(), wrapper_header_size);
}

TEST(WrapperFramer, WrongVersionFails) {
  Bytes frame = clock_get_frame;
  frame[1] = 0x02;
  WrapperFramer framer;
  const auto frames = receive(framer, {frame});
  EXPECT_TRUE(frames.empty());
  ASSERT_TRUE(framer.failed());
  EXPECT_NE(framer.status().error().message.find("0x0002"), std::string::npos)
      << framer.status().error().message;
}

TEST(WrapperFramer, FeedingAfterFailureIsIgnored) {
  Bytes bad = clock_get_frame;
  bad[0] = 0xFF;
  WrapperFramer framer;
  ASSERT_FALSE(framer.feed_all(bad, [](const WrapperFrameView&) { FAIL(); }));
  const std::string message = framer.status().error().message;
  const std::size_t buffered = framer.buffered_size();
  // A well-formed frame after the failure is not read: the stream has lost its framing.
  int delivered = 0;
  auto status = framer.feed_all(clock_get_frame, [&](const WrapperFrameView&) { ++delivered; });
  EXPECT_FALSE(status);
  EXPECT_EQ(delivered, 0);
  EXPECT_EQ(framer.feed(clock_get_frame), clock_get_frame.size());  // taken and discarded
  EXPECT_FALSE(framer.pop());
  EXPECT_TRUE(framer.failed());
  EXPECT_EQ(framer.status().error().message, message);
  EXPECT_EQ(framer.buffered_size(), buffered);
}

TEST(WrapperFramer, FramesBeforeTheFailureAreDelivered) {
  Bytes bad = clock_get_frame;
  bad[1] = 0x00;  // version 0
  WrapperFramer framer;
  const auto frames = receive(framer, {concatenated(clock_get_frame, bad)});
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].bytes, clock_get_frame);
  EXPECT_TRUE(framer.failed());
}

TEST(WrapperFramer, PendingHeaderBeforeTheApdu) {
  WrapperFramer framer;
  EXPECT_EQ(framer.feed(std::span(clock_get_frame).first(7)), 7U);
  EXPECT_FALSE(framer.pending_header());
  EXPECT_EQ(framer.feed(std::span(clock_get_frame).subspan(7, 3)), 3U);
  auto header = framer.pending_header();
  ASSERT_TRUE(header);
  EXPECT_EQ(header->source_wport, client_wport_public);
  EXPECT_EQ(header->destination_wport, server_wport_management);
  EXPECT_EQ(header->length, 13);
  EXPECT_EQ(framer.feed(std::span(clock_get_frame).subspan(10)), clock_get_frame.size() - 10);
  EXPECT_TRUE(framer.pending_header());  // still there until the frame is popped
  ASSERT_TRUE(framer.pop());
  EXPECT_FALSE(framer.pending_header());
}

TEST(WrapperFramer, EmptyFeedChangesNothing) {
  WrapperFramer framer;
  EXPECT_EQ(framer.feed({}), 0U);
  EXPECT_TRUE(framer.feed_all({}, [](const WrapperFrameView&) { FAIL(); }));
  EXPECT_EQ(framer.buffered_size(), 0U);
  EXPECT_FALSE(framer.failed());
}

TEST(WrapperFramer, RandomChunkingDeliversTheSameFrames) {
  // A fixed seed: the same chunking on every run, so a failure replays.
  std::mt19937 random(62056);
  Bytes stream;
  std::vector<Bytes> apdus;
  for (int index = 0; index < 40; ++index) {
    Bytes apdu(std::uniform_int_distribution<std::size_t>(0, 300)(random));
    for (auto& byte : apdu) {
      byte = static_cast<std::uint8_t>(std::uniform_int_distribution<int>(0, 255)(random));
    }
    ASSERT_TRUE(encode_wrapper(0x10, 0x01, apdu, stream));
    apdus.push_back(std::move(apdu));
  }
  for (int round = 0; round < 20; ++round) {
    std::vector<Bytes> chunks;
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t size =
          std::min(std::uniform_int_distribution<std::size_t>(1, 700)(random), stream.size() - at);
      chunks.push_back(slice(stream, at, at + size));
      at += size;
    }
    WrapperFramer framer(300);
    const auto frames = receive(framer, chunks);
    ASSERT_EQ(frames.size(), apdus.size()) << "round " << round;
    for (std::size_t index = 0; index < frames.size(); ++index) {
      EXPECT_EQ(frames[index].apdu, apdus[index]) << "round " << round << " frame " << index;
    }
  }
}

TEST(WrapperFramer, FrameOfTheConfiguredMaximumFillsTheBuffer) {
  WrapperFramer framer(16);
  const Bytes apdu(16, 0x77);
  const Bytes frame = frame_of(0x10, 0x01, apdu);
  EXPECT_EQ(framer.feed(frame), frame.size());
  EXPECT_EQ(framer.buffered_size(), wrapper_header_size + 16);
  auto popped = framer.pop();
  ASSERT_TRUE(popped);
  EXPECT_EQ(Bytes(popped->apdu.begin(), popped->apdu.end()), apdu);
}

}  // namespace
}  // namespace gridmeter::transport
