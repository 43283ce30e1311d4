// libFuzzer target: the client's side of the application layer against a rogue meter. The
// input is the server's answers (each a 2-octet big-endian length, then the octets), handed
// to the client one per request while it associates, reads a value (following any blocks),
// reads a list, writes and invokes. Whatever the answers, the client returns a value or an
// error with a message, never loops past the answers it was given, and never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "dlms/client.hpp"

namespace {

namespace dlms = gridmeter::dlms;

void require(bool condition) {
  if (!condition) std::abort();
}

template <typename T>
void check(const gridmeter::Result<T>& result) {
  if (!result) require(!result.error().message.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::vector<std::uint8_t>> answers;
  std::span<const std::uint8_t> rest(data, size);
  while (rest.size() >= 2) {
    const std::size_t length = std::size_t{rest[0]} << 8U | rest[1];
    rest = rest.subspan(2);
    const auto answer = rest.first(std::min(length, rest.size()));
    answers.emplace_back(answer.begin(), answer.end());
    rest = rest.subspan(answer.size());
  }
  std::size_t next = 0;
  dlms::ClientOptions options;
  options.long_answer_octets_max = 1 << 16;
  dlms::Client client(
      [&](std::span<const std::uint8_t>) -> gridmeter::Result<std::vector<std::uint8_t>> {
        if (next >= answers.size()) return gridmeter::make_error("no more answers");
        return answers[next++];
      },
      options);
  const gridmeter::Status opened = client.associate();
  if (!opened) require(!opened.error().message.empty());
  check(client.get({3, gridmeter::Obis{1, 0, 1, 8, 0, 255}, 2}));
  check(client.get_list({{{3, gridmeter::Obis{1, 0, 1, 8, 0, 255}, 2}, std::nullopt}}));
  check(client.set({3, gridmeter::Obis{1, 0, 1, 8, 0, 255}, 2},
                   dlms::Data::octets(std::vector<std::uint8_t>(300, 1))));
  check(client.action({8, gridmeter::Obis{0, 0, 1, 0, 0, 255}, 6}, dlms::Data::integer16(1)));
  (void)client.release();
  require(next <= answers.size());
  return 0;
}
