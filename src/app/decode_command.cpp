#include "app/decode_command.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::min
#include <array>      // std::array
#include <cstdint>    // std::uint8_t
#include <memory>     // std::make_shared
#include <nlohmann/json.hpp>
#include <optional>  // std::optional
#include <span>      // std::span
#include <utility>   // std::move

#include "config/secrets_file.hpp"
#include "transport/wrapper_frame.hpp"

namespace gridmeter::app {
namespace {

using dlms::TreeNode;
using Octets = std::vector<std::uint8_t>;

constexpr std::uint8_t hdlc_flag = 0x7E;
constexpr std::size_t word_shown_max = 24;  // longer hex words are cut in messages

// ---- Hex ----

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':' || c == '#';
}

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string shown_character(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", byte);
}

std::string shown_word(std::string_view word) {
  if (word.size() <= word_shown_max) return std::string(word);
  return fmt::format("{}...", word.substr(0, word_shown_max));
}

// Appends the octets of `text` to `out`, or says where the first mistake is. `first_line`
// numbers the first line of `text`; `name_lines` says whether messages name it (the command
// line is usually one line, and then only the column is given).
std::optional<std::string> read_hex(std::string_view text, std::size_t first_line, bool name_lines,
                                    Octets& out) {
  std::size_t line = first_line;
  std::size_t line_start = 0;
  const auto where = [&](std::size_t at) {
    const std::size_t column = at - line_start + 1;
    return name_lines ? fmt::format("line {}, column {}", line, column)
                      : fmt::format("column {}", column);
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n')
        ++i;
      continue;
    }
    if (is_separator(c)) {
      ++i;
      continue;
    }
    // A word: an optional 0x, then hex digits up to the next separator.
    const std::size_t word_start = i;
    if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) i += 2;
    const std::size_t digits_start = i;
    while (i < text.size() && nibble(text[i]) >= 0)
      ++i;
    if (i < text.size() && !is_separator(text[i])) {
      return fmt::format("{}: {} is not a hex digit", where(i), shown_character(text[i]));
    }
    const std::string_view word = text.substr(word_start, i - word_start);
    const std::size_t digits = i - digits_start;
    if (digits == 0) return fmt::format("{}: '{}' has no hex digits", where(word_start), word);
    if (digits % 2 != 0) {
      return fmt::format("{}: odd number of hex digits in '{}'", where(word_start),
                         shown_word(word));
    }
    for (std::size_t d = digits_start; d < i; d += 2)
      out.push_back(static_cast<std::uint8_t>(nibble(text[d]) << 4 | nibble(text[d + 1])));
  }
  return std::nullopt;
}

// ---- Frames and APDUs ----

class Decoder {
 public:
  Decoder(HexSource source, DecodeFormat format, dlms::ApduTreeOptions options)
      : source_(source), format_(format), options_(std::move(options)) {}

  void fail(std::string message) { report_.errors.push_back(std::move(message)); }

  // Splits one record (the argument, or a line of standard input) into wrapper frames and APDUs
  // and decodes each, in order. `line` numbers the line on standard input.
  void decode(std::span<const std::uint8_t> record, std::size_t line) {
    prefix_ = source_ == HexSource::standard_input ? fmt::format("line {}: ", line) : "";
    std::size_t at = 0;
    while (at < record.size()) {
      const std::span<const std::uint8_t> rest = record.subspan(at);
      if (rest.size() >= 2 && rest[0] == 0x00 && rest[1] == 0x01) {
        const std::size_t used = wrapper_frame(rest, at);
        at = used > 0 ? at + used : record.size();
      } else if (rest[0] == hdlc_flag) {
        // The HDLC layer (IEC 62056-46) plugs in here: it will find the closing flag, check
        // HCS and FCS and hand the information field on as an APDU.
        fail(fmt::format("{}HDLC frame at octet {}: HDLC frames (7E ... 7E) are not decoded yet",
                         prefix_, at));
        at = record.size();
      } else {
        apdu(rest, at);
        at = record.size();
      }
    }
  }

  DecodeReport finish() && { return std::move(report_); }

