#include "metrology/input/input_support.hpp"

#include <fmt/format.h>
#include <sys/stat.h>  // fstat
#include <unistd.h>    // read

#include <algorithm>     // std::min, std::fill_n
#include <bit>           // std::bit_cast
#include <cctype>        // std::toupper
#include <cerrno>        // errno
#include <charconv>      // std::from_chars
#include <cmath>         // std::isfinite
#include <cstring>       // std::strerror
#include <system_error>  // std::errc
#include <utility>       // std::move

namespace gridmeter::metrology::input_detail {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

class FileInput final : public ByteInput {
 public:
  FileInput(std::FILE* file, std::string path, std::optional<std::uint64_t> size)
      : file_(file), size_(size) {
    name_ = std::move(path);
  }
  FileInput(const FileInput&) = delete;
  FileInput& operator=(const FileInput&) = delete;
  ~FileInput() override { std::fclose(file_); }

  Result<std::size_t> read_some(std::span<std::uint8_t> out) override {
    const std::size_t got = std::fread(out.data(), 1, out.size(), file_);
    if (got < out.size() && std::ferror(file_) != 0) {
      return make_error(fmt::format("{}: read failed at byte offset {}: {}", name_, position_ + got,
                                    errno_text(errno)));
    }
    position_ += got;
    return got;
  }
  Status seek(std::uint64_t offset) override {
    if (!size_ || offset > static_cast<std::uint64_t>(INT64_MAX) ||
        fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) {
      return make_error(fmt::format("{}: cannot seek to byte offset {}", name_, offset));
    }
    position_ = offset;
    return {};
  }
  [[nodiscard]] std::optional<std::uint64_t> size() const override { return size_; }

 private:
  std::FILE* file_;
  std::optional<std::uint64_t> size_;
};

class MemoryInput final : public ByteInput {
 public:
  MemoryInput(std::vector<std::uint8_t> bytes, std::string name) : bytes_(std::move(bytes)) {
    name_ = std::move(name);
  }
  Result<std::size_t> read_some(std::span<std::uint8_t> out) override {
    const std::uint64_t left = position_ < bytes_.size() ? bytes_.size() - position_ : 0;
    const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(left, out.size()));
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(position_), count, out.begin());
    position_ += count;
    return count;
  }
  Status seek(std::uint64_t offset) override {
    if (offset > bytes_.size()) {
      return make_error(fmt::format("{}: cannot seek to byte offset {} beyond the end ({})", name_,
                                    offset, bytes_.size()));
    }
    position_ = offset;
    return {};
  }
  [[nodiscard]] std::optional<std::uint64_t> size() const override { return bytes_.size(); }

 private:
  std::vector<std::uint8_t> bytes_;
};

class FdInput final : public ByteInput {
 public:
  FdInput(int fd, std::string name) : fd_(fd) { name_ = std::move(name); }
  Result<std::size_t> read_some(std::span<std::uint8_t> out) override {
    for (;;) {
      const ssize_t got = ::read(fd_, out.data(), out.size());
      if (got >= 0) {
        position_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
      }
      if (errno == EINTR) continue;
      return make_error(fmt::format("{}: read failed at byte offset {}: {}", name_, position_,
                                    errno_text(errno)));
    }
  }
  Status seek(std::uint64_t offset) override {
    return make_error(fmt::format("{}: cannot seek to byte offset {} in a stream", name_, offset));
  }
  [[nodiscard]] std::optional<std::uint64_t> size() const override { return std::nullopt; }

 private:
  int fd_;
};

class StdioInput final : public ByteInput {
 public:
  StdioInput(std::FILE* file, std::string name) : file_(file) { name_ = std::move(name); }
  Result<std::size_t> read_some(std::span<std::uint8_t> out) override {
    const std::size_t got = std::fread(out.data(), 1, out.size(), file_);
    if (got == 0 && std::ferror(file_) != 0) {
      return make_error(fmt::format("{}: read failed at byte offset {}: {}", name_, position_,
                                    errno_text(errno)));
    }
    position_ += got;
    return got;
  }
  Status seek(std::uint64_t offset) override {
    return make_error(fmt::format("{}: cannot seek to byte offset {} in a stream", name_, offset));
  }
  [[nodiscard]] std::optional<std::uint64_t> size() const override { return std::nullopt; }

