#include "metrology/input/channel_map.hpp"

#include <fmt/format.h>

#include <array>    // std::array
#include <cctype>   // std::toupper
#include <utility>  // std::pair

#include "metrology/input/input_support.hpp"

namespace gridmeter::metrology {
namespace {

using input_detail::parse_real;
using input_detail::quote;
using input_detail::trim;

constexpr std::array<std::string_view, channel_count> slot_names = {"u1", "u2", "u3", "i1",
                                                                    "i2", "i3", "in"};

std::size_t slot_index(Channel slot) { return static_cast<std::size_t>(slot); }

// ---- phase names ----

enum class TagKind { none, phase, neutral, line_to_line };

struct PhaseTag {
  TagKind kind = TagKind::none;
  int from = 0;  // phase 1..3 (phase, line_to_line)
  int to = 0;    // phase 1..3 (line_to_line)
};

// Upper case without blanks and separators: "l1 - l2" -> "L1L2".
std::string normalise(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '_' || c == '/' || c == '.' || c == ':' || c == '\t') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// 1..3 for a phase name, 0 for the neutral, -1 otherwise.
int phase_token(std::string_view t) {
  if (t == "A" || t == "L1" || t == "R" || t == "1") return 1;
  if (t == "B" || t == "L2" || t == "S" || t == "2") return 2;
  if (t == "C" || t == "L3" || t == "T" || t == "3") return 3;
  if (t == "N" || t == "NEUTRAL") return 0;
  return -1;
}

PhaseTag classify(std::string_view text) {
  const std::string s = normalise(text);
  if (s.empty()) return {};
  const int single = phase_token(s);
  if (single == 0) return {TagKind::neutral, 0, 0};
  if (single > 0) return {TagKind::phase, single, 0};
  // Phase to neutral: "AN", "L1N".
  if (s.size() > 1 && s.back() == 'N') {
    const int phase = phase_token(std::string_view(s).substr(0, s.size() - 1));
    if (phase > 0) return {TagKind::phase, phase, 0};
  }
  // Line to line: "AB", "L1L2", "12", "RS".
  for (std::size_t cut = 1; cut < s.size(); ++cut) {
    const int from = phase_token(std::string_view(s).substr(0, cut));
    const int to = phase_token(std::string_view(s).substr(cut));
    if (from > 0 && to > 0 && from != to) return {TagKind::line_to_line, from, to};
  }
  return {};
}

PhaseTag classify_channel(const ChannelDescriptor& channel) {
  PhaseTag tag = classify(channel.phase);
  if (tag.kind != TagKind::none) return tag;
  const std::string id = normalise(channel.id);
  const bool prefixed = !id.empty() && (channel.quantity == Quantity::voltage
                                            ? (id.front() == 'U' || id.front() == 'V')
                                            : id.front() == 'I');
  if (prefixed) {
    tag = classify(std::string_view(id).substr(1));
    if (tag.kind != TagKind::none) return tag;
  }
  return classify(id);
}

struct Candidate {
  std::size_t index = 0;
  PhaseTag tag;
};

std::string describe(std::span<const ChannelDescriptor> channels,
                     const std::vector<Candidate>& candidates) {
  std::string text;
  for (const Candidate& candidate : candidates) {
    if (!text.empty()) text += ", ";
    const ChannelDescriptor& channel = channels[candidate.index];
    text += fmt::format("{} {}", candidate.index, quote(channel.id));
    if (!channel.phase.empty()) text += fmt::format(" ph {}", quote(channel.phase));
  }
  return text.empty() ? "none" : text;
}

class MapBuilder {
 public:
  void add(Channel slot, std::size_t source, double scale = 1.0) {
    map_.entries.push_back({slot, source, scale});
  }
  [[nodiscard]] bool has(Channel slot) const { return map_.contains(slot); }
  ChannelMap take() { return std::move(map_); }