 private:
  // One wrapper frame at the start of `bytes`; returns the octets it took, or 0 when its
  // header is cut short or announces more than there is (the rest of the record is skipped).
  std::size_t wrapper_frame(std::span<const std::uint8_t> bytes, std::size_t in_line) {
    if (bytes.size() < transport::wrapper_header_size) {
      fail(fmt::format("{}wrapper frame at octet {}: the header needs {} octets, {} left", prefix_,
                       in_line, transport::wrapper_header_size, bytes.size()));
      return 0;
    }
    auto header = transport::decode_wrapper_header(bytes.first<transport::wrapper_header_size>());
    if (!header) {
      fail(
          fmt::format("{}wrapper frame at octet {}: {}", prefix_, in_line, header.error().message));
      return 0;
    }
    const std::size_t follow = bytes.size() - transport::wrapper_header_size;
    if (header->length > follow) {
      fail(fmt::format(
          "{}wrapper frame at octet {}: the length field says {} octets of APDU, {} follow",
          prefix_, in_line, header->length, follow));
      return 0;
    }
    const auto apdu_octets = bytes.subspan(transport::wrapper_header_size, header->length);
    auto tree = dlms::apdu_tree(apdu_octets, options_);
    if (!tree) {
      fail(fmt::format("{}wrapper frame at octet {}, APDU at octet {}: {}", prefix_, in_line,
                       in_line + transport::wrapper_header_size, tree.error().message));
    } else {
      TreeNode frame =
          dlms::tree_node("WrapperFrame")
              .add(dlms::tree_node("Version", fmt::format("{:04X}", header->version)))
              .add(dlms::tree_node("SourceWPort", fmt::format("{:04X}", header->source_wport)))
              .add(dlms::tree_node("DestinationWPort",
                                   fmt::format("{:04X}", header->destination_wport)))
              .add(dlms::tree_node("Length", fmt::format("{:04X}", header->length)))
              .add(std::move(*tree));
      render(frame);
    }
    return transport::wrapper_header_size + header->length;
  }

  void apdu(std::span<const std::uint8_t> bytes, std::size_t in_line) {
    auto tree = dlms::apdu_tree(bytes, options_);
    if (!tree) {
      fail(fmt::format("{}APDU at octet {}: {}", prefix_, in_line, tree.error().message));
      return;
    }
    render(*tree);
  }

  void render(const TreeNode& tree) {
    report_.out += format_ == DecodeFormat::json ? render_json(tree) : render_xml(tree);
    ++report_.decoded;
  }

  HexSource source_;
  DecodeFormat format_;
  dlms::ApduTreeOptions options_;
  std::string prefix_;  // "line 3: " on standard input
  DecodeReport report_;
};

// ---- Rendering ----

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_xml(std::string& out, const TreeNode& node, std::size_t depth) {
  out.append(depth * 2, ' ');
  out += '<';
  out += node.name;
  if (node.value) {
    out += " Value=\"";
    append_escaped(out, *node.value);
    out += '"';
  }
  for (const dlms::TreeNote& note : node.notes) {
    out += ' ';
    out += dlms::pascal_case(note.key);
    out += "=\"";
    append_escaped(out, note.text);
    out += '"';
  }
  if (node.children.empty()) {
    out += " />\n";
    return;
  }
  out += ">\n";
  for (const TreeNode& child : node.children)
    append_xml(out, child, depth + 1);
  out.append(depth * 2, ' ');
  out += "</";
  out += node.name;
  out += ">\n";
}

nlohmann::ordered_json to_json(const TreeNode& node) {
  nlohmann::ordered_json json;
  json["name"] = node.name;
  if (node.value) json["value"] = *node.value;
  for (const dlms::TreeNote& note : node.notes)
    json[note.key] = note.text;
  if (!node.children.empty()) {
    nlohmann::ordered_json children = nlohmann::ordered_json::array();
    for (const TreeNode& child : node.children)
      children.push_back(to_json(child));
    json["children"] = std::move(children);
  }
  return json;
}

std::string read_all(std::FILE* in) {
  std::string text;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0)
    text.append(buffer.data(), n);
  return text;
}

}  // namespace

