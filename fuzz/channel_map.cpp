// libFuzzer target: channel maps. Mode byte 0: parse_channel_map on the text; an accepted map
// must format and reparse to the same map. Otherwise the text is channel metadata, one channel a
// line "Q,id,phase" (Q = V voltage, A current, else other): a map infer_channel_map accepts must
// pass check_channel_map for the connection it chose.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrology/input/channel_map.hpp"

namespace {

namespace gm = gridmeter::metrology;

void check_text(std::string_view text) {
  auto map = gm::parse_channel_map(text);
  if (!map) return;
  auto again = gm::parse_channel_map(gm::format_channel_map(*map));
  if (!again || !(*again == *map)) std::abort();
  auto connection = gm::infer_connection(*map);
  if (connection && !gm::check_channel_map(*map, *connection, gm::max_source_index + 1, "fuzz"))
    std::abort();
}

void check_metadata(std::string_view text) {
  std::vector<gm::ChannelDescriptor> channels;
  while (!text.empty() && channels.size() < 256) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    gm::ChannelDescriptor channel;
    if (!line.empty()) {
      channel.quantity = line[0] == 'V'   ? gm::Quantity::voltage
                         : line[0] == 'A' ? gm::Quantity::current
                                          : gm::Quantity::other;
      line.remove_prefix(1);
    }
    const std::size_t comma = line.find(',');
    channel.id = std::string(line.substr(0, comma));
    if (comma != std::string_view::npos) channel.phase = std::string(line.substr(comma + 1));
    channels.push_back(std::move(channel));
  }
  for (const std::optional<gridmeter::Connection> connection :
       {std::optional<gridmeter::Connection>(),
        std::optional(gridmeter::Connection::single_phase_2w),
        std::optional(gridmeter::Connection::three_phase_4w),
        std::optional(gridmeter::Connection::three_phase_3w)}) {
    auto inferred = gm::infer_channel_map(channels, connection, "fuzz");
    if (!inferred) continue;
    if (connection && inferred->connection != *connection) std::abort();
    if (!gm::check_channel_map(inferred->map, inferred->connection, channels.size(), "fuzz"))
      std::abort();
    for (const gm::ChannelMapEntry& entry : inferred->map.entries) {
      if (channels[entry.source_index].quantity == gm::Quantity::other) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    check_text(text);
  } else {
    check_metadata(text);
  }
  return 0;
}
