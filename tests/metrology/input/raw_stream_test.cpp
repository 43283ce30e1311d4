#include "metrology/input/raw_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "metrology/input/input_test_util.hpp"
#include "metrology/input/open_input.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::metrology {
namespace {

using input_test::Bytes;
using input_test::read_all;
using input_test::read_error;
using ::testing::HasSubstr;

RawStreamOptions two_channel(RawSampleFormat format) {
  RawStreamOptions options;
  options.format = format;
  options.channel_count = 2;
  options.sample_rate_hz = 8000.0;
  options.scale_factors = {400.0, 100.0};
  options.start_utc_us = 5'000'000;
  return options;
}

TEST(RawStream, ReadsInt16) {
  Bytes bytes;
  for (int v : {16384, -8192, -32768, 4096})
    input_test::put_i16(bytes, static_cast<std::int16_t>(v));
  auto raw = open_raw_memory(bytes, "raw", two_channel(RawSampleFormat::int16));
  ASSERT_TRUE(raw) << raw.error().message;
  const StreamInfo& info = (*raw)->info();
  EXPECT_EQ(info.sample_rate_hz, 8000.0);
  EXPECT_EQ(info.connection, Connection::single_phase_2w);
  EXPECT_EQ(info.start_utc_us, 5'000'000);
  EXPECT_EQ(info.description, "raw");
  const auto all = read_all(**raw);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{200.0F, -400.0F}));
  EXPECT_EQ(all[Channel::i1], (std::vector<float>{-25.0F, 12.5F}));
}

TEST(RawStream, ReadsInt32AndFloat32) {
  Bytes ints;
  for (std::int32_t v : {1 << 30, -(1 << 28)})
    input_test::put_i32(ints, v);
  auto raw32 = open_raw_memory(ints, "raw", two_channel(RawSampleFormat::int32));
  ASSERT_TRUE(raw32) << raw32.error().message;
  auto all = read_all(**raw32);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{200.0F}));
  EXPECT_EQ(all[Channel::i1], (std::vector<float>{-12.5F}));

  Bytes floats;
  for (float v : {0.5F, -0.25F, 1.0F, 0.0F})
    input_test::put_f32(floats, v);
  auto rawf = open_raw_memory(floats, "raw", two_channel(RawSampleFormat::float32));
  ASSERT_TRUE(rawf) << rawf.error().message;
  all = read_all(**rawf);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{200.0F, 400.0F}));
  EXPECT_EQ(all[Channel::i1], (std::vector<float>{-25.0F, 0.0F}));
}

Bytes ramp(std::size_t frames, std::size_t channels) {
  Bytes bytes;
  for (std::size_t k = 0; k < frames; ++k) {
    for (std::size_t c = 0; c < channels; ++c)
      input_test::put_i32(bytes, static_cast<std::int32_t>(k * 1000 + c) * 997);
  }
  return bytes;
}

TEST(RawStream, ChunkedReadsMatchOneRead) {
  constexpr std::size_t frames = 2000;
  RawStreamOptions options;
  options.format = RawSampleFormat::int32;
  options.channel_count = 7;
  options.sample_rate_hz = 25600.0;
  options.scale_factors = std::vector<double>(7, 1000.0);
  const Bytes bytes = ramp(frames, 7);

  options.read_chunk_bytes = bytes.size();
  auto whole = open_raw_memory(bytes, "whole", options);
  ASSERT_TRUE(whole) << whole.error().message;
  const auto one = read_all(**whole, frames + 10);
  ASSERT_EQ(one.count, frames);
  EXPECT_EQ((*whole)->info().connection, Connection::three_phase_4w);
  EXPECT_TRUE((*whole)->info().has_neutral_current);

  for (const auto& [chunk, capacity] : std::vector<std::pair<std::size_t, std::size_t>>{
           {1, 1}, {3, 7}, {29, 64}, {28 * 5 + 3, 333}, {4096, 4096}}) {
    options.read_chunk_bytes = chunk;
    auto pieces = open_raw_memory(bytes, "pieces", options);
    ASSERT_TRUE(pieces) << pieces.error().message;
    const auto many = read_all(**pieces, capacity);
    ASSERT_EQ(many.count, frames) << chunk;
    for (std::size_t slot = 0; slot < channel_count; ++slot)
      ASSERT_EQ(many.slots[slot], one.slots[slot]) << "chunk " << chunk << " slot " << slot;
  }
  EXPECT_FLOAT_EQ(one[Channel::i_neutral][3],
                  static_cast<float>((3 * 1000 + 6) * 997 * 1000.0 / 2147483648.0));
}

