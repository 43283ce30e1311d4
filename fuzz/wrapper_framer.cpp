// libFuzzer target: WrapperFramer must deliver, whatever the chunking of a TCP stream, exactly
// the frames (and the failure) that parsing the whole stream at once gives, while never holding
// more than one frame.
//
// Input layout, so the fuzzer steers the chunking and the limit as well as the bytes:
//   byte 0        bits 0-3: number of cut lengths that follow (0..15);
//                 bit 4: read through feed_all instead of feed/pop
//   bytes 1..n    one cut length each: the next feed takes 1..256 bytes
//   2 bytes       the framer's maximum APDU size, big-endian
//   the rest      the stream; what the cut lengths leave goes in one last feed
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/wrapper_frame.hpp"

namespace {

using gridmeter::transport::decode_wrapper_header;
using gridmeter::transport::encode_wrapper;
using gridmeter::transport::wrapper_header_size;
using gridmeter::transport::WrapperFramer;
using gridmeter::transport::WrapperFrameView;

using Bytes = std::vector<std::uint8_t>;

void check(bool condition) {
  if (!condition) std::abort();
}

// The oracle: the frames found by walking the whole stream, and whether it ends in a bad header.
struct Expected {
  std::vector<Bytes> frames;
  bool fails = false;
};

Expected parse_whole(std::span<const std::uint8_t> stream, std::size_t apdu_size_max) {
  Expected expected;
  while (stream.size() >= wrapper_header_size) {
    auto header = decode_wrapper_header(stream.first<wrapper_header_size>());
    if (!header || header->length > apdu_size_max) {
      expected.fails = true;
      break;
    }
    const std::size_t frame_size = wrapper_header_size + header->length;
    if (stream.size() < frame_size) break;  // the rest of the frame has not arrived
    expected.frames.emplace_back(stream.begin(),
                                 stream.begin() + static_cast<std::ptrdiff_t>(frame_size));
    stream = stream.subspan(frame_size);
  }
  return expected;
}

// Every frame the framer hands out must be consistent in itself, within the limit, and
// re-encode to exactly its own bytes.
void check_frame(const WrapperFrameView& frame, const WrapperFramer& framer,
                 std::vector<Bytes>& received) {
  check(frame.header.length == frame.apdu.size());
  check(frame.bytes.size() == wrapper_header_size + frame.apdu.size());
  check(frame.apdu.size() <= framer.apdu_size_max());
  check(frame.apdu.data() == frame.bytes.data() + wrapper_header_size);
  auto header = decode_wrapper_header(frame.bytes.first<wrapper_header_size>());
  check(header.has_value() && *header == frame.header);
  Bytes again;
  check(encode_wrapper(frame.header.source_wport, frame.header.destination_wport, frame.apdu, again)
            .ok());
  check(std::equal(again.begin(), again.end(), frame.bytes.begin(), frame.bytes.end()));
  received.emplace_back(frame.bytes.begin(), frame.bytes.end());
}

void check_bounded(const WrapperFramer& framer) {
  check(framer.buffered_size() <= wrapper_header_size + framer.apdu_size_max());
}

// Feeds one chunk through the feed/pop primitives, checking what each call may do.
void feed_by_hand(WrapperFramer& framer, std::span<const std::uint8_t> chunk,
                  std::vector<Bytes>& received, std::string& failure) {
  while (!chunk.empty()) {
    const bool was_failed = framer.failed();
    const std::size_t taken = framer.feed(chunk);
    check(taken <= chunk.size());
    check_bounded(framer);
    if (was_failed) {
      // Once failed, stays failed: everything is discarded, nothing changes, nothing pops.
      check(framer.failed());
      check(taken == chunk.size());
      check(framer.status().error().message == failure);
      check(!framer.pop().has_value());
      return;
    }
    if (framer.failed()) {
      check(taken == chunk.size());
      failure = framer.status().error().message;
      check(!failure.empty());
      check(!framer.pop().has_value());
      return;
    }
    auto frame = framer.pop();
    // feed() stops only at the end of a frame or of the chunk, and a ready frame blocks it.
    check(frame.has_value() || taken == chunk.size());
    check(taken > 0 || frame.has_value());
    if (frame) {
      check_frame(*frame, framer, received);
      check(!framer.pop().has_value());
      check(!framer.pending_header().has_value());
    } else {
      check(framer.pending_header().has_value() == (framer.buffered_size() >= wrapper_header_size));
    }
    chunk = chunk.subspan(taken);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> input(data, size);
  if (input.empty()) return 0;
  const std::size_t cut_count = input[0] & 0x0FU;
  const bool use_feed_all = (input[0] & 0x10U) != 0;
  input = input.subspan(1);
  if (input.size() < cut_count + 2) return 0;
  std::vector<std::size_t> cuts;
  for (std::size_t index = 0; index < cut_count; ++index) {
    cuts.push_back(std::size_t{input[index]} + 1);
  }
  input = input.subspan(cut_count);
  const auto apdu_size_max =
      static_cast<std::uint16_t>((static_cast<unsigned>(input[0]) << 8) | input[1]);
  const std::span<const std::uint8_t> stream = input.subspan(2);

  WrapperFramer framer(apdu_size_max);
  check(framer.apdu_size_max() == apdu_size_max);
  std::vector<Bytes> received;
  std::string failure;
  std::span<const std::uint8_t> rest = stream;
  for (std::size_t index = 0; index <= cuts.size(); ++index) {
    const std::size_t length =
        index < cuts.size() ? std::min(cuts[index], rest.size()) : rest.size();
    const std::span<const std::uint8_t> chunk = rest.first(length);
    rest = rest.subspan(length);
    if (use_feed_all) {
      const bool was_failed = framer.failed();
      const std::size_t before = received.size();
      auto status = framer.feed_all(
          chunk, [&](const WrapperFrameView& frame) { check_frame(frame, framer, received); });
      check_bounded(framer);
      check(status.ok() == !framer.failed());
      if (was_failed) check(framer.failed() && received.size() == before);
    } else {
      feed_by_hand(framer, chunk, received, failure);
    }
  }

  // Chunking must not matter: the same frames, and the same verdict, as the whole stream.
  const Expected expected = parse_whole(stream, apdu_size_max);
  check(received == expected.frames);
  check(framer.failed() == expected.fails);
  return 0;
}