 private:
  ChannelMap map_;
};

std::string missing_list(const std::vector<std::string>& missing) {
  std::string text;
  for (const std::string& item : missing)
    text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

const ChannelMapEntry* ChannelMap::find(Channel slot) const {
  for (const ChannelMapEntry& entry : entries) {
    if (entry.slot == slot) return &entry;
  }
  return nullptr;
}

std::string_view slot_name(Channel slot) {
  const std::size_t index = slot_index(slot);
  return index < slot_names.size() ? slot_names[index] : "?";
}

std::optional<Channel> parse_slot_name(std::string_view name) {
  for (std::size_t i = 0; i < slot_names.size(); ++i) {
    if (input_detail::iequals(name, slot_names[i])) return static_cast<Channel>(i);
  }
  if (input_detail::iequals(name, "i_neutral") || input_detail::iequals(name, "i4"))
    return Channel::i_neutral;
  return std::nullopt;
}

Result<ChannelMap> parse_channel_map(std::string_view text) {
  if (trim(text).empty()) return make_error("channel map: empty (expected e.g. \"u1=0,i1=1\")");
  ChannelMap map;
  std::size_t offset = 0;
  std::size_t number = 0;
  for (;;) {
    const std::size_t comma = text.find(',', offset);
    const std::string_view entry = text.substr(
        offset, comma == std::string_view::npos ? std::string_view::npos : comma - offset);
    ++number;
    const auto fail = [&](const std::string& what) {
      return make_error(fmt::format("channel map {}: entry {} {} at character {}: {}", quote(text),
                                    number, quote(entry), offset, what));
    };
    if (trim(entry).empty()) return fail("empty entry");
    const std::size_t equals = entry.find('=');
    if (equals == std::string_view::npos) return fail("expected slot=index[*scale]");
    const std::string_view name = trim(entry.substr(0, equals));
    const auto slot = parse_slot_name(name);
    if (!slot) {
      return fail(
          fmt::format("unknown slot {} (expected u1, u2, u3, i1, i2, i3 or in)", quote(name)));
    }
    if (map.contains(*slot)) return fail(fmt::format("slot {} given twice", slot_name(*slot)));
    std::string_view rest = entry.substr(equals + 1);
    std::string_view scale_text;
    const std::size_t star = rest.find('*');
    if (star != std::string_view::npos) {
      scale_text = rest.substr(star + 1);
      rest = rest.substr(0, star);
    }
    const std::string_view index_text = trim(rest);
    const bool digits =
        !index_text.empty() && index_text.find_first_not_of("0123456789") == std::string_view::npos;
    const auto index = digits ? input_detail::parse_integer(index_text) : std::nullopt;
    if (!index || *index > static_cast<std::int64_t>(max_source_index)) {
      return fail(fmt::format("source channel {} is not a number 0..{}", quote(index_text),
                              max_source_index));
    }
    double scale = 1.0;
    if (star != std::string_view::npos) {
      const auto parsed = parse_real(scale_text);
      if (!parsed || *parsed == 0.0) {
        return fail(
            fmt::format("scale {} is not a finite non-zero number", quote(trim(scale_text))));
      }
      scale = *parsed;
    }
    map.entries.push_back({*slot, static_cast<std::size_t>(*index), scale});
    if (comma == std::string_view::npos) break;
    offset = comma + 1;
  }
  return map;
}

std::string format_channel_map(const ChannelMap& map) {
  std::string text;
  for (const ChannelMapEntry& entry : map.entries) {
    if (!text.empty()) text += ',';
    text += fmt::format("{}={}", slot_name(entry.slot), entry.source_index);
    if (entry.scale != 1.0) text += fmt::format("*{}", entry.scale);
  }
  return text;
}

Result<Connection> infer_connection(const ChannelMap& map) {
  const auto has = [&](Channel slot) { return map.contains(slot); };
  const bool all_phases = has(Channel::u1) && has(Channel::u2) && has(Channel::u3) &&
                          has(Channel::i1) && has(Channel::i2) && has(Channel::i3);
  if (all_phases) return Connection::three_phase_4w;
  if (has(Channel::u1) && has(Channel::u3) && has(Channel::i1) && has(Channel::i3) &&
      !has(Channel::u2) && !has(Channel::i_neutral))
    return Connection::three_phase_3w;
  if (has(Channel::u1) && has(Channel::i1) && !has(Channel::u2) && !has(Channel::u3) &&
      !has(Channel::i2) && !has(Channel::i3))
    return Connection::single_phase_2w;
  return make_error(fmt::format(
      "channel map \"{}\" fits no connection: map u1,i1 (1p2w), u1,u2,u3,i1,i2,i3 (3p4w) or "
      "u1,u3,i1,i3 (3p3w)",
      format_channel_map(map)));
}

Status check_channel_map(const ChannelMap& map, Connection connection,
                         std::size_t source_channel_count, std::string_view source_name) {
  std::array<bool, channel_count> seen{};
  for (const ChannelMapEntry& entry : map.entries) {
    const std::size_t slot = slot_index(entry.slot);
    if (slot >= channel_count) {
      return make_error(fmt::format("{}: channel map names an invalid slot", source_name));
    }
    if (seen[slot]) {
      return make_error(
          fmt::format("{}: channel map fills slot {} twice", source_name, slot_name(entry.slot)));
    }
    seen[slot] = true;
    if (entry.source_index >= source_channel_count) {
      return make_error(fmt::format(
          "{}: channel map sends channel {} to {}, but the input has {} channels (0..{})",
          source_name, entry.source_index, slot_name(entry.slot), source_channel_count,
          source_channel_count == 0 ? 0 : source_channel_count - 1));
    }
  }
  std::vector<Channel> required;
  std::vector<Channel> forbidden;
  switch (connection) {
    case Connection::single_phase_2w:
      required = {Channel::u1, Channel::i1};
      forbidden = {Channel::u2, Channel::u3, Channel::i2, Channel::i3};
      break;
    case Connection::three_phase_4w:
      required = {Channel::u1, Channel::u2, Channel::u3, Channel::i1, Channel::i2, Channel::i3};
      break;
    case Connection::three_phase_3w:
      required = {Channel::u1, Channel::u3, Channel::i1, Channel::i3};
      forbidden = {Channel::u2, Channel::i_neutral};
      break;
  }
  std::vector<std::string> missing;
  for (Channel slot : required) {
    if (!seen[slot_index(slot)]) missing.emplace_back(slot_name(slot));
  }
  if (!missing.empty()) {
    return make_error(fmt::format("{}: the {} connection needs slot(s) {} in the channel map",
                                  source_name, connection_name(connection), missing_list(missing)));
  }
  for (Channel slot : forbidden) {
    if (seen[slot_index(slot)]) {
      return make_error(fmt::format("{}: the {} connection does not use slot {}", source_name,
                                    connection_name(connection), slot_name(slot)));
    }
  }
  return {};
}

Result<ChannelMap> default_channel_map(std::size_t channel_count_in, std::string_view source_name) {
  const char* text = nullptr;
  switch (channel_count_in) {
    case 2:
      text = "u1=0,i1=1";
      break;
    case 4:
      text = "u1=0,u3=1,i1=2,i3=3";
      break;
    case 6:
      text = "u1=0,u2=1,u3=2,i1=3,i2=4,i3=5";
      break;
    case 7:
      text = "u1=0,u2=1,u3=2,i1=3,i2=4,i3=5,in=6";
      break;
    default:
      return make_error(fmt::format(
          "{}: no default channel map for {} channels (defaults exist for 2, 4, 6 and 7); give "
          "one, e.g. \"u1=0,i1=1\"",
          source_name, channel_count_in));
  }
  return parse_channel_map(text);
}

Result<InferredChannels> infer_channel_map(std::span<const ChannelDescriptor> channels,
                                           std::optional<Connection> connection,
                                           std::string_view source_name) {
  std::vector<Candidate> voltages;
  std::vector<Candidate> currents;
  bool any_tagged = false;
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (channels[i].quantity == Quantity::other) continue;
    const PhaseTag tag = classify_channel(channels[i]);
    any_tagged = any_tagged || tag.kind != TagKind::none;
    (channels[i].quantity == Quantity::voltage ? voltages : currents).push_back({i, tag});
  }
  const auto cannot = [&](const std::string& why) {
    return make_error(fmt::format(
        "{}: {} (voltage channels: {}; current channels: {}); name the connection or give a "
        "channel map such as \"u1=0,i1=1\"",
        source_name, why, describe(channels, voltages), describe(channels, currents)));
  };

  MapBuilder map;
  if (!any_tagged) {
    // No phase names anywhere: file order.
    const std::size_t nv = voltages.size();
    const std::size_t ni = currents.size();
    Connection chosen = Connection::single_phase_2w;
    if (connection) {
      chosen = *connection;
    } else if (nv == 1 && ni == 1) {
      chosen = Connection::single_phase_2w;
    } else if (nv == 3 && (ni == 3 || ni == 4)) {
      chosen = Connection::three_phase_4w;
    } else {
      return cannot(
          fmt::format("cannot infer the connection from {} voltage and {} current "
                      "channels without phase names",
                      nv, ni));
    }
    const std::size_t need_v = chosen == Connection::single_phase_2w  ? 1
                               : chosen == Connection::three_phase_3w ? 2
                                                                      : 3;
    const std::size_t need_i = need_v;
    if (nv < need_v || ni < need_i) {
      return cannot(fmt::format("the {} connection needs {} voltage and {} current channels",
                                connection_name(chosen), need_v, need_i));
    }
    switch (chosen) {
      case Connection::single_phase_2w:
        map.add(Channel::u1, voltages[0].index);
        map.add(Channel::i1, currents[0].index);
        break;
      case Connection::three_phase_4w:
        map.add(Channel::u1, voltages[0].index);
        map.add(Channel::u2, voltages[1].index);
        map.add(Channel::u3, voltages[2].index);
        map.add(Channel::i1, currents[0].index);
        map.add(Channel::i2, currents[1].index);
        map.add(Channel::i3, currents[2].index);
        if (ni > 3) map.add(Channel::i_neutral, currents[3].index);
        break;
      case Connection::three_phase_3w:
        map.add(Channel::u1, voltages[0].index);
        map.add(Channel::u3, voltages[1].index);
        map.add(Channel::i1, currents[0].index);
        if (ni == 2) {
          map.add(Channel::i3, currents[1].index);
        } else {
          map.add(Channel::i2, currents[1].index);
          map.add(Channel::i3, currents[2].index);
        }
        break;
    }
    return InferredChannels{map.take(), chosen};
  }

  // Phase names: first channel per phase / pair wins.
  std::array<std::optional<std::size_t>, 4> v_phase;  // [1..3]
  std::array<std::optional<std::size_t>, 4> i_phase;
  std::optional<std::size_t> i_neutral;
  std::array<std::array<std::optional<std::size_t>, 4>, 4> v_pair;  // [from][to]
  std::size_t nv = 0;
  std::size_t ni = 0;
  std::optional<std::size_t> first_voltage;
  std::optional<std::size_t> first_current;
  for (const Candidate& v : voltages) {
    if (v.tag.kind == TagKind::neutral) continue;
    ++nv;
    if (!first_voltage) first_voltage = v.index;
    const auto from = static_cast<std::size_t>(v.tag.from);
    if (v.tag.kind == TagKind::phase && !v_phase[from]) v_phase[from] = v.index;
    if (v.tag.kind == TagKind::line_to_line) {
      auto& slot = v_pair[from][static_cast<std::size_t>(v.tag.to)];
      if (!slot) slot = v.index;
    }
  }
  for (const Candidate& c : currents) {
    if (c.tag.kind == TagKind::neutral) {
      if (!i_neutral) i_neutral = c.index;
      continue;
    }
    if (c.tag.kind == TagKind::line_to_line) continue;
    ++ni;
    if (!first_current) first_current = c.index;
    const auto phase = static_cast<std::size_t>(c.tag.from);
    if (c.tag.kind == TagKind::phase && !i_phase[phase]) i_phase[phase] = c.index;
  }
  const bool all_v = v_phase[1] && v_phase[2] && v_phase[3];
  const bool all_i = i_phase[1] && i_phase[2] && i_phase[3];
  const bool any_v_phase = v_phase[1] || v_phase[2] || v_phase[3];
  const bool u12 = v_pair[1][2] || v_pair[2][1];
  const bool u32 = v_pair[3][2] || v_pair[2][3];

  Connection chosen = Connection::single_phase_2w;
  if (connection) {
    chosen = *connection;
  } else if (all_v && all_i) {
    chosen = Connection::three_phase_4w;
  } else if (!any_v_phase && (u12 || u32)) {
    chosen = Connection::three_phase_3w;
  } else if (nv == 1 && ni == 1) {
    chosen = Connection::single_phase_2w;
  } else {
    return cannot(
        fmt::format("cannot infer the connection from {} voltage and {} phase current "
                    "channels",
                    nv, ni));
  }

  std::vector<std::string> missing;
  switch (chosen) {
    case Connection::single_phase_2w: {
      const auto u = v_phase[1] ? v_phase[1] : first_voltage;
      const auto i = i_phase[1] ? i_phase[1] : first_current;
      if (!u) missing.emplace_back("a voltage channel");
      if (!i) missing.emplace_back("a current channel");
      if (u && i) {
        map.add(Channel::u1, *u);
        map.add(Channel::i1, *i);
        if (i_neutral) map.add(Channel::i_neutral, *i_neutral);
      }
      break;
    }
    case Connection::three_phase_4w:
      for (std::size_t p = 1; p <= 3; ++p) {
        if (!v_phase[p]) missing.push_back(fmt::format("a phase {} voltage", p));
        if (!i_phase[p]) missing.push_back(fmt::format("a phase {} current", p));
      }
      if (missing.empty()) {
        map.add(Channel::u1, *v_phase[1]);
        map.add(Channel::u2, *v_phase[2]);
        map.add(Channel::u3, *v_phase[3]);
        map.add(Channel::i1, *i_phase[1]);
        map.add(Channel::i2, *i_phase[2]);
        map.add(Channel::i3, *i_phase[3]);
        if (i_neutral) map.add(Channel::i_neutral, *i_neutral);
      }
      break;
    case Connection::three_phase_3w:
      if (!u12) missing.emplace_back("a line-to-line voltage U12 (or U21)");
      if (!u32) missing.emplace_back("a line-to-line voltage U32 (or U23)");
      if (!i_phase[1]) missing.emplace_back("a phase 1 current");
      if (!i_phase[3]) missing.emplace_back("a phase 3 current");
      if (missing.empty()) {
        if (v_pair[1][2]) {
          map.add(Channel::u1, *v_pair[1][2]);
        } else {
          map.add(Channel::u1, *v_pair[2][1], -1.0);
        }
        if (v_pair[3][2]) {
          map.add(Channel::u3, *v_pair[3][2]);
        } else {
          map.add(Channel::u3, *v_pair[2][3], -1.0);
        }
        map.add(Channel::i1, *i_phase[1]);
        if (i_phase[2]) map.add(Channel::i2, *i_phase[2]);
        map.add(Channel::i3, *i_phase[3]);
      }
      break;
  }
  if (!missing.empty()) {
    return cannot(
        fmt::format("the {} connection needs {}", connection_name(chosen), missing_list(missing)));
  }
  return InferredChannels{map.take(), chosen};
}

Result<ResolvedChannels> resolve_channels(const std::optional<ChannelMap>& map,
                                          std::optional<Connection> connection,
                                          std::size_t source_channel_count,
                                          const std::string& source_name) {
  ResolvedChannels resolved;
  if (map) {
    resolved.map = *map;
  } else {
    auto fallback = default_channel_map(source_channel_count, source_name);
    if (!fallback) return fallback.error();
    resolved.map = *fallback;
  }
  if (connection) {
    resolved.connection = *connection;
  } else {
    auto inferred = infer_connection(resolved.map);
    if (!inferred) return make_error(source_name + ": " + inferred.error().message);
    resolved.connection = *inferred;
  }
  if (Status ok =
          check_channel_map(resolved.map, resolved.connection, source_channel_count, source_name);
      !ok) {
    return ok.error();
  }
  return resolved;
}

}  // namespace gridmeter::metrology