 private:
  std::FILE* file_;
};

class SliceInput final : public ByteInput {
 public:
  SliceInput(std::unique_ptr<ByteInput> base, std::uint64_t offset, std::uint64_t length,
             std::string name)
      : base_(std::move(base)), offset_(offset), length_(length) {
    name_ = std::move(name);
  }
  Result<std::size_t> read_some(std::span<std::uint8_t> out) override {
    if (!started_) {
      if (Status moved = base_->seek(offset_); !moved) return moved.error();
      started_ = true;
    }
    const std::uint64_t left = length_ - position_;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, out.size()));
    auto got = base_->read_some(out.first(want));
    if (!got) return got.error();
    position_ += *got;
    return *got;
  }
  Status seek(std::uint64_t offset) override {
    if (offset > length_) {
      return make_error(fmt::format("{}: cannot seek to byte offset {} beyond the end ({})", name_,
                                    offset, length_));
    }
    if (Status moved = base_->seek(offset_ + offset); !moved) return moved;
    started_ = true;
    position_ = offset;
    return {};
  }
  [[nodiscard]] std::optional<std::uint64_t> size() const override { return length_; }

 private:
  std::unique_ptr<ByteInput> base_;
  std::uint64_t offset_;
  std::uint64_t length_;
  bool started_ = false;
};

}  // namespace

Result<std::size_t> read_fully(ByteInput& input, std::span<std::uint8_t> out) {
  std::size_t total = 0;
  while (total < out.size()) {
    auto got = input.read_some(out.subspan(total));
    if (!got) return got.error();
    if (*got == 0) break;
    total += *got;
  }
  return total;
}

Result<std::unique_ptr<ByteInput>> open_file_input(const std::string& path, bool allow_streams) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return make_error(fmt::format("{}: cannot open: {}", path, errno_text(errno)));
  }
  struct stat status {};
  const bool known = fstat(fileno(file), &status) == 0;
  if (known && S_ISREG(status.st_mode)) {
    return std::unique_ptr<ByteInput>(
        new FileInput(file, path, static_cast<std::uint64_t>(status.st_size)));
  }
  if (known && allow_streams && (S_ISFIFO(status.st_mode) || S_ISCHR(status.st_mode))) {
    return std::unique_ptr<ByteInput>(new FileInput(file, path, std::nullopt));
  }
  std::fclose(file);
  return make_error(fmt::format("{}: not a regular file", path));
}

std::unique_ptr<ByteInput> memory_input(std::vector<std::uint8_t> bytes, std::string name) {
  return std::make_unique<MemoryInput>(std::move(bytes), std::move(name));
}

std::unique_ptr<ByteInput> fd_input(int fd, std::string name) {
  return std::make_unique<FdInput>(fd, std::move(name));
}

std::unique_ptr<ByteInput> stdio_input(std::FILE* file, std::string name) {
  return std::make_unique<StdioInput>(file, std::move(name));
}

std::unique_ptr<ByteInput> slice_input(std::unique_ptr<ByteInput> base, std::uint64_t offset,
                                       std::uint64_t length, std::string name) {
  return std::make_unique<SliceInput>(std::move(base), offset, length, std::move(name));
}

Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  auto input = open_file_input(path);
  if (!input) return input.error();
  const std::uint64_t size = (*input)->size().value_or(0);
  if (size > max_bytes) {
    return make_error(
        fmt::format("{}: {} bytes, more than the {} bytes accepted", path, size, max_bytes));
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  std::span<std::uint8_t> bytes(reinterpret_cast<std::uint8_t*>(text.data()), text.size());
  auto got = read_fully(**input, bytes);
  if (!got) return got.error();
  text.resize(*got);
  return text;
}

LineReader::LineReader(ByteInput& input, std::size_t max_line_bytes)
    : input_(input), max_line_bytes_(max_line_bytes) {
  buffer_.resize(std::min<std::size_t>(max_line_bytes + 1, 64 * 1024));
}

