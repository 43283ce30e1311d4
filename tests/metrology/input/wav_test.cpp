#include "metrology/input/wav.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "metrology/input/input_test_util.hpp"
#include "metrology/input/open_input.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::metrology {
namespace {

using input_test::Bytes;
using input_test::put_text;
using input_test::put_u16;
using input_test::put_u32;
using input_test::read_all;
using input_test::read_error;
using ::testing::HasSubstr;

struct WavSpec {
  std::uint16_t tag = 1;
  std::uint16_t channels = 2;
  std::uint32_t rate = 8000;
  std::uint16_t bits = 16;
  bool extensible = false;
  std::uint16_t sub_tag = 1;
  bool list_before = false;                               // an odd-sized LIST chunk before fmt
  bool list_after = false;                                // a chunk after data
  std::optional<std::uint32_t> data_size = std::nullopt;  // else the true size
  std::optional<std::uint16_t> block_align = std::nullopt;
};

Bytes make_wav(const WavSpec& spec, const Bytes& samples) {
  Bytes body;
  put_text(body, "WAVE");
  if (spec.list_before) {
    put_text(body, "LIST");
    put_u32(body, 5);
    put_text(body, "INFOx");
    body.push_back(0);  // pad byte
  }
  put_text(body, "fmt ");
  put_u32(body, spec.extensible ? 40 : 16);
  put_u16(body, spec.extensible ? 0xFFFE : spec.tag);
  put_u16(body, spec.channels);
  put_u32(body, spec.rate);
  const auto align =
      spec.block_align.value_or(static_cast<std::uint16_t>(spec.channels * spec.bits / 8));
  put_u32(body, spec.rate * align);
  put_u16(body, align);
  put_u16(body, spec.bits);
  if (spec.extensible) {
    put_u16(body, 22);
    put_u16(body, spec.bits);
    put_u32(body, 0);
    put_u16(body, spec.sub_tag);
    for (int b :
         {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
      body.push_back(static_cast<std::uint8_t>(b));
  }
  put_text(body, "data");
  put_u32(body, spec.data_size.value_or(static_cast<std::uint32_t>(samples.size())));
  body.insert(body.end(), samples.begin(), samples.end());
  if (spec.list_after) {
    if (samples.size() % 2 != 0) body.push_back(0);
    put_text(body, "LIST");
    put_u32(body, 4);
    put_text(body, "INFO");
  }
  Bytes file;
  put_text(file, "RIFF");
  put_u32(file, static_cast<std::uint32_t>(body.size()));
  file.insert(file.end(), body.begin(), body.end());
  return file;
}

Bytes pcm16(std::initializer_list<std::int16_t> values) {
  Bytes out;
  for (std::int16_t v : values)
    input_test::put_i16(out, v);
  return out;
}

WavOptions scaled(std::vector<double> factors) {
  WavOptions options;
  options.scale_factors = std::move(factors);
  options.start_utc_us = 1'700'000'000'000'000;
  options.nominal_frequency_hz = 60.0;
  return options;
}

TEST(Wav, ReadsPcm16WithScaleFactors) {
  const Bytes file = make_wav({}, pcm16({16384, -8192, -32768, 32767, 0, 4096}));
  auto wav = open_wav_memory(file, "a.wav", scaled({400.0, 100.0}));
  ASSERT_TRUE(wav) << wav.error().message;
  const StreamInfo& info = (*wav)->info();
  EXPECT_EQ(info.sample_rate_hz, 8000.0);
  EXPECT_EQ(info.nominal_frequency_hz, 60.0);
  EXPECT_EQ(info.start_utc_us, 1'700'000'000'000'000);
  EXPECT_EQ(info.connection, Connection::single_phase_2w);
  EXPECT_EQ((*wav)->format().frame_count, 3U);
  EXPECT_EQ((*wav)->format().sample_type, WavSampleType::pcm16);
  const auto all = read_all(**wav);
  ASSERT_EQ(all.count, 3U);
  EXPECT_EQ(all[Channel::u1], (std::vector<float>{200.0F, -400.0F, 0.0F}));
  EXPECT_EQ(all[Channel::i1],
            (std::vector<float>{-25.0F, static_cast<float>(100.0 * 32767 / 32768), 12.5F}));
  EXPECT_EQ(all[Channel::u2], (std::vector<float>(3, 0.0F)));
}

TEST(Wav, ReadsPcm32AndPcm24) {
  Bytes samples;
  input_test::put_i32(samples, 1 << 30);
  input_test::put_i32(samples, -(1 << 29));
  const Bytes file32 = make_wav({.bits = 32}, samples);
  auto wav32 = open_wav_memory(file32, "b.wav", scaled({325.0, 80.0}));
  ASSERT_TRUE(wav32) << wav32.error().message;
  auto all = read_all(**wav32);
  ASSERT_EQ(all.count, 1U);
  EXPECT_EQ(all[Channel::u1][0], 162.5F);
  EXPECT_EQ(all[Channel::i1][0], -20.0F);

  samples.clear();
  input_test::put_i24(samples, 1 << 22);
  input_test::put_i24(samples, -(1 << 23));
  auto wav24 = open_wav_memory(make_wav({.bits = 24}, samples), "c.wav", scaled({325.0, 80.0}));
  ASSERT_TRUE(wav24) << wav24.error().message;
  all = read_all(**wav24);
  EXPECT_EQ(all[Channel::u1][0], 162.5F);
  EXPECT_EQ(all[Channel::i1][0], -80.0F);
}

TEST(Wav, ReadsFloat32AndFloat64) {
  Bytes samples;
  input_test::put_f32(samples, 0.25F);
  input_test::put_f32(samples, -1.5F);
  auto wav =
      open_wav_memory(make_wav({.tag = 3, .bits = 32}, samples), "f.wav", scaled({400.0, 10.0}));
  ASSERT_TRUE(wav) << wav.error().message;
  auto all = read_all(**wav);
  EXPECT_EQ(all[Channel::u1][0], 100.0F);
  EXPECT_EQ(all[Channel::i1][0], -15.0F);

  samples.clear();
  input_test::put_f64(samples, 0.5);
  input_test::put_f64(samples, 0.125);
  auto wav64 = open_wav_memory(make_wav({.tag = 3, .bits = 64}, samples), "d.wav", {});
  ASSERT_TRUE(wav64) << wav64.error().message;
  all = read_all(**wav64);
  EXPECT_EQ(all[Channel::u1][0], 0.5F);
  EXPECT_EQ(all[Channel::i1][0], 0.125F);
}

TEST(Wav, ReadsExtensibleFormats) {
  auto pcm = open_wav_memory(make_wav({.extensible = true}, pcm16({8192, -16384})), "e.wav",
                             scaled({4.0, 2.0}));
  ASSERT_TRUE(pcm) << pcm.error().message;
  auto all = read_all(**pcm);
  EXPECT_EQ(all[Channel::u1][0], 1.0F);
  EXPECT_EQ(all[Channel::i1][0], -1.0F);

  Bytes samples;
  input_test::put_f32(samples, 0.75F);
  input_test::put_f32(samples, 0.5F);
  auto flt = open_wav_memory(make_wav({.bits = 32, .extensible = true, .sub_tag = 3}, samples),
                             "e.wav", scaled({2.0, 3.0}));
  ASSERT_TRUE(flt) << flt.error().message;
  all = read_all(**flt);
  EXPECT_EQ(all[Channel::u1][0], 1.5F);
  EXPECT_EQ(all[Channel::i1][0], 1.5F);
}

TEST(Wav, SkipsUnknownChunksWithPadding) {
  const Bytes file =
      make_wav({.channels = 1, .list_before = true, .list_after = true}, pcm16({100, 200, 300}));
  WavOptions options;
  options.channel_map = *parse_channel_map("u1=0,i1=0*0.5");
  auto wav = open_wav_memory(file, "odd.wav", options);
  ASSERT_TRUE(wav) << wav.error().message;
  const auto all = read_all(**wav);
  ASSERT_EQ(all.count, 3U);  // the chunk after data is not read as samples
  EXPECT_EQ(all[Channel::u1][2], 300.0F / 32768.0F);
  EXPECT_EQ(all[Channel::i1][2], 150.0F / 32768.0F);
}

TEST(Wav, MapsSevenChannelsAndReadsAcrossBuffers) {
  Bytes samples;
  constexpr std::size_t frames = 1000;
  for (std::size_t k = 0; k < frames; ++k) {
    for (std::size_t c = 0; c < 7; ++c)
      input_test::put_i16(samples, static_cast<std::int16_t>(k * 7 + c));
  }
  gridmeter::testing::TempDir dir;
  input_test::write_file(dir.file("seven.wav"), make_wav({.channels = 7, .rate = 48000}, samples));
  WavOptions options;
  options.scale_factors = std::vector<double>(7, 32768.0);
  auto wav = open_wav(dir.file("seven.wav"), options);
  ASSERT_TRUE(wav) << wav.error().message;
  EXPECT_EQ((*wav)->info().connection, Connection::three_phase_4w);
  EXPECT_TRUE((*wav)->info().has_neutral_current);
  const auto all = read_all(**wav, 333);
  ASSERT_EQ(all.count, frames);
  for (std::size_t k = 0; k < frames; ++k) {
    for (std::size_t c = 0; c < 7; ++c)
      ASSERT_EQ(all.slots[c][k], static_cast<float>(k * 7 + c)) << k << " " << c;
  }
}

std::string open_error(const Bytes& file, const WavOptions& options = {}) {
  auto wav = open_wav_memory(file, "bad.wav", options);
  EXPECT_FALSE(wav);
  return wav ? std::string() : wav.error().message;
}

TEST(Wav, RejectsMalformedFiles) {
  const Bytes good = make_wav({}, pcm16({1, 2, 3, 4}));
  // Truncated: the data chunk claims more than the file holds.
  Bytes cut = good;
  cut.resize(cut.size() - 3);
  EXPECT_THAT(open_error(cut),
              HasSubstr("bad.wav byte offset 36: truncated \"data\" chunk: it claims 8 bytes but "
                        "only 5 follow"));
  EXPECT_THAT(open_error(make_wav({.data_size = 0xFFFFFFF0U}, pcm16({1, 2}))),
              HasSubstr("truncated \"data\" chunk"));
  EXPECT_THAT(open_error(Bytes(good.begin(), good.begin() + 30)),
              HasSubstr("bad.wav byte offset 12: truncated \"fmt \" chunk"));
  EXPECT_THAT(open_error(Bytes(good.begin(), good.begin() + 8)),
              HasSubstr("bad.wav byte offset 0: 8 bytes, too short"));
  EXPECT_THAT(open_error(make_wav({.tag = 2}, pcm16({1, 2}))),
              HasSubstr("format tag 0x0002 is not supported"));
  EXPECT_THAT(open_error(make_wav({.bits = 8}, pcm16({1}))),
              HasSubstr("PCM with 8 bits per sample is not supported"));
  EXPECT_THAT(open_error(make_wav({.tag = 3, .bits = 16}, pcm16({1, 2}))),
              HasSubstr("IEEE float with 16 bits"));
  EXPECT_THAT(open_error(make_wav({.channels = 0}, {})),
              HasSubstr("bad.wav byte offset 22: 0 channels"));
  EXPECT_THAT(open_error(make_wav({.channels = 17}, {})), HasSubstr("17 channels, at most 16"));
  EXPECT_THAT(open_error(make_wav({.rate = 999}, pcm16({1, 2}))),
              HasSubstr("bad.wav byte offset 24: sample rate 999 Hz is outside"));
  EXPECT_THAT(open_error(make_wav({.rate = 2'000'000}, pcm16({1, 2}))),
              HasSubstr("sample rate 2000000 Hz is outside"));
  EXPECT_THAT(open_error(make_wav({.rate = 0}, pcm16({1, 2}))), HasSubstr("sample rate 0 Hz"));
  EXPECT_THAT(open_error(make_wav({.block_align = 3}, pcm16({1, 2}))),
              HasSubstr("block align 3 bytes, expected 4"));
  EXPECT_THAT(open_error(make_wav({}, pcm16({1, 2, 3}))),
              HasSubstr("data chunk of 6 bytes is not a whole number of 4-byte frames"));
  Bytes guid = make_wav({.extensible = true}, pcm16({1, 2}));
  guid[12 + 8 + 24 + 5] ^= 0xFFU;  // a byte of the GUID tail
  EXPECT_THAT(open_error(guid), HasSubstr("sub-format GUID"));
  Bytes not_riff = good;
  not_riff[0] = 'X';
  EXPECT_THAT(open_error(not_riff), HasSubstr("not a RIFF WAVE file"));
  Bytes rf64 = good;
  std::copy_n("RF64", 4, rf64.begin());
  EXPECT_THAT(open_error(rf64), HasSubstr("RF64"));
  // fmt after data.
  Bytes swapped;
  put_text(swapped, "RIFF");
  put_u32(swapped, 4 + 8 + 4);
  put_text(swapped, "WAVEdata");
  put_u32(swapped, 4);
  put_u32(swapped, 0);
  EXPECT_THAT(open_error(swapped), HasSubstr("bad.wav byte offset 12: data chunk before the fmt"));
  // No data chunk at all.
  Bytes only_fmt(good.begin(), good.begin() + 36);
  EXPECT_THAT(open_error(only_fmt), HasSubstr("no data chunk"));
}

TEST(Wav, RejectsChannelMapProblems) {
  const Bytes three = make_wav({.channels = 3}, pcm16({1, 2, 3}));
  EXPECT_THAT(open_error(three), HasSubstr("no default channel map for 3 channels"));
  WavOptions options;
  options.channel_map = *parse_channel_map("u1=0,i1=3");
  EXPECT_THAT(open_error(three, options), HasSubstr("sends channel 3 to i1, but the input has 3"));
  options.channel_map = *parse_channel_map("u1=0,i1=1");
  options.scale_factors = {1, 2, 3, 4};
  EXPECT_THAT(open_error(three, options), HasSubstr("4 scale factors for 3 channels"));
}

TEST(Wav, ReportsMissingFiles) {
  gridmeter::testing::TempDir dir;
  auto wav = open_wav(dir.file("none.wav"), {});
  ASSERT_FALSE(wav);
  EXPECT_THAT(wav.error().message, HasSubstr(dir.file("none.wav") + ": cannot open"));
}

TEST(Wav, OpensThroughOpenInput) {
  gridmeter::testing::TempDir dir;
  input_test::write_file(dir.file("x.WAV"), make_wav({}, pcm16({16384, 16384})));
  InputOptions options;
  options.path = dir.file("x.WAV");
  options.scale_factors = {2.0, 4.0};
  options.start_utc_us = 42;
  auto input = open_input(options);
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ((*input)->info().start_utc_us, 42);
  const auto all = read_all(**input);
  EXPECT_EQ(all[Channel::u1][0], 1.0F);
  EXPECT_EQ(all[Channel::i1][0], 2.0F);
}

}  // namespace
}  // namespace gridmeter::metrology
