// What security suite 0 costs per APDU, on one core: the server's share of a ciphered GET is
// unprotecting the glo-get-request and protecting the glo-get-response (AES-GCM-128 with the
// 12-octet tag, through OpenSSL), on top of the plain GET that bench_dlms_get measures.
//
//   build/bench/bench_suite0_cipher
//
// BM_CipheredGetServerSide: unprotect the Green Book's glo-get-request (SC 30, 13-octet GET)
// and protect a 21-octet GET response (double-long-unsigned), one of each per iteration.
// BM_HlsGmac: one f(challenge) of the HLS four-pass authentication. BM_CopyBaseline copies the
// same octets without cryptography, the floor for touching them at all.
#include <benchmark/benchmark.h>

#include <array>    // std::array
#include <cstdint>  // std::uint8_t
#include <vector>   // std::vector

#include "dlms/security_suite0.hpp"

namespace {

namespace dlms = gridmeter::dlms;

constexpr dlms::AesKey ek{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                          0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
constexpr dlms::AesKey ak{0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                          0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
constexpr dlms::SystemTitle client_title{0x4D, 0x4D, 0x4D, 0x00, 0x00, 0x00, 0x00, 0x01};
constexpr dlms::SystemTitle server_title{0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E};
const std::vector<std::uint8_t> get_request{0xC0, 0x01, 0xC1, 0x00, 0x03, 0x01, 0x00,
                                            0x01, 0x08, 0x00, 0xFF, 0x02, 0x00};
const std::vector<std::uint8_t> get_response{0xC4, 0x01, 0xC1, 0x00, 0x06, 0x00, 0x01, 0xE2, 0x40};

void BM_CipheredGetServerSide(benchmark::State& state) {
  dlms::Suite0 client(ek, ak);
  dlms::Suite0 server(ek, ak);
  std::vector<std::uint8_t> content;
  (void)client.protect(dlms::SecurityControl{0x30}, client_title, 1, get_request, content);
  std::vector<std::uint8_t> apdu;
  dlms::encode_service_ciphered(0xC8, content, apdu);
  const auto request = dlms::CipheredApdu::decode(apdu);
  std::vector<std::uint8_t> plain;
  std::vector<std::uint8_t> answer;
  std::uint32_t counter = 0;
  for (auto _ : state) {
    plain.clear();
    answer.clear();
    if (!server.unprotect(*request, client_title, plain)) state.SkipWithError("unprotect");
    if (!server.protect(dlms::SecurityControl{0x30}, server_title, ++counter, get_response,
                        answer)) {
      state.SkipWithError("protect");
    }
    benchmark::DoNotOptimize(answer.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CipheredGetServerSide);

void BM_HlsGmac(benchmark::State& state) {
  dlms::Suite0 suite(ek, ak);
  const std::array<std::uint8_t, 16> challenge{};
  std::vector<std::uint8_t> f;
  for (auto _ : state) {
    f.clear();
    if (!suite.hls_gmac(server_title, 1, challenge, f)) state.SkipWithError("gmac");
    benchmark::DoNotOptimize(f.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HlsGmac);

void BM_CopyBaseline(benchmark::State& state) {
  std::vector<std::uint8_t> out;
  for (auto _ : state) {
    out.assign(get_request.begin(), get_request.end());
    out.insert(out.end(), get_response.begin(), get_response.end());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CopyBaseline);

}  // namespace

BENCHMARK_MAIN();
