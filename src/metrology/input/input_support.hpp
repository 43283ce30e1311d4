// Shared plumbing of the waveform readers (COMTRADE, WAV, raw): byte inputs over files,
// descriptors and memory, a line reader, little-endian decoding, strict number parsing and the
// routing of source channels to SampleBuffer slots. Internal to src/metrology/input/.
//
//   Result<std::unique_ptr<ByteInput>> in = open_file_input("rec.dat");
//   std::vector<std::uint8_t> bytes(4096);
//   Result<std::size_t> got = read_fully(**in, bytes);     // short only at the end
//   std::optional<double> x = parse_real(" 1.5e3 ");        // 1500
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint64_t, std::int64_t
#include <cstdio>       // std::FILE
#include <memory>       // std::unique_ptr
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "metrology/input/channel_map.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::metrology::input_detail {

// A byte stream with a position; seekable when it reads a regular file or memory.
class ByteInput {
 public:
  ByteInput() = default;
  ByteInput(const ByteInput&) = delete;
  ByteInput& operator=(const ByteInput&) = delete;
  virtual ~ByteInput() = default;

  // Reads up to out.size() bytes (possibly fewer before the end, e.g. from a pipe); 0 at the
  // end. Errors name the input.
  virtual Result<std::size_t> read_some(std::span<std::uint8_t> out) = 0;
  // Moves to `offset` bytes from the start; an error for inputs that cannot seek.
  virtual Status seek(std::uint64_t offset) = 0;
  // The total size when known (regular files, memory), else nothing.
  [[nodiscard]] virtual std::optional<std::uint64_t> size() const = 0;

  [[nodiscard]] std::uint64_t position() const { return position_; }
  [[nodiscard]] const std::string& name() const { return name_; }

 protected:
  std::uint64_t position_ = 0;
  std::string name_;
};

// Reads until `out` is full or the input ends; returns the count read.
Result<std::size_t> read_fully(ByteInput& input, std::span<std::uint8_t> out);

// A regular file; with `allow_streams` also a FIFO or character device (size unknown, no seek).
Result<std::unique_ptr<ByteInput>> open_file_input(const std::string& path,
                                                   bool allow_streams = false);
std::unique_ptr<ByteInput> memory_input(std::vector<std::uint8_t> bytes, std::string name);
// Neither takes ownership: the caller closes the descriptor or stream.
std::unique_ptr<ByteInput> fd_input(int fd, std::string name);
std::unique_ptr<ByteInput> stdio_input(std::FILE* file, std::string name);
// `length` bytes of `base` from `offset` on, seen as a whole input (positions relative).
std::unique_ptr<ByteInput> slice_input(std::unique_ptr<ByteInput> base, std::uint64_t offset,
                                       std::uint64_t length, std::string name);

// Reads a whole (small) file as text; files over `max_bytes` are an error.
Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes);

// Splits a ByteInput into lines ('\n', with an optional '\r' before it), in chunks.
class LineReader {
 public:
  LineReader(ByteInput& input, std::size_t max_line_bytes);
  // The next line without its end, or nothing at the end of the input. The view stays valid
  // until the next call. A line longer than max_line_bytes is an error.
  Result<std::optional<std::string_view>> next();
  // 1-based number of the line last returned.
  [[nodiscard]] std::uint64_t line_number() const { return line_number_; }
  // Byte offset (from the start of the input) of the line last returned.
  [[nodiscard]] std::uint64_t line_offset() const { return line_offset_; }
  // Byte offset of the first byte not yet returned (after the last line's end).
  [[nodiscard]] std::uint64_t next_offset() const { return consumed_ + begin_; }

 private:
  ByteInput& input_;
  std::size_t max_line_bytes_;
  std::vector<std::uint8_t> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t consumed_ = 0;  // input offset of buffer_[0]
  std::uint64_t line_number_ = 0;
  std::uint64_t line_offset_ = 0;
};

// ---- little-endian loads and stores ----

