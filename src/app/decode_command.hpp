// `gridmeter decode`: shows a DLMS wrapper frame or APDU, given as hex, as a readable tree in
// XML (the default) or JSON, for reading captures.
//
//   gridmeter decode "00 01 00 10 00 01 00 0D C0 01 C1 00 08 00 00 01 00 00 FF 02 00"
//   gridmeter decode --json C4 01 C1 00 09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00
//   capture-tool | gridmeter decode -              (a frame or APDU a line)
//
// The tree itself comes from dlms/apdu_tree.hpp; this file reads the hex, splits it into wrapper
// frames and APDUs, adds the wrapper header, and renders the trees. HDLC frames (7E ... 7E) are
// recognised and refused until the HDLC layer exists; that is where it will plug in.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdio>       // std::FILE
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "dlms/apdu_tree.hpp"
#include "dlms/security_suite0.hpp"

namespace gridmeter::app {

struct DecodeOptions {
  std::vector<std::string> input;  // hex (several arguments are joined with spaces), or "-"
  bool json = false;               // --json
  bool xml = false;                // --xml, the default anyway
  std::string keys_path;           // --keys FILE: a secrets file whose ek and ak decipher
  std::string system_title;        // --system-title HEX: the sender of glo-/ded- APDUs
};

enum class DecodeFormat { xml, json };

// Where the hex came from, which decides what one record is. The command line is one record, in
// which newlines are spaces: a TCP stream dumped over many lines is one record of wrapper frames
// back to back. Standard input is a record a line, so that each line can hold a bare APDU and a
// bad line costs only itself. A record is wrapper frames back to back when it opens with the
// wrapper version 00 01 (each frame's length field says where the next begins), else one APDU.
enum class HexSource { argument, standard_input };

struct DecodeReport {
  std::string out;                  // the rendered trees, in input order
  std::vector<std::string> errors;  // one per bad line, frame or APDU, in input order
  std::size_t decoded = 0;          // trees rendered
};

// Hex digits in either case; spaces, tabs, colons, newlines and 0x prefixes separate them, and
// '#' starts a comment to the end of the line. Every hex word has an even number of digits.
DecodeReport decode_hex_text(std::string_view text, HexSource source, DecodeFormat format,
                             const dlms::ApduTreeOptions& options = {});

// The decipher hook of suite 0 with `ek` and `ak`: the sender's system title from a
// general-*-ciphering APDU, else `sender`, else an error naming --system-title.
dlms::ApduTreeOptions::Decipher suite0_decipher(const dlms::AesKey& ek, const dlms::AesKey& ak,
                                                std::optional<dlms::SystemTitle> sender);

// <GetRequestNormal>, one element a line, indented by two spaces; the value in a Value
// attribute and each note in an attribute named for it (obis -> Obis, date_time -> DateTime).
std::string render_xml(const dlms::TreeNode& node);
// {"name": ..., "value": ..., <notes>..., "children": [...]}, indented by two spaces.
std::string render_json(const dlms::TreeNode& node);

// `in` is read when the input is "-". Exit code 0, 1 when anything failed to decode (the rest
// is still decoded), 2 for a usage error.
int run_decode(const DecodeOptions& options, std::FILE* in, std::FILE* out, std::FILE* err);

}  // namespace gridmeter::app
