#include "transport/wrapper_frame.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::min, std::copy_n
#include <cassert>    // assert

namespace gridmeter::transport {
namespace {

void put_u16(std::uint8_t* at, std::uint16_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 8);
  at[1] = static_cast<std::uint8_t>(value & 0xFFU);
}

std::uint16_t get_u16(const std::uint8_t* at) {
  return static_cast<std::uint16_t>((static_cast<unsigned>(at[0]) << 8) | at[1]);
}

}  // namespace

std::array<std::uint8_t, wrapper_header_size> encode_wrapper_header(const WrapperHeader& header) {
  std::array<std::uint8_t, wrapper_header_size> bytes{};
  put_u16(&bytes[0], header.version);
  put_u16(&bytes[2], header.source_wport);
  put_u16(&bytes[4], header.destination_wport);
  put_u16(&bytes[6], header.length);
  return bytes;
}

Status encode_wrapper(std::uint16_t source_wport, std::uint16_t destination_wport,
                      std::span<const std::uint8_t> apdu, std::vector<std::uint8_t>& out) {
  if (apdu.size() > wrapper_apdu_size_max) {
    return make_error(fmt::format(
        "wrapper: an APDU of {} bytes does not fit the 16-bit length field (at most {})",
        apdu.size(), wrapper_apdu_size_max));
  }
  const WrapperHeader header{wrapper_version, source_wport, destination_wport,
                             static_cast<std::uint16_t>(apdu.size())};
  const auto header_bytes = encode_wrapper_header(header);
  out.insert(out.end(), header_bytes.begin(), header_bytes.end());
  out.insert(out.end(), apdu.begin(), apdu.end());
  return {};
}

Result<WrapperHeader> decode_wrapper_header(
    std::span<const std::uint8_t, wrapper_header_size> bytes) {
  WrapperHeader header;
  header.version = get_u16(&bytes[0]);
  header.source_wport = get_u16(&bytes[2]);
  header.destination_wport = get_u16(&bytes[4]);
  header.length = get_u16(&bytes[6]);
  if (header.version != wrapper_version) {
    return make_error(
        fmt::format("wrapper: version 0x{:04X} is not 0x0001 (not a DLMS/COSEM wrapper frame)",
                    header.version));
  }
  return header;
}

WrapperFramer::WrapperFramer(std::uint16_t apdu_size_max)
    : buffer_(wrapper_header_size + apdu_size_max), apdu_size_max_(apdu_size_max) {}

std::size_t WrapperFramer::feed(std::span<const std::uint8_t> bytes) {
  if (failed_) return bytes.size();
  std::size_t taken = 0;
  while (!ready_ && !failed_ && taken < bytes.size()) {
    // Take only up to the end of the header, then only up to the end of the APDU it announces,
    // so a frame never reads into the next one and the buffer never overflows.
    const std::size_t frame_end =
        filled_ < wrapper_header_size ? wrapper_header_size : wrapper_header_size + header_.length;
    const std::size_t count = std::min(frame_end - filled_, bytes.size() - taken);
    std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(taken), count,
                buffer_.begin() + static_cast<std::ptrdiff_t>(filled_));
    filled_ += count;
    taken += count;
    if (filled_ == wrapper_header_size && frame_end == wrapper_header_size) {
      on_header_complete();
    } else if (filled_ == frame_end) {
      ready_ = true;
    }
  }
  // What a failing header leaves of this feed is discarded with everything after it.
  if (failed_) return bytes.size();
  assert(filled_ <= buffer_.size());
  return taken;
}

void WrapperFramer::on_header_complete() {
  auto header = decode_wrapper_header(
      std::span<const std::uint8_t, wrapper_header_size>(buffer_.data(), wrapper_header_size));
  if (!header) {
    failed_ = true;
    error_ = header.error();
    return;
  }
  if (header->length > apdu_size_max_) {
    // Checked on the header, before any APDU byte is buffered: the peer cannot make the framer
    // wait for (or hold) more than it accepts.
    failed_ = true;
    error_ = make_error(
        fmt::format("wrapper: frame announces an APDU of {} bytes, over the maximum of {} accepted",
                    header->length, apdu_size_max_));
    return;
  }
  header_ = *header;
  if (header_.length == 0) ready_ = true;  // nothing follows the header
}

std::optional<WrapperFrameView> WrapperFramer::pop() {
  if (!ready_) return std::nullopt;
  ready_ = false;
  const std::span<const std::uint8_t> bytes(buffer_.data(), filled_);
  // The bytes stay in buffer_ for the caller until the next feed overwrites them.
  filled_ = 0;
  return WrapperFrameView{header_, bytes, bytes.subspan(wrapper_header_size)};
}

std::optional<WrapperHeader> WrapperFramer::pending_header() const {
  if (failed_ || filled_ < wrapper_header_size) return std::nullopt;
  return header_;
}

Status WrapperFramer::status() const {
  if (failed_) return error_;
  return {};
}

}  // namespace gridmeter::transport
