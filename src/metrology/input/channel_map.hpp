// Which channel of a recording (COMTRADE analog channel, WAV or raw channel, 0-based) feeds
// which SampleBuffer slot, with an optional multiplier.
//
//   Result<ChannelMap> map = parse_channel_map("u1=0*0.01,i1=1*0.002");
//   map->find(Channel::u1)->source_index == 0;             // scale 0.01
//   infer_connection(*map) == Connection::single_phase_2w;
//
//   // From metadata (COMTRADE ph, ch_id and unit): phase A/B/C/N, L1/L2/L3/N, R/S/T, 1/2/3;
//   // line-to-line pairs such as "AB", "L1-L2", "U12" mean a 3-wire connection.
//   std::vector<ChannelDescriptor> channels = {{"VA", "A", Quantity::voltage},
//                                              {"IA", "A", Quantity::current}};
//   Result<InferredChannels> auto_map = infer_channel_map(channels, std::nullopt, "rec.cfg");
#pragma once

#include <cstddef>      // std::size_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "meter/measurement.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::metrology {

struct ChannelMapEntry {
  Channel slot = Channel::u1;
  std::size_t source_index = 0;  // 0-based channel of the recording
  double scale = 1.0;            // multiplies the reader's value (negative inverts polarity)
  friend bool operator==(const ChannelMapEntry&, const ChannelMapEntry&) = default;
};

struct ChannelMap {
  std::vector<ChannelMapEntry> entries;  // at most one per slot

  [[nodiscard]] const ChannelMapEntry* find(Channel slot) const;
  [[nodiscard]] bool contains(Channel slot) const { return find(slot) != nullptr; }
  friend bool operator==(const ChannelMap&, const ChannelMap&) = default;
};

// Largest source index parse_channel_map accepts.
inline constexpr std::size_t max_source_index = 65535;

// "u1", "u2", "u3", "i1", "i2", "i3", "in".
std::string_view slot_name(Channel slot);
// The names above, case-insensitive; "i_neutral" and "i4" also name the neutral slot.
std::optional<Channel> parse_slot_name(std::string_view name);

// Comma-separated "slot=index[*scale]" entries, blanks around tokens allowed, e.g.
// "u1=0,u2=1,u3=2,i1=3,i2=4,i3=5,in=6" or "u1=0*0.01,i1=1*-0.002". Errors name the entry and
// the character offset: unknown slot, slot given twice, index not a number or above
// max_source_index, scale not a finite non-zero number, empty entries.
Result<ChannelMap> parse_channel_map(std::string_view text);
// The inverse: "u1=0,i1=1*0.002" (scale omitted when 1).
std::string format_channel_map(const ChannelMap& map);

// The connection a map's slots describe: u1..u3 and i1..i3 -> 3p4w; u1, u3, i1, i3 without
// u2 and in (i2 optional) -> 3p3w; u1 and i1 alone (in optional) -> 1p2w.
Result<Connection> infer_connection(const ChannelMap& map);
// Checks that `map` fills the slots `connection` needs (and no voltage slot it leaves unused)
// and that every source index is below `source_channel_count`; errors name `source_name`.
Status check_channel_map(const ChannelMap& map, Connection connection,
                         std::size_t source_channel_count, std::string_view source_name);
// The map used when a WAV or raw input gives none: 2 channels u1,i1; 4 channels u1,u3,i1,i3
// (3-wire, U12 and U32); 6 channels u1,u2,u3,i1,i2,i3; 7 channels those and in.
Result<ChannelMap> default_channel_map(std::size_t channel_count, std::string_view source_name);

// How a WAV or raw input's channels are used: the given map (else the default for the channel
// count) and the given connection (else the one the map implies), checked together.
struct ResolvedChannels {
  ChannelMap map;
  Connection connection = Connection::single_phase_2w;
};
Result<ResolvedChannels> resolve_channels(const std::optional<ChannelMap>& map,
                                          std::optional<Connection> connection,
                                          std::size_t source_channel_count,
                                          const std::string& source_name);

// ---- automatic mapping from channel metadata ----

enum class Quantity { voltage, current, other };

struct ChannelDescriptor {
  std::string id;     // COMTRADE ch_id, e.g. "VA", "IL1", "U12"
  std::string phase;  // COMTRADE ph, e.g. "A", "L1", "N", "AB", "L1-L2"; may be empty
  Quantity quantity = Quantity::other;
};

struct InferredChannels {
  ChannelMap map;
  Connection connection = Connection::single_phase_2w;
};

// Maps voltage and current channels to slots by their phase (from `phase`, else from `id`
// without its leading U/V or I): phase-to-neutral voltages and phase currents to u1..u3 and
// i1..i3, a neutral current to in; line-to-line voltages U12 (or U21 inverted) to u1 and U32 (or
// U23 inverted) to u3. Without any phase names, voltages and currents fill the slots in file
// order. The first channel found for a slot wins. Without `connection`, it is inferred: one
// voltage and one phase current -> 1p2w; three phase voltages and currents -> 3p4w;
// line-to-line voltages only -> 3p3w. Errors name `source_name` and list what is missing.
Result<InferredChannels> infer_channel_map(std::span<const ChannelDescriptor> channels,
                                           std::optional<Connection> connection,
                                           std::string_view source_name);

}  // namespace gridmeter::metrology