TEST(RawStream, RejectsPartialFrameAtEnd) {
  Bytes bytes = ramp(10, 2);
  bytes.resize(bytes.size() - 3);  // the tenth frame has 5 of its 8 bytes
  RawStreamOptions options = two_channel(RawSampleFormat::int32);
  options.read_chunk_bytes = 16;
  auto raw = open_raw_memory(bytes, "stdin", options);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(read_error(**raw, 4),
            "stdin: the data ends inside a frame: the frame at byte offset 72 has only 5 of its 8 "
            "bytes");
}

TEST(RawStream, ReadsFromPipeAndStdioStream) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const Bytes bytes = ramp(500, 2);
  std::thread writer([&] {
    // Dribble the bytes in odd pieces, as a live feed would.
    for (std::size_t at = 0; at < bytes.size();) {
      const std::size_t piece = std::min<std::size_t>(13, bytes.size() - at);
      ASSERT_EQ(::write(fds[1], bytes.data() + at, piece), static_cast<ssize_t>(piece));
      at += piece;
    }
    ::close(fds[1]);
  });
  RawStreamOptions options = two_channel(RawSampleFormat::int32);
  auto piped = open_raw_fd(fds[0], "pipe", options);
  ASSERT_TRUE(piped) << piped.error().message;
  const auto from_pipe = read_all(**piped, 128);
  writer.join();
  ::close(fds[0]);
  EXPECT_EQ(from_pipe.count, 500U);

  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), file), bytes.size());
  std::rewind(file);
  auto stdio = open_raw_file(file, "tmpfile", options);
  ASSERT_TRUE(stdio) << stdio.error().message;
  const auto from_file = read_all(**stdio, 77);
  std::fclose(file);
  EXPECT_EQ(from_file.slots, from_pipe.slots);
}

TEST(RawStream, RejectsBadOptions) {
  const auto error = [](const RawStreamOptions& options) {
    auto raw = open_raw_memory({}, "adc", options);
    EXPECT_FALSE(raw);
    return raw ? std::string() : raw.error().message;
  };
  RawStreamOptions options = two_channel(RawSampleFormat::int16);
  options.channel_count = 0;
  EXPECT_THAT(error(options), HasSubstr("adc: channel count 0 is not 1..64"));
  options = two_channel(RawSampleFormat::int16);
  options.sample_rate_hz = 0.0;
  EXPECT_THAT(error(options), HasSubstr("adc: sample rate 0 Hz is outside"));
  options.sample_rate_hz = -8000.0;
  EXPECT_THAT(error(options), HasSubstr("sample rate -8000 Hz"));
  options.sample_rate_hz = 10e6;
  EXPECT_THAT(error(options), HasSubstr("sample rate 10000000 Hz"));
  options = two_channel(RawSampleFormat::int16);
  options.channel_map = *parse_channel_map("u1=0,u2=1");
  EXPECT_THAT(error(options), HasSubstr("fits no connection"));
  options.connection = Connection::three_phase_4w;
  EXPECT_THAT(error(options), HasSubstr("the 3p4w connection needs slot(s) u3, i1, i2, i3"));
}

TEST(RawStream, ParsesSampleFormats) {
  EXPECT_EQ(*parse_raw_sample_format("S16LE"), RawSampleFormat::int16);
  EXPECT_EQ(*parse_raw_sample_format("int32"), RawSampleFormat::int32);
  EXPECT_EQ(*parse_raw_sample_format("f32"), RawSampleFormat::float32);
  auto bad = parse_raw_sample_format("u8");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("\"u8\" is not int16, int32 or float32"));
}

TEST(RawStream, OpensThroughOpenInput) {
  gridmeter::testing::TempDir dir;
  Bytes bytes;
  for (float v : {0.5F, 0.25F})
    input_test::put_f32(bytes, v);
  input_test::write_file(dir.file("feed.raw"), bytes);
  InputOptions options;
  options.path = dir.file("feed.raw");
  options.sample_format = RawSampleFormat::float32;
  options.channel_count = 2;
  options.sample_rate_hz = 4000.0;
  options.channel_map = "u1=1*2,i1=0";
  auto input = open_input(options);
  ASSERT_TRUE(input) << input.error().message;
  const auto all = read_all(**input);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{0.5F}));
  EXPECT_EQ(all[Channel::i1], (std::vector<float>{0.5F}));

  options.sample_rate_hz = 0.0;
  auto no_rate = open_input(options);
  ASSERT_FALSE(no_rate);
  EXPECT_THAT(no_rate.error().message, HasSubstr("sample rate 0 Hz"));
}

}  // namespace
}  // namespace gridmeter::metrology