Result<std::optional<std::string_view>> LineReader::next() {
  for (;;) {
    const std::uint8_t* start = buffer_.data() + begin_;
    const auto* newline = static_cast<const std::uint8_t*>(std::memchr(start, '\n', end_ - begin_));
    if (newline != nullptr || (eof_ && begin_ < end_)) {
      std::size_t length =
          newline != nullptr ? static_cast<std::size_t>(newline - start) : end_ - begin_;
      if (length > max_line_bytes_) break;
      line_offset_ = consumed_ + begin_;
      ++line_number_;
      begin_ += length + (newline != nullptr ? 1 : 0);
      if (length > 0 && start[length - 1] == '\r') --length;
      return std::optional<std::string_view>(
          std::string_view(reinterpret_cast<const char*>(start), length));
    }
    if (eof_) return std::optional<std::string_view>();
    if (end_ - begin_ > max_line_bytes_) break;
    // Move the partial line to the front, grow if it fills the buffer, then read more.
    if (begin_ > 0) {
      std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(begin_),
                buffer_.begin() + static_cast<std::ptrdiff_t>(end_), buffer_.begin());
      consumed_ += begin_;
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(std::min(buffer_.size() * 2, max_line_bytes_ + 2));
    auto got = input_.read_some(std::span<std::uint8_t>(buffer_).subspan(end_));
    if (!got) return got.error();
    if (*got == 0) eof_ = true;
    end_ += *got;
  }
  return make_error(fmt::format("{} line {}: longer than {} bytes", input_.name(), line_number_ + 1,
                                max_line_bytes_));
}

float load_f32(const std::uint8_t* p) { return std::bit_cast<float>(load_u32(p)); }
double load_f64(const std::uint8_t* p) { return std::bit_cast<double>(load_u64(p)); }

void store_u16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}
void store_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8)
    out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFFU));
}
void store_f32(std::vector<std::uint8_t>& out, float value) {
  store_u32(out, std::bit_cast<std::uint32_t>(value));
}

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && blank(text.back()))
    text.remove_suffix(1);
  return text;
}

