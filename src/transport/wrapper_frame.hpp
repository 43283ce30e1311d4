// The DLMS/COSEM wrapper (IEC 62056-47 / IEC 62056-9-7): the 8-byte header that carries one
// APDU over TCP or UDP. All fields are big-endian:
//
//   version (0x0001) | source wPort | destination wPort | length (APDU bytes that follow) | APDU
//
// Sending:
//   std::vector<std::uint8_t> out;
//   if (auto sent = encode_wrapper(server_wport_management, client_wport_public, apdu, out); !sent)
//     log(sent.error().message);
//
// Receiving from a TCP stream (frames arrive split at any byte, or several in one read):
//   WrapperFramer framer(max_receive_pdu_size + ciphering_overhead);
//   auto status = framer.feed_all(received, [&](const WrapperFrameView& frame) {
//     if (frame.header.destination_wport != server_wport_management) { ... }
//     handle_apdu(frame.header.source_wport, frame.apdu);
//   });
//   if (!status) close_connection(status.error().message);  // a TCP stream can't resynchronise
//
// A UDP datagram carries exactly one WPDU: decode its first 8 bytes with decode_wrapper_header
// and check that the length field matches the rest of the datagram.
//
// This layer carries bytes: it never looks inside an APDU, and leaves the wPorts to the caller.
#pragma once

#include <array>     // std::array
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t, std::uint16_t
#include <optional>  // std::optional
#include <span>      // std::span
#include <vector>    // std::vector

#include "core/result.hpp"

namespace gridmeter::transport {

// The only wrapper version IEC 62056-47 defines.
inline constexpr std::uint16_t wrapper_version = 0x0001;
inline constexpr std::size_t wrapper_header_size = 8;
// The length field is 16 bits; a longer APDU needs block transfer in the application layer.
inline constexpr std::size_t wrapper_apdu_size_max = 65535;

struct WrapperHeader {
  std::uint16_t version = wrapper_version;
  std::uint16_t source_wport = 0;
  std::uint16_t destination_wport = 0;
  std::uint16_t length = 0;  // bytes of APDU after the header

  friend bool operator==(const WrapperHeader&, const WrapperHeader&) = default;
};

// The 8 header bytes, for callers that send header and APDU from separate buffers.
[[nodiscard]] std::array<std::uint8_t, wrapper_header_size> encode_wrapper_header(
    const WrapperHeader& header);

// Appends one WPDU (header, then the APDU) to `out`, after whatever `out` already holds, so
// several frames can be gathered into one send. An APDU over 65535 bytes cannot be described
// by the length field: that is refused and `out` is left as it was.
Status encode_wrapper(std::uint16_t source_wport, std::uint16_t destination_wport,
                      std::span<const std::uint8_t> apdu, std::vector<std::uint8_t>& out);

// Reads the header fields; refuses a version other than 0x0001 (the only defined one: anything
// else means the peer speaks another protocol, or the stream lost its framing).
Result<WrapperHeader> decode_wrapper_header(
    std::span<const std::uint8_t, wrapper_header_size> bytes);

// One complete frame popped from a WrapperFramer. The spans point into the framer's buffer and
// stay valid until the next feed() or feed_all() on that framer.
struct WrapperFrameView {
  WrapperHeader header;
  std::span<const std::uint8_t> bytes;  // the whole WPDU: header, then APDU
  std::span<const std::uint8_t> apdu;   // header.length bytes
};

// Reassembles wrapper frames from a TCP byte stream.
//
// The framer holds at most one frame: its buffer is allocated once, at construction, with room
// for a header and the largest APDU accepted, and never grows, whatever the peer sends. A
// header with a wrong version, or announcing an APDU over the configured maximum, puts the
// framer into a failed state for good: a TCP stream has no frame delimiter to resynchronise
// on, so the only recovery is to close the connection, and every later feed is ignored.
class WrapperFramer {
 public:
  // apdu_size_max: the largest APDU accepted, normally the server's max receive PDU size plus
  // the overhead of ciphering. The type bounds it at what the length field can express.
  explicit WrapperFramer(std::uint16_t apdu_size_max = wrapper_apdu_size_max);

  // Takes bytes from the front of `bytes` until one frame is complete, the bytes run out, or
  // the framer fails, and returns how many it took; the caller feeds the rest again after
  // pop(). While a frame is ready and not popped it takes nothing (returns 0). Once failed, it
  // discards everything (returns bytes.size()), so a read loop always makes progress.
  [[nodiscard]] std::size_t feed(std::span<const std::uint8_t> bytes);

  // The complete frame, if one is ready; each frame is popped once.
  [[nodiscard]] std::optional<WrapperFrameView> pop();

  // Feeds all of `bytes`, calling on_frame(const WrapperFrameView&) for each frame completed
  // on the way, in stream order. Returns status(): a frame completed before the failing header
  // is still delivered. The view passed to on_frame is valid only during the call.
  template <typename OnFrame>
  Status feed_all(std::span<const std::uint8_t> bytes, OnFrame&& on_frame) {
    for (;;) {
      if (auto frame = pop()) {
        on_frame(*frame);
        continue;
      }
      if (failed_ || bytes.empty()) break;
      bytes = bytes.subspan(feed(bytes));
    }
    return status();
  }

  // The header of the frame being received, as soon as its 8 bytes are in and until the frame
  // is popped: lets a caller refuse a frame on its wPorts before the APDU has arrived.
  [[nodiscard]] std::optional<WrapperHeader> pending_header() const;

  [[nodiscard]] bool failed() const { return failed_; }
  // Ok, or why the stream was given up.
  [[nodiscard]] Status status() const;
  // Bytes held of the frame being received; never more than wrapper_header_size +
  // apdu_size_max().
  [[nodiscard]] std::size_t buffered_size() const { return filled_; }
  [[nodiscard]] std::size_t apdu_size_max() const { return apdu_size_max_; }

 private:
  void on_header_complete();

  std::vector<std::uint8_t> buffer_;  // sized once: header + apdu_size_max_
  std::size_t apdu_size_max_;
  std::size_t filled_ = 0;  // bytes of the current frame in buffer_
  WrapperHeader header_;    // valid once filled_ >= wrapper_header_size
  bool ready_ = false;      // a complete frame waits in buffer_
  bool failed_ = false;
  Error error_;
};

}  // namespace gridmeter::transport