inline std::uint16_t load_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t load_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::uint64_t load_u64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(load_u32(p)) |
         (static_cast<std::uint64_t>(load_u32(p + 4)) << 32);
}
inline std::int16_t load_i16(const std::uint8_t* p) {
  return static_cast<std::int16_t>(load_u16(p));
}
inline std::int32_t load_i24(const std::uint8_t* p) {
  const std::uint32_t bits = static_cast<std::uint32_t>(p[0]) |
                             (static_cast<std::uint32_t>(p[1]) << 8) |
                             (static_cast<std::uint32_t>(p[2]) << 16);
  const std::int32_t value = static_cast<std::int32_t>(bits);
  return (bits & 0x800000U) != 0 ? value - 0x1000000 : value;
}
inline std::int32_t load_i32(const std::uint8_t* p) {
  return static_cast<std::int32_t>(load_u32(p));
}
float load_f32(const std::uint8_t* p);
double load_f64(const std::uint8_t* p);

void store_u16(std::vector<std::uint8_t>& out, std::uint16_t value);
void store_u32(std::vector<std::uint8_t>& out, std::uint32_t value);
void store_f32(std::vector<std::uint8_t>& out, float value);

// ---- text ----

std::string_view trim(std::string_view text);
// Splits at every `separator` into `fields` (cleared first); fields are not trimmed.
void split(std::string_view text, char separator, std::vector<std::string_view>& fields);
bool iequals(std::string_view a, std::string_view b);
std::string to_upper(std::string_view text);
// A finite decimal number, surrounding blanks allowed, leading '+' allowed; no "inf"/"nan".
std::optional<double> parse_real(std::string_view text);
// A decimal integer, surrounding blanks and a leading sign allowed.
std::optional<std::int64_t> parse_integer(std::string_view text);
// The text for an error message: quoted, cut after 40 characters, control bytes escaped.
std::string quote(std::string_view text);

// ---- routing ----

// One mapped slot: slot[k] = gain * source[k] + offset.
struct SlotRoute {
  Channel slot = Channel::u1;
  std::size_t source = 0;
  double gain = 1.0;
  double offset = 0.0;
};

// Zeroes the first `count` values of every slot no route fills.
void zero_unrouted(SampleBuffer& buffer, std::span<const SlotRoute> routes, std::size_t count);

// Interleaved little-endian samples (WAV data, raw streams).
enum class SampleEncoding { int16, int24, int32, float32, float64 };
std::size_t encoding_bytes(SampleEncoding encoding);
// 2^(bits-1) for integers, 1 for floats: the divisor that makes full scale 1.0.
double encoding_full_scale(SampleEncoding encoding);

// The routes of `channels`-sample frames (WAV, raw): each mapped slot's scale over the encoding's
// full scale, times the scale factor of its source channel where one is given (the others are
// 1). More scale factors than channels is an error naming `source_name`.
Result<std::vector<SlotRoute>> interleaved_routes(const ChannelMap& map, SampleEncoding encoding,
                                                  std::span<const double> scale_factors,
                                                  std::size_t channels,
                                                  std::string_view source_name);

// Reads whole frames of interleaved samples from `input` into SampleBuffers, `chunk_bytes` at a
// time, through `routes` (source = channel within the frame; gain already divided by the full
// scale). With `frame_count`, reads exactly that many frames (fewer is a truncation error);
// without, until the input ends (a partial frame at the end is an error naming its offset).
class FrameStream {
 public:
  FrameStream(ByteInput& input, SampleEncoding encoding, std::size_t channels,
              std::vector<SlotRoute> routes, std::optional<std::uint64_t> frame_count,
              std::size_t chunk_bytes);
  Result<std::size_t> read(SampleBuffer& buffer);
  [[nodiscard]] std::uint64_t frames_read() const { return frames_read_; }

 private:
  void decode(const std::uint8_t* bytes, std::size_t frames, SampleBuffer& buffer,
              std::size_t at) const;

  ByteInput& input_;
  SampleEncoding encoding_;
  std::size_t sample_bytes_;
  std::size_t frame_bytes_;
  std::vector<SlotRoute> routes_;
  std::optional<std::uint64_t> frame_count_;
  std::optional<std::uint64_t> bytes_left_;  // with frame_count: bytes still to read
  std::vector<std::uint8_t> pending_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t frames_read_ = 0;
  std::uint64_t start_offset_ = 0;  // input position when the stream began
};

}  // namespace gridmeter::metrology::input_detail