void split(std::string_view text, char separator, std::vector<std::string_view>& fields) {
  fields.clear();
  for (;;) {
    const std::size_t at = text.find(separator);
    fields.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return;
    text.remove_prefix(at + 1);
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string to_upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

std::optional<double> parse_real(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  const char first = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  if (!(first == '.' || (first >= '0' && first <= '9'))) return std::nullopt;  // no inf, nan
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string quote(std::string_view text) {
  constexpr std::size_t max_shown = 40;
  std::string shown = "\"";
  for (std::size_t i = 0; i < text.size() && i < max_shown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      shown += fmt::format("\\x{:02X}", c);
    } else {
      shown += static_cast<char>(c);
    }
  }
  if (text.size() > max_shown) shown += "...";
  shown += '"';
  return shown;
}

void zero_unrouted(SampleBuffer& buffer, std::span<const SlotRoute> routes, std::size_t count) {
  for (std::size_t slot = 0; slot < channel_count; ++slot) {
    const bool routed = std::any_of(routes.begin(), routes.end(), [&](const SlotRoute& route) {
      return static_cast<std::size_t>(route.slot) == slot;
    });
    if (!routed) std::fill_n(buffer.channel(static_cast<Channel>(slot)), count, 0.0F);
  }
}

}  // namespace gridmeter::metrology::input_detail

namespace gridmeter::metrology::input_detail {

std::size_t encoding_bytes(SampleEncoding encoding) {
  switch (encoding) {
    case SampleEncoding::int16:
      return 2;
    case SampleEncoding::int24:
      return 3;
    case SampleEncoding::int32:
    case SampleEncoding::float32:
      return 4;
    case SampleEncoding::float64:
      return 8;
  }
  return 1;
}

double encoding_full_scale(SampleEncoding encoding) {
  switch (encoding) {
    case SampleEncoding::int16:
      return 32768.0;
    case SampleEncoding::int24:
      return 8388608.0;
    case SampleEncoding::int32:
      return 2147483648.0;
    case SampleEncoding::float32:
    case SampleEncoding::float64:
      return 1.0;
  }
  return 1.0;
}

Result<std::vector<SlotRoute>> interleaved_routes(const ChannelMap& map, SampleEncoding encoding,
                                                  std::span<const double> scale_factors,
                                                  std::size_t channels,
                                                  std::string_view source_name) {
  if (scale_factors.size() > channels) {
    return make_error(fmt::format("{}: {} scale factors for {} channels", source_name,
                                  scale_factors.size(), channels));
  }
  std::vector<SlotRoute> routes;
  for (const ChannelMapEntry& entry : map.entries) {
    double gain = entry.scale / encoding_full_scale(encoding);
    if (entry.source_index < scale_factors.size()) gain *= scale_factors[entry.source_index];
    routes.push_back({entry.slot, entry.source_index, gain, 0.0});
  }
  return routes;
}

FrameStream::FrameStream(ByteInput& input, SampleEncoding encoding, std::size_t channels,
                         std::vector<SlotRoute> routes, std::optional<std::uint64_t> frame_count,
                         std::size_t chunk_bytes)
    : input_(input),
      encoding_(encoding),
      sample_bytes_(encoding_bytes(encoding)),
      frame_bytes_(encoding_bytes(encoding) * channels),
      routes_(std::move(routes)),
      frame_count_(frame_count),
      start_offset_(input.position()) {
  if (frame_count) bytes_left_ = *frame_count * frame_bytes_;
  pending_.resize(std::max(chunk_bytes, frame_bytes_));
}

void FrameStream::decode(const std::uint8_t* bytes, std::size_t frames, SampleBuffer& buffer,
                         std::size_t at) const {
  for (const SlotRoute& route : routes_) {
    float* out = buffer.channel(route.slot) + at;
    const std::uint8_t* in = bytes + route.source * sample_bytes_;
    for (std::size_t k = 0; k < frames; ++k, in += frame_bytes_) {
      double value = 0.0;
      switch (encoding_) {
        case SampleEncoding::int16:
          value = load_i16(in);
          break;
        case SampleEncoding::int24:
          value = load_i24(in);
          break;
        case SampleEncoding::int32:
          value = load_i32(in);
          break;
        case SampleEncoding::float32:
          value = load_f32(in);
          break;
        case SampleEncoding::float64:
          value = load_f64(in);
          break;
      }
      out[k] = static_cast<float>(route.gain * value + route.offset);
    }
  }
}

Result<std::size_t> FrameStream::read(SampleBuffer& buffer) {
  std::size_t want = buffer.capacity();
  if (frame_count_) {
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, *frame_count_ - frames_read_));
  }
  std::size_t done = 0;
  while (done < want) {
    const std::size_t available = (end_ - begin_) / frame_bytes_;
    if (available > 0) {
      const std::size_t count = std::min(available, want - done);
      decode(pending_.data() + begin_, count, buffer, done);
      begin_ += count * frame_bytes_;
      done += count;
      frames_read_ += count;
      continue;
    }
    if (eof_) break;
    if (begin_ > 0) {
      std::copy(pending_.begin() + static_cast<std::ptrdiff_t>(begin_),
                pending_.begin() + static_cast<std::ptrdiff_t>(end_), pending_.begin());
      end_ -= begin_;
      begin_ = 0;
    }
    std::size_t room = pending_.size() - end_;
    if (bytes_left_) room = static_cast<std::size_t>(std::min<std::uint64_t>(room, *bytes_left_));
    auto got = room == 0 ? Result<std::size_t>(std::size_t{0})
                         : input_.read_some(std::span<std::uint8_t>(pending_).subspan(end_, room));
    if (!got) return got.error();
    if (*got == 0) eof_ = true;
    end_ += *got;
    if (bytes_left_) *bytes_left_ -= *got;
  }
  if (done < want && eof_) {
    const std::uint64_t frame_offset = start_offset_ + frames_read_ * frame_bytes_;
    if (end_ > begin_) {
      return make_error(fmt::format(
          "{}: the data ends inside a frame: the frame at byte offset {} has only {} of its {} "
          "bytes",
          input_.name(), frame_offset, end_ - begin_, frame_bytes_));
    }
    if (frame_count_) {
      return make_error(
          fmt::format("{}: truncated: the data ends at byte offset {} after {} of {} frames",
                      input_.name(), frame_offset, frames_read_, *frame_count_));
    }
  }
  zero_unrouted(buffer, routes_, done);
  buffer.set_count(done);
  return done;
}

}  // namespace gridmeter::metrology::input_detail
