// libFuzzer target: the APDU tree of `gridmeter decode`. Any input, read as an APDU, either is
// refused with a message or builds a tree that both renderers take: its names are XML names,
// its values and notes UTF-8 without control characters, and the JSON parses back. The input is
// also read once more with a decipher hook that hands the ciphered text back as the plain APDU,
// and as hex text the way the command reads its argument and standard input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/decode_command.hpp"
#include "dlms/apdu_tree.hpp"

namespace {

namespace app = gridmeter::app;
namespace dlms = gridmeter::dlms;

void require(bool condition) {
  if (!condition) std::abort();
}

bool is_name(const std::string& name) {
  if (name.empty() || name[0] < 'A' || name[0] > 'Z') return false;
  for (char c : name) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!letter && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Valid UTF-8 (the tree's promise, which XML and JSON rely on), with no control characters.
bool is_clean(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<std::uint8_t>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return false;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    const std::size_t size = byte >= 0xF5   ? 0
                             : byte >= 0xF0 ? 4
                             : byte >= 0xE0 ? 3
                             : byte >= 0xC2 ? 2
                                            : 0;
    if (size == 0 || i + size > text.size()) return false;
    for (std::size_t k = 1; k < size; ++k) {
      if ((static_cast<std::uint8_t>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += size;
  }
  return true;
}

void check_node(const dlms::TreeNode& node) {
  require(is_name(node.name));
  if (node.value) require(is_clean(*node.value));
  for (const dlms::TreeNote& note : node.notes) {
    require(!note.key.empty() && note.key != "name" && note.key != "value" &&
            note.key != "children");
    require(is_clean(note.text));
  }
  for (const dlms::TreeNode& child : node.children)
    check_node(child);
}

void check_tree(std::span<const std::uint8_t> bytes, const dlms::ApduTreeOptions& options) {
  auto tree = dlms::apdu_tree(bytes, options);
  if (!tree) {
    require(!tree.error().message.empty());
    return;
  }
  check_node(*tree);
  const std::string xml = app::render_xml(*tree);
  require(xml.starts_with("<" + tree->name) && xml.ends_with(">\n"));
  const std::string json = app::render_json(*tree);
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  require(!parsed.is_discarded());
  require(parsed.at("name") == tree->name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  check_tree(bytes, {});

  dlms::ApduTreeOptions hooked;
  hooked.decipher =
      [](const dlms::CipheredApdu& apdu) -> gridmeter::Result<std::vector<std::uint8_t>> {
    return apdu.text;
  };
  check_tree(bytes, hooked);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const app::HexSource source : {app::HexSource::argument, app::HexSource::standard_input}) {
    const app::DecodeReport report = app::decode_hex_text(text, source, app::DecodeFormat::xml);
    for (const std::string& error : report.errors)
      require(!error.empty());
    require(report.out.empty() == (report.decoded == 0));
  }
  return 0;
}
