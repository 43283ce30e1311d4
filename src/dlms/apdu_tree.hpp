// A readable tree of one DLMS APDU, for decoders and logs (what DLMS engineers read captures
// with): every field a node, with its value and what the value means, nested as the APDU is.
//
//   Result<TreeNode> tree = apdu_tree(octets);   // C0 01 C1 00 08 00 00 01 00 00 FF 02 00
//   tree->name == "GetRequestNormal";
//   const TreeNode& invoke = tree->children[0];   // InvokeIdAndPriority, value "C1", notes
//                                                 // invoke_id 1, service_class, priority
//   const TreeNode& name = tree->children[1].children[1];
//   name.name == "InstanceId";  *name.value == "0000010000FF";
//   name.notes[0].key == "obis";  name.notes[0].text == "0-0:1.0.0.255";
//
// Every APDU the codecs of this layer read becomes a tree: AARQ, AARE, RLRQ, RLRE (with the
// Initiate or ConfirmedServiceError in their user-information decoded too), InitiateRequest,
// InitiateResponse, ConfirmedServiceError, every GET/SET/ACTION alternative, Exception-Response,
// Data-Notification and the short name requests. Ciphered APDUs (glo-*, ded-*,
// general-glo-ciphering, general-ded-ciphering) show their visible fields: the security control
// octet broken into its bits, the invocation counter, the system title, the ciphered text and
// the authentication tag. Deciphering belongs to the security layer, which this layer does not
// have yet: ApduTreeOptions::decipher is where it plugs in.
//
// The tree is neutral about how it is shown (the XML and JSON renderers are in app/). Names are
// PascalCase forms of the Green Book's ASN.1 names ("Get-Request-Normal" -> GetRequestNormal,
// "long-unsigned" -> LongUnsigned). Values read as follows: fixed-size fields of the APDU are hex
// at their wire width ("0008" for a class id, "C1"); BER integers of ACSE (results, reasons),
// counts and bit numbers are decimal; Data values read as they are meant (decimal numbers,
// octet strings in hex, text as text). Every value and note is valid UTF-8 without control
// characters: bytes that are not are written \xNN, so any renderer can pass them through.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint32_t
#include <functional>   // std::function
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "dlms/axdr.hpp"
#include "dlms/ciphered_apdu.hpp"
#include "dlms/data.hpp"

namespace gridmeter::dlms {

// A reading of a node's value: obis "0-0:1.0.0.255", date_time "2026-11-25 12:30:00.00 ...",
// meaning "object-undefined", count "3". Keys are snake_case; never "name", "value" or
// "children", so a renderer can put them beside those.
struct TreeNote {
  std::string key;
  std::string text;

  friend bool operator==(const TreeNote&, const TreeNote&) = default;
};

struct TreeNode {
  std::string name;                  // PascalCase: "GetRequestNormal", "ClassId", "Structure"
  std::optional<std::string> value;  // absent for a node that only groups its children
  std::vector<TreeNote> notes;
  std::vector<TreeNode> children;

  // Both return *this, so that a node can be built in one expression.
  TreeNode& note(std::string key, std::string text);
  TreeNode& add(TreeNode child);

  friend bool operator==(const TreeNode&, const TreeNode&) = default;
};

TreeNode tree_node(std::string name);
TreeNode tree_node(std::string name, std::string value);

struct ApduTreeOptions {
  DecodeLimits limits;
  // The security layer's hook: the plain APDU of a ciphered one, or why it cannot be had. When
  // set, the plain APDU is decoded under a PlainApdu node; when not, the ciphered text stays hex.
  using Decipher = std::function<Result<std::vector<std::uint8_t>>(const CipheredApdu&)>;
  Decipher decipher;
};

// One whole APDU, chosen by its tag. Errors are the codecs' own ("Get-Request-Normal at offset
// 5: instance-id needs 6 octets, 3 left"), or name the part that failed inside ("AARQ at offset
// 17: user-information: InitiateRequest: ..."), offsets counting from the APDU's first octet.
Result<TreeNode> apdu_tree(std::span<const std::uint8_t> apdu, const ApduTreeOptions& options = {});

// One Data value: a node named for its type (Structure, LongUnsigned, OctetString, ...). A
// 6-octet octet-string gets the note obis, a 12-octet one that reads as a COSEM date-time the
// note date_time, one of printable ASCII the note text.
TreeNode data_tree(const Data& value);

// "Get-Request-Normal", "get-request", "long-unsigned" -> "GetRequestNormal", "GetRequest",
// "LongUnsigned".
std::string pascal_case(std::string_view name);

// Octets as upper-case hex without separators: "0000010000FF".
std::string hex_text(std::span<const std::uint8_t> octets);

}  // namespace gridmeter::dlms