DecodeReport decode_hex_text(std::string_view text, HexSource source, DecodeFormat format,
                             const dlms::ApduTreeOptions& options) {
  Decoder decoder(source, format, options);
  Octets octets;
  if (source == HexSource::argument) {
    const bool name_lines = text.find('\n') != std::string_view::npos;
    if (auto mistake = read_hex(text, 1, name_lines, octets)) {
      decoder.fail(std::move(*mistake));
    } else {
      decoder.decode(octets, 1);
    }
    return std::move(decoder).finish();
  }
  // A line at a time, so that one bad line costs only itself.
  std::size_t number = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    octets.clear();
    if (auto mistake = read_hex(line, number, true, octets)) {
      decoder.fail(std::move(*mistake));
    } else {
      decoder.decode(octets, number);  // a blank line, or one of comment only, holds nothing
    }
  }
  return std::move(decoder).finish();
}

std::string render_xml(const TreeNode& node) {
  std::string out;
  append_xml(out, node, 0);
  return out;
}

std::string render_json(const TreeNode& node) {
  // The tree holds valid UTF-8 only; `replace` keeps a renderer bug from throwing anyway.
  return to_json(node).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

dlms::ApduTreeOptions::Decipher suite0_decipher(const dlms::AesKey& ek, const dlms::AesKey& ak,
                                                std::optional<dlms::SystemTitle> sender) {
  // std::function copies its target: the cipher contexts are shared, not copied.
  auto suite = std::make_shared<dlms::Suite0>(ek, ak);
  return dlms::ApduTreeOptions::Decipher(
      [suite, sender](const dlms::CipheredApdu& apdu) -> Result<std::vector<std::uint8_t>> {
        dlms::SystemTitle title{};
        if (apdu.system_title && apdu.system_title->size() == title.size()) {
          std::copy(apdu.system_title->begin(), apdu.system_title->end(), title.begin());
        } else if (sender) {
          title = *sender;
        } else {
          return make_error("the sender's system title is not in the APDU: give --system-title");
        }
        std::vector<std::uint8_t> plain;
        if (Status s = suite->unprotect(apdu, title, plain); !s) return s.error();
        return plain;
      });
}

namespace {

// --keys FILE (its ek and ak) and --system-title HEX as the tree's decipher hook.
Result<dlms::ApduTreeOptions> tree_options(const DecodeOptions& options) {
  dlms::ApduTreeOptions tree;
  if (options.keys_path.empty()) {
    if (!options.system_title.empty()) return make_error("--system-title needs --keys");
    return tree;
  }
  auto secrets = config::load_secrets(options.keys_path);
  if (!secrets) return secrets.error();
  if (!secrets->ek || !secrets->ak) {
    return make_error(fmt::format("{} has no ek and ak to decipher with", options.keys_path));
  }
  std::optional<dlms::SystemTitle> sender;
  if (!options.system_title.empty()) {
    Octets title;
    if (read_hex(options.system_title, 1, false, title) || title.size() != 8) {
      return make_error("--system-title: expected 16 hex digits (8 octets)");
    }
    sender.emplace();
    std::copy(title.begin(), title.end(), sender->begin());
  }
  tree.decipher = suite0_decipher(*secrets->ek, *secrets->ak, sender);
  return tree;
}

}  // namespace

int run_decode(const DecodeOptions& options, std::FILE* in, std::FILE* out, std::FILE* err) {
  auto tree = tree_options(options);
  if (!tree) {
    fmt::print(err, "gridmeter decode: {}\n", tree.error().message);
    return 2;
  }
  const bool from_input = options.input.size() == 1 && options.input[0] == "-";
  for (const std::string& argument : options.input) {
    if (argument == "-" && !from_input) {
      fmt::print(err, "gridmeter decode: '-' (standard input) cannot be combined with hex\n");
      return 2;
    }
  }
  std::string text;
  if (from_input) {
    text = read_all(in);
  } else {
    for (const std::string& argument : options.input) {
      if (!text.empty()) text += ' ';
      text += argument;
    }
  }
  const DecodeFormat format = options.json ? DecodeFormat::json : DecodeFormat::xml;
  const DecodeReport report = decode_hex_text(
      text, from_input ? HexSource::standard_input : HexSource::argument, format, *tree);
  fmt::print(out, "{}", report.out);
  for (const std::string& error : report.errors)
    fmt::print(err, "gridmeter decode: {}\n", error);
  if (report.decoded == 0 && report.errors.empty()) {
    fmt::print(err, "gridmeter decode: {} holds no hex octets\n",
               from_input ? "standard input" : "the argument");
    return 1;
  }
  return report.errors.empty() ? 0 : 1;
}

}  // namespace gridmeter::app
