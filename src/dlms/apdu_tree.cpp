#include "dlms/apdu_tree.hpp"

#include <fmt/format.h>

#include <algorithm>    // std::all_of
#include <array>        // std::array
#include <cassert>      // assert
#include <type_traits>  // std::decay_t, std::is_same_v
#include <utility>      // std::move
#include <variant>      // std::visit, std::get_if

#include "core/obis.hpp"
#include "dlms/acse.hpp"
#include "dlms/ber.hpp"
#include "dlms/initiate.hpp"
#include "dlms/xdlms.hpp"

namespace gridmeter::dlms {
namespace {

constexpr std::uint8_t aarq_tag = 0x60;
constexpr std::uint8_t aare_tag = 0x61;
constexpr std::uint8_t rlrq_tag = 0x62;
constexpr std::uint8_t rlre_tag = 0x63;
constexpr std::uint32_t user_information_field = 30;

// Where an APDU is being read, which bounds what may be inside it: ACSE user-information
// carries the xDLMS initiate APDUs (plain or ciphered), and the plain APDU inside a ciphered
// one is never ACSE or ciphered again. So nesting stops at three levels, whatever the input.
enum class Context { top, user_information, plain_apdu };

std::string hex2(std::uint8_t value) { return fmt::format("{:02X}", value); }
std::string hex4(std::uint16_t value) { return fmt::format("{:04X}", value); }
std::string hex8(std::uint32_t value) { return fmt::format("{:08X}", value); }
std::string yes_no(bool value) { return value ? "true" : "false"; }

// The length of the valid UTF-8 sequence at the start of `bytes` (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF, and not the XML non-characters U+FFFE, U+FFFF), or 0.
std::size_t utf8_sequence(std::string_view bytes) {
  const auto at = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
  const std::uint8_t lead = at(0);
  std::size_t size = 0;
  std::uint8_t low = 0x80;
  std::uint8_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    size = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    size = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    size = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (bytes.size() < size) return 0;
  if (at(1) < low || at(1) > high) return 0;
  for (std::size_t i = 2; i < size; ++i) {
    if (at(i) < 0x80 || at(i) > 0xBF) return 0;
  }
  if (lead == 0xEF && at(1) == 0xBF && (at(2) == 0xBE || at(2) == 0xBF)) return 0;
  return size;
}

// Text a renderer can pass through: printable ASCII as it is (a backslash doubled), valid UTF-8
// when `utf8` allows it, every other octet as \xNN.
std::string readable_text(std::string_view bytes, bool utf8) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto byte = static_cast<std::uint8_t>(bytes[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      if (byte == '\\') out.push_back('\\');
      out.push_back(static_cast<char>(byte));
      ++i;
      continue;
    }
    if (utf8 && byte >= 0x80) {
      if (const std::size_t size = utf8_sequence(bytes.substr(i)); size > 0) {
        out.append(bytes.substr(i, size));
        i += size;
        continue;
      }
    }
    out += fmt::format("\\x{:02X}", byte);
    ++i;
  }
  return out;
}

bool is_printable_ascii(std::span<const std::uint8_t> octets) {
  if (octets.empty()) return false;
  for (std::uint8_t octet : octets) {
    if (octet < 0x20 || octet >= 0x7F) return false;
  }
  return true;
}

// What to_text gives after the type name: one rendering of numbers, dates and times for the
// whole project.
std::string scalar_text(const Data& value) {
  const std::string text = to_text(value);
  const std::size_t skip = type_name(value.type()).size() + 1;
  return text.size() > skip ? text.substr(skip) : std::string();
}

std::string date_time_text(const CosemDateTime& value) {
  return scalar_text(Data::date_time(value));
}

// A system title (AP title, general-*-ciphering): 8 octets whose first three are the
// manufacturer's FLAG id, three capital letters.
TreeNode system_title_node(std::string name, std::span<const std::uint8_t> octets) {
  TreeNode node = tree_node(std::move(name), hex_text(octets));
  if (octets.size() == 8 && std::all_of(octets.begin(), octets.begin() + 3,
                                        [](std::uint8_t c) { return c >= 'A' && c <= 'Z'; })) {
    node.note("manufacturer", std::string(octets.begin(), octets.begin() + 3));
  }
  return node;
}

// Octets that may hold a password or a challenge: hex, and the text when it is printable.
TreeNode octets_node(std::string name, std::span<const std::uint8_t> octets) {
  TreeNode node = tree_node(std::move(name), hex_text(octets));
  if (is_printable_ascii(octets)) node.note("text", std::string(octets.begin(), octets.end()));
  return node;
}

// ---- xDLMS pieces ----

TreeNode invoke_node(InvokeIdAndPriority invoke) {
  return tree_node("InvokeIdAndPriority", hex2(invoke.value))
      .note("invoke_id", std::to_string(invoke.invoke_id()))
      .note("service_class", invoke.confirmed() ? "confirmed" : "unconfirmed")
      .note("priority", invoke.high_priority() ? "high" : "normal");
}

TreeNode long_invoke_node(LongInvokeIdAndPriority invoke) {
  return tree_node("LongInvokeIdAndPriority", hex8(invoke.value))
      .note("invoke_id", std::to_string(invoke.invoke_id()))
      .note("self_descriptive", yes_no(invoke.self_descriptive()))
      .note("processing_option", invoke.break_on_error() ? "break-on-error" : "continue-on-error")
      .note("service_class", invoke.confirmed() ? "confirmed" : "unconfirmed")
      .note("priority", invoke.high_priority() ? "high" : "normal");
}

TreeNode descriptor_node(std::string name, std::uint16_t class_id, const Obis& instance,
                         std::string member, std::int8_t member_id) {
  return tree_node(std::move(name))
      .add(tree_node("ClassId", hex4(class_id)))
      .add(tree_node("InstanceId", hex_text(instance.bytes())).note("obis", to_string(instance)))
      .add(tree_node(std::move(member), hex2(static_cast<std::uint8_t>(member_id))));
}

TreeNode attribute_node(const CosemAttributeDescriptor& attribute) {
  return descriptor_node("AttributeDescriptor", attribute.class_id, attribute.instance_id,
                         "AttributeId", attribute.attribute_id);
}

TreeNode method_node(const CosemMethodDescriptor& method) {
  return descriptor_node("MethodDescriptor", method.class_id, method.instance_id, "MethodId",
                         method.method_id);
}

TreeNode data_field(std::string name, const Data& value) {
  return tree_node(std::move(name)).add(data_tree(value));
}

// The access selection when the request has one (the 00 flag of an absent one shows nothing).
void add_access(TreeNode& parent, const std::optional<AccessSelection>& access) {
  if (!access) return;
  parent.add(tree_node("AccessSelection")
                 .add(tree_node("AccessSelector", hex2(access->selector)))
                 .add(data_field("AccessParameters", access->parameters)));
}

TreeNode attribute_with_selection_node(const AttributeWithSelection& item) {
  TreeNode node = tree_node("AttributeDescriptorWithSelection").add(attribute_node(item.attribute));
  add_access(node, item.access);
  return node;
}

TreeNode list_node(std::string name, std::size_t count) {
  return tree_node(std::move(name)).note("count", std::to_string(count));
}

TreeNode attribute_list_node(const std::vector<AttributeWithSelection>& items) {
  TreeNode node = list_node("AttributeDescriptorList", items.size());
  for (const AttributeWithSelection& item : items)
    node.add(attribute_with_selection_node(item));
  return node;
}

TreeNode access_result_node(std::string name, DataAccessResult result) {
  return tree_node(std::move(name), hex2(static_cast<std::uint8_t>(result)))
      .note("meaning", std::string(to_string(result)));
}

TreeNode action_result_node(ActionResult result) {
  return tree_node("Result", hex2(static_cast<std::uint8_t>(result)))
      .note("meaning", std::string(to_string(result)));
}

// Get-Data-Result: Data, or DataAccessResult, under a node named for the field.
TreeNode get_data_result_node(std::string name, const GetDataResult& result) {
  if (const auto* failed = std::get_if<DataAccessResult>(&result)) {
    return tree_node(std::move(name)).add(access_result_node("DataAccessResult", *failed));
  }
  return tree_node(std::move(name)).add(data_field("Data", std::get<Data>(result)));
}

TreeNode block_number_node(std::uint32_t block_number) {
  return tree_node("BlockNumber", hex8(block_number));
}

TreeNode data_block_node(std::string name, const DataBlockSA& block) {
  return tree_node(std::move(name))
      .add(tree_node("LastBlock", yes_no(block.last_block)))
      .add(block_number_node(block.block_number))
      .add(tree_node("RawData", hex_text(block.raw_data)));
}

TreeNode action_outcome_node(std::string name, const ActionOutcome& outcome) {
  TreeNode node = tree_node(std::move(name)).add(action_result_node(outcome.result));
  if (outcome.return_parameters) {
    node.add(get_data_result_node("ReturnParameters", *outcome.return_parameters));
  }
  return node;
}

TreeNode access_results_node(const std::vector<DataAccessResult>& results) {
  TreeNode node = list_node("ResultList", results.size());
  for (DataAccessResult result : results)
    node.add(access_result_node("Result", result));
  return node;
}

// ---- The fields of each xDLMS APDU, in wire order ----

void fill(TreeNode& node, const GetRequestNormal& apdu) {
  node.add(invoke_node(apdu.invoke)).add(attribute_node(apdu.attribute));
  add_access(node, apdu.access);
}

void fill(TreeNode& node, const GetRequestNext& apdu) {
  node.add(invoke_node(apdu.invoke)).add(block_number_node(apdu.block_number));
}

void fill(TreeNode& node, const GetRequestWithList& apdu) {
  node.add(invoke_node(apdu.invoke)).add(attribute_list_node(apdu.attributes));
}

void fill(TreeNode& node, const GetResponseNormal& apdu) {
  node.add(invoke_node(apdu.invoke)).add(get_data_result_node("Result", apdu.result));
}

void fill(TreeNode& node, const GetResponseWithDatablock& apdu) {
  TreeNode result = tree_node("Result")
                        .add(tree_node("LastBlock", yes_no(apdu.block.last_block)))
                        .add(block_number_node(apdu.block.block_number));
  if (const auto* failed = std::get_if<DataAccessResult>(&apdu.block.result)) {
    result.add(access_result_node("DataAccessResult", *failed));
  } else {
    result.add(
        tree_node("RawData", hex_text(std::get<std::vector<std::uint8_t>>(apdu.block.result))));
  }
  node.add(invoke_node(apdu.invoke)).add(std::move(result));
}

void fill(TreeNode& node, const GetResponseWithList& apdu) {
  TreeNode results = list_node("ResultList", apdu.results.size());
  for (const GetDataResult& result : apdu.results)
    results.add(get_data_result_node("Result", result));
  node.add(invoke_node(apdu.invoke)).add(std::move(results));
}

void fill(TreeNode& node, const SetRequestNormal& apdu) {
  node.add(invoke_node(apdu.invoke)).add(attribute_node(apdu.attribute));
  add_access(node, apdu.access);
  node.add(data_field("Value", apdu.value));
}

void fill(TreeNode& node, const SetRequestWithFirstDatablock& apdu) {
  node.add(invoke_node(apdu.invoke)).add(attribute_node(apdu.attribute));
  add_access(node, apdu.access);
  node.add(data_block_node("Datablock", apdu.block));
}

void fill(TreeNode& node, const SetRequestWithDatablock& apdu) {
  node.add(invoke_node(apdu.invoke)).add(data_block_node("Datablock", apdu.block));
}

void fill(TreeNode& node, const SetRequestWithList& apdu) {
  // The wire carries every descriptor first, then every value.
  TreeNode attributes = list_node("AttributeDescriptorList", apdu.items.size());
  TreeNode values = list_node("ValueList", apdu.items.size());
  for (const SetListItem& item : apdu.items) {
    attributes.add(attribute_with_selection_node({item.attribute, item.access}));
    values.add(data_field("Value", item.value));
  }
  node.add(invoke_node(apdu.invoke)).add(std::move(attributes)).add(std::move(values));
}

void fill(TreeNode& node, const SetRequestWithListAndFirstDatablock& apdu) {
  node.add(invoke_node(apdu.invoke))
      .add(attribute_list_node(apdu.attributes))
      .add(data_block_node("Datablock", apdu.block));
}

void fill(TreeNode& node, const SetResponseNormal& apdu) {
  node.add(invoke_node(apdu.invoke)).add(access_result_node("Result", apdu.result));
}

void fill(TreeNode& node, const SetResponseDatablock& apdu) {
  node.add(invoke_node(apdu.invoke)).add(block_number_node(apdu.block_number));
}

void fill(TreeNode& node, const SetResponseLastDatablock& apdu) {
  node.add(invoke_node(apdu.invoke))
      .add(access_result_node("Result", apdu.result))
      .add(block_number_node(apdu.block_number));
}

void fill(TreeNode& node, const SetResponseLastDatablockWithList& apdu) {
  node.add(invoke_node(apdu.invoke))
      .add(access_results_node(apdu.results))
      .add(block_number_node(apdu.block_number));
}

void fill(TreeNode& node, const SetResponseWithList& apdu) {
  node.add(invoke_node(apdu.invoke)).add(access_results_node(apdu.results));
}

void fill(TreeNode& node, const ActionRequestNormal& apdu) {
  node.add(invoke_node(apdu.invoke)).add(method_node(apdu.method));
  if (apdu.parameters) node.add(data_field("MethodInvocationParameters", *apdu.parameters));
}

void fill(TreeNode& node, const ActionRequestNextPblock& apdu) {
  node.add(invoke_node(apdu.invoke)).add(block_number_node(apdu.block_number));
}

void fill(TreeNode& node, const ActionRequestWithList& apdu) {
  // As with SET: every method first, then every parameter.
  TreeNode methods = list_node("MethodDescriptorList", apdu.items.size());
  TreeNode parameters = list_node("MethodInvocationParameterList", apdu.items.size());
  for (const ActionListItem& item : apdu.items) {
    methods.add(method_node(item.method));
    parameters.add(data_field("MethodInvocationParameters", item.parameters));
  }
  node.add(invoke_node(apdu.invoke)).add(std::move(methods)).add(std::move(parameters));
}

void fill(TreeNode& node, const ActionRequestWithFirstPblock& apdu) {
  node.add(invoke_node(apdu.invoke))
      .add(method_node(apdu.method))
      .add(data_block_node("Pblock", apdu.block));
}

void fill(TreeNode& node, const ActionRequestWithListAndFirstPblock& apdu) {
  TreeNode methods = list_node("MethodDescriptorList", apdu.methods.size());
  for (const CosemMethodDescriptor& method : apdu.methods)
    methods.add(method_node(method));
  node.add(invoke_node(apdu.invoke))
      .add(std::move(methods))
      .add(data_block_node("Pblock", apdu.block));
}

void fill(TreeNode& node, const ActionRequestWithPblock& apdu) {
  node.add(invoke_node(apdu.invoke)).add(data_block_node("Pblock", apdu.block));
}

void fill(TreeNode& node, const ActionResponseNormal& apdu) {
  node.add(invoke_node(apdu.invoke)).add(action_outcome_node("SingleResponse", apdu.response));
}

void fill(TreeNode& node, const ActionResponseWithPblock& apdu) {
  node.add(invoke_node(apdu.invoke)).add(data_block_node("Pblock", apdu.block));
}

void fill(TreeNode& node, const ActionResponseWithList& apdu) {
  TreeNode responses = list_node("ListOfResponses", apdu.responses.size());
  for (const ActionOutcome& outcome : apdu.responses)
    responses.add(action_outcome_node("Response", outcome));
  node.add(invoke_node(apdu.invoke)).add(std::move(responses));
}

void fill(TreeNode& node, const ActionResponseNextPblock& apdu) {
  node.add(invoke_node(apdu.invoke)).add(block_number_node(apdu.block_number));
}

void fill(TreeNode& node, const ExceptionResponse& apdu) {
  node.add(tree_node("StateError", hex2(static_cast<std::uint8_t>(apdu.state_error)))
               .note("meaning", std::string(to_string(apdu.state_error))));
  node.add(tree_node("ServiceError", hex2(static_cast<std::uint8_t>(apdu.service_error)))
               .note("meaning", std::string(to_string(apdu.service_error))));
  if (apdu.service_error == ExceptionServiceError::invocation_counter_error) {
    node.add(tree_node("InvocationCounter", hex8(apdu.invocation_counter)));
  }
}

void fill(TreeNode& node, const DataNotification& apdu) {
  node.add(long_invoke_node(apdu.invoke));
  if (apdu.date_time) {
    node.add(tree_node("DateTime", hex_text(apdu.date_time->encode()))
                 .note("date_time", date_time_text(*apdu.date_time)));
  }
  node.add(data_field("NotificationBody", apdu.body));
}

void fill(TreeNode& node, const ShortNameRequest& apdu) {
  // The Variable-Access-Specifications are kept unread by the codec (LN servers refuse these).
  node.add(tree_node("Body", hex_text(apdu.body)));
}

TreeNode xdlms_tree(const XdlmsApdu& apdu) {
  TreeNode node = tree_node(pascal_case(apdu_name(apdu)));
  std::visit([&](const auto& alternative) { fill(node, alternative); }, apdu);
  return node;
}

// ---- Initiate ----

TreeNode conformance_node(std::string name, Conformance conformance) {
  TreeNode node = tree_node(std::move(name), hex_text(conformance.octets()));
  for (std::size_t i = 0; i < Conformance::bit_count; ++i) {
    const auto bit = static_cast<ConformanceBit>(i);
    if (conformance.has(bit)) {
      node.add(tree_node("Bit", std::to_string(i)).note("meaning", std::string(to_string(bit))));
    }
  }
  return node;
}

TreeNode quality_node(std::string name, std::int8_t quality) {
  return tree_node(std::move(name), hex2(static_cast<std::uint8_t>(quality)));
}

TreeNode initiate_request_tree(const InitiateRequest& request) {
  TreeNode node = tree_node("InitiateRequest");
  if (request.dedicated_key) node.add(tree_node("DedicatedKey", hex_text(*request.dedicated_key)));
  node.add(tree_node("ResponseAllowed", yes_no(request.response_allowed)));
  if (request.proposed_quality_of_service) {
    node.add(quality_node("ProposedQualityOfService", *request.proposed_quality_of_service));
  }
  node.add(tree_node("ProposedDlmsVersionNumber", hex2(request.proposed_dlms_version_number)))
      .add(conformance_node("ProposedConformance", request.proposed_conformance))
      .add(tree_node("ClientMaxReceivePduSize", hex4(request.client_max_receive_pdu_size)));
  return node;
}

TreeNode initiate_response_tree(const InitiateResponse& response) {
  TreeNode node = tree_node("InitiateResponse");
  if (response.negotiated_quality_of_service) {
    node.add(quality_node("NegotiatedQualityOfService", *response.negotiated_quality_of_service));
  }
  node.add(tree_node("NegotiatedDlmsVersionNumber", hex2(response.negotiated_dlms_version_number)))
      .add(conformance_node("NegotiatedConformance", response.negotiated_conformance))
      .add(tree_node("ServerMaxReceivePduSize", hex4(response.server_max_receive_pdu_size)))
      .add(tree_node("VaaName", hex4(response.vaa_name)));
  return node;
}

TreeNode meaningful(std::string name, std::string value, std::string_view meaning) {
  TreeNode node = tree_node(std::move(name), std::move(value));
  if (!meaning.empty()) node.note("meaning", std::string(meaning));
  return node;
}

TreeNode confirmed_service_error_tree(const ConfirmedServiceError& error) {
  return tree_node("ConfirmedServiceError")
      .add(meaningful("ConfirmedService", hex2(static_cast<std::uint8_t>(error.service)),
                      to_string(error.service)))
      .add(meaningful("ServiceError", hex2(static_cast<std::uint8_t>(error.kind)),
                      to_string(error.kind)))
      .add(meaningful("ServiceErrorValue", hex2(error.value),
                      service_error_value_name(error.kind, error.value)));
}

// ---- ACSE ----

std::string_view context_name(ApplicationContext context) {
  switch (context) {
    case ApplicationContext::ln_no_ciphering:
      return "logical-name-no-ciphering";
    case ApplicationContext::sn_no_ciphering:
      return "short-name-no-ciphering";
    case ApplicationContext::ln_ciphering:
      return "logical-name-with-ciphering";
    case ApplicationContext::sn_ciphering:
      return "short-name-with-ciphering";
  }
  return "";
}

std::string_view mechanism_name(Mechanism mechanism) {
  switch (mechanism) {
    case Mechanism::lowest:
      return "lowest-level-security";
    case Mechanism::low:
      return "low-level-security";
    case Mechanism::high:
      return "high-level-security";
    case Mechanism::high_md5:
      return "high-level-security-md5";
    case Mechanism::high_sha1:
      return "high-level-security-sha1";
    case Mechanism::high_gmac:
      return "high-level-security-gmac";
    case Mechanism::high_sha256:
      return "high-level-security-sha256";
    case Mechanism::high_ecdsa:
      return "high-level-security-ecdsa";
  }
  return "";
}

TreeNode context_node(const ObjectIdentifier& oid) {
  const auto context = application_context_of(oid);
  return meaningful("ApplicationContextName", to_string(oid),
                    context ? context_name(*context) : "");
}

TreeNode mechanism_node(const ObjectIdentifier& oid) {
  const auto mechanism = mechanism_of(oid);
  return meaningful("MechanismName", to_string(oid), mechanism ? mechanism_name(*mechanism) : "");
}

void add_protocol_version(TreeNode& node, ProtocolVersion version) {
  if (version == ProtocolVersion::version1) node.add(tree_node("ProtocolVersion", "version1"));
  if (version == ProtocolVersion::without_version1) {
    node.add(tree_node("ProtocolVersion", "without-version1"));
  }
}

// The four addressing fields of one side: prefix "Called", "Calling" or "Responding".
void add_entity(TreeNode& node, std::string_view prefix, const ApplicationEntity& entity) {
  if (entity.ap_title)
    node.add(system_title_node(fmt::format("{}ApTitle", prefix), *entity.ap_title));
  if (entity.ae_qualifier) {
    node.add(tree_node(fmt::format("{}AeQualifier", prefix), hex_text(*entity.ae_qualifier)));
  }
  if (entity.ap_invocation_id) {
    node.add(tree_node(fmt::format("{}ApInvocationId", prefix),
                       std::to_string(*entity.ap_invocation_id)));
  }
  if (entity.ae_invocation_id) {
    node.add(tree_node(fmt::format("{}AeInvocationId", prefix),
                       std::to_string(*entity.ae_invocation_id)));
  }
}

// The offset of the user-information's contents in an ACSE APDU its codec accepted: the
// OCTET STRING inside [30]. The model keeps the octets, not where they were.
std::size_t user_information_offset(std::span<const std::uint8_t> apdu) {
  ber::Reader outer(apdu);
  auto element = outer.next();
  if (!element) return 0;
  ber::Reader fields(element->content, element->content_offset);
  while (!fields.at_end()) {
    auto field = fields.next();
    if (!field) return 0;
    if (field->is_context(user_information_field)) {
      auto inner = ber::read_only_element(*field, "user-information");
      return inner ? inner->content_offset : 0;
    }
  }
  return 0;
}

Result<TreeNode> tree_of(std::span<const std::uint8_t> bytes, const ApduTreeOptions& options,
                         Context context);

// UserInformation: the octets, and the xDLMS APDU they hold decoded below them.
Status add_user_information(TreeNode& node, std::string_view apdu_label,
                            std::span<const std::uint8_t> whole,
                            const std::optional<std::vector<std::uint8_t>>& information,
                            const ApduTreeOptions& options) {
  if (!information) return {};
  TreeNode field = tree_node("UserInformation", hex_text(*information));
  if (!information->empty()) {
    auto inner = tree_of(*information, options, Context::user_information);
    if (!inner) {
      return make_error(fmt::format("{} at offset {}: user-information: {}", apdu_label,
                                    user_information_offset(whole), inner.error().message));
    }
    field.add(std::move(*inner));
  }
  node.add(std::move(field));
  return {};
}

Result<TreeNode> aarq_tree(std::span<const std::uint8_t> bytes, const ApduTreeOptions& options) {
  auto aarq = Aarq::decode(bytes);
  if (!aarq) return aarq.error();
  TreeNode node = tree_node("Aarq");
  add_protocol_version(node, aarq->protocol_version);
  node.add(context_node(aarq->application_context_name));
  add_entity(node, "Called", aarq->called);
  add_entity(node, "Calling", aarq->calling);
  if (aarq->authentication) node.add(tree_node("SenderAcseRequirements", "authentication"));
  if (aarq->mechanism_name) node.add(mechanism_node(*aarq->mechanism_name));
  if (aarq->calling_authentication_value) {
    node.add(octets_node("CallingAuthenticationValue", *aarq->calling_authentication_value));
  }
  if (Status added = add_user_information(node, "AARQ", bytes, aarq->user_information, options);
      !added) {
    return added.error();
  }
  return node;
}

TreeNode diagnostic_node(const SourceDiagnostic& diagnostic) {
  // to_string names the side first ("acse-service-user null"); the node name says it here.
  const std::string text = to_string(diagnostic);
  const std::string meaning = text.substr(text.find(' ') + 1);
  if (const auto* user = std::get_if<AcseServiceUser>(&diagnostic)) {
    return tree_node("ResultSourceDiagnostic")
        .add(meaningful("AcseServiceUser", std::to_string(static_cast<unsigned>(*user)), meaning));
  }
  const auto provider = std::get<AcseServiceProvider>(diagnostic);
  return tree_node("ResultSourceDiagnostic")
      .add(meaningful("AcseServiceProvider", std::to_string(static_cast<unsigned>(provider)),
                      meaning));
}

Result<TreeNode> aare_tree(std::span<const std::uint8_t> bytes, const ApduTreeOptions& options) {
  auto aare = Aare::decode(bytes);
  if (!aare) return aare.error();
  TreeNode node = tree_node("Aare");
  add_protocol_version(node, aare->protocol_version);
  node.add(context_node(aare->application_context_name))
      .add(meaningful("Result", std::to_string(static_cast<unsigned>(aare->result)),
                      to_string(aare->result)))
      .add(diagnostic_node(aare->diagnostic));
  add_entity(node, "Responding", aare->responding);
  if (aare->authentication) node.add(tree_node("ResponderAcseRequirements", "authentication"));
  if (aare->mechanism_name) node.add(mechanism_node(*aare->mechanism_name));
  if (aare->responding_authentication_value) {
    node.add(octets_node("RespondingAuthenticationValue", *aare->responding_authentication_value));
  }
  if (Status added = add_user_information(node, "AARE", bytes, aare->user_information, options);
      !added) {
    return added.error();
  }
  return node;
}

template <typename Reason>
TreeNode reason_node(Reason reason, std::string_view one) {
  const auto value = static_cast<unsigned>(reason);
  std::string_view meaning;
  if (value == 0) meaning = "normal";
  if (value == 1) meaning = one;
  if (value == 30) meaning = "user-defined";
  return meaningful("Reason", std::to_string(value), meaning);
}

template <typename Release>
Result<TreeNode> release_tree(std::span<const std::uint8_t> bytes, const ApduTreeOptions& options,
                              std::string name, std::string_view label, std::string_view one) {
  auto release = Release::decode(bytes);
  if (!release) return release.error();
  TreeNode node = tree_node(std::move(name));
  if (release->reason) node.add(reason_node(*release->reason, one));
  if (Status added = add_user_information(node, label, bytes, release->user_information, options);
      !added) {
    return added.error();
  }
  return node;
}

// ---- Ciphered APDUs ----

std::string_view suite_name(std::uint8_t suite) {
  switch (suite) {
    case 0:
      return "AES-GCM-128";
    case 1:
      return "ECDH-ECDSA-AES-GCM-128-SHA-256";
    case 2:
      return "ECDH-ECDSA-AES-GCM-256-SHA-384";
    default:
      return "";
  }
}

TreeNode security_control_node(SecurityControl control) {
  return tree_node("SecurityControl", hex2(control.value))
      .add(
          meaningful("SecuritySuite", std::to_string(control.suite()), suite_name(control.suite())))
      .add(tree_node("Authentication", yes_no(control.authenticated())))
      .add(tree_node("Encryption", yes_no(control.encrypted())))
      .add(tree_node("KeySet", control.broadcast_key() ? "broadcast" : "unicast"))
      .add(tree_node("Compression", yes_no(control.compressed())));
}

// The plain APDU under a PlainApdu node; `label` prefixes an error with where it was.
Status add_plain_apdu(TreeNode& node, std::span<const std::uint8_t> plain, std::string_view label,
                      const ApduTreeOptions& options) {
  auto inner = tree_of(plain, options, Context::plain_apdu);
  if (!inner) return make_error(fmt::format("{}: {}", label, inner.error().message));
  node.add(tree_node("PlainApdu", hex_text(plain)).add(std::move(*inner)));
  return {};
}

Result<TreeNode> ciphered_tree(std::span<const std::uint8_t> bytes,
                               const ApduTreeOptions& options) {
  auto apdu = CipheredApdu::decode(bytes);
  if (!apdu) return apdu.error();
  const std::string_view name = apdu_name(apdu->tag);
  const SecurityControl control = apdu->security_control;
  TreeNode node = tree_node(pascal_case(name));
  if (apdu->system_title) node.add(system_title_node("SystemTitle", *apdu->system_title));
  node.add(security_control_node(control))
      .add(tree_node("InvocationCounter", hex8(apdu->invocation_counter)));
  if (!control.encrypted() && !control.compressed()) {
    // Authenticated only (or not protected at all): the text is the APDU itself.
    const std::size_t text_at = bytes.size() - apdu->authentication_tag.size() - apdu->text.size();
    if (Status added = add_plain_apdu(
            node, apdu->text, fmt::format("{} at offset {}: plain APDU", name, text_at), options);
        !added) {
      return added.error();
    }
  } else {
    node.add(
        tree_node(control.encrypted() ? "CipheredText" : "CompressedText", hex_text(apdu->text)));
  }
  if (control.authenticated()) {
    node.add(tree_node("AuthenticationTag", hex_text(apdu->authentication_tag)));
  }
  if (options.decipher && (control.encrypted() || control.compressed())) {
    auto plain = options.decipher(*apdu);
    if (!plain) return make_error(fmt::format("{}: deciphering: {}", name, plain.error().message));
    if (Status added =
            add_plain_apdu(node, *plain, fmt::format("{}: deciphered APDU", name), options);
        !added) {
      return added.error();
    }
  }
  return node;
}

bool is_acse_tag(std::uint8_t tag) { return tag >= aarq_tag && tag <= rlre_tag; }

bool is_initiate_tag(std::uint8_t tag) {
  return tag == InitiateRequest::tag || tag == InitiateResponse::tag ||
         tag == ConfirmedServiceError::tag;
}

Result<TreeNode> tree_of(std::span<const std::uint8_t> bytes, const ApduTreeOptions& options,
                         Context context) {
  if (bytes.empty()) return make_error("the APDU is empty");
  const std::uint8_t tag = bytes[0];
  if (context == Context::user_information && !is_initiate_tag(tag) && !is_ciphered_tag(tag)) {
    return make_error(fmt::format(
        "tag 0x{:02X} ({}) is not an initiate APDU (InitiateRequest 0x01, InitiateResponse "
        "0x08, ConfirmedServiceError 0x0E) or a ciphered one",
        tag, apdu_name(tag)));
  }
  if (context == Context::plain_apdu && (is_acse_tag(tag) || is_ciphered_tag(tag))) {
    return make_error(
        fmt::format("tag 0x{:02X} ({}) cannot be inside a ciphered APDU", tag, apdu_name(tag)));
  }
  switch (tag) {
    case aarq_tag:
      return aarq_tree(bytes, options);
    case aare_tag:
      return aare_tree(bytes, options);
    case rlrq_tag:
      return release_tree<Rlrq>(bytes, options, "Rlrq", "RLRQ", "urgent");
    case rlre_tag:
      return release_tree<Rlre>(bytes, options, "Rlre", "RLRE", "not-finished");
    case InitiateRequest::tag: {
      auto request = InitiateRequest::decode(bytes);
      if (!request) return request.error();
      return initiate_request_tree(*request);
    }
    case InitiateResponse::tag: {
      auto response = InitiateResponse::decode(bytes);
      if (!response) return response.error();
      return initiate_response_tree(*response);
    }
    case ConfirmedServiceError::tag: {
      auto error = ConfirmedServiceError::decode(bytes);
      if (!error) return error.error();
      return confirmed_service_error_tree(*error);
    }
    default:
      break;
  }
  if (is_ciphered_tag(tag)) return ciphered_tree(bytes, options);
  auto apdu = decode_xdlms_apdu(bytes, options.limits);
  if (!apdu) return apdu.error();
  return xdlms_tree(*apdu);
}

}  // namespace

// ---- TreeNode ----

TreeNode& TreeNode::note(std::string key, std::string text) {
  assert(key != "name" && key != "value" && key != "children");
  notes.push_back({std::move(key), std::move(text)});
  return *this;
}

TreeNode& TreeNode::add(TreeNode child) {
  children.push_back(std::move(child));
  return *this;
}

TreeNode tree_node(std::string name) {
  TreeNode node;
  node.name = std::move(name);
  return node;
}

TreeNode tree_node(std::string name, std::string value) {
  TreeNode node = tree_node(std::move(name));
  node.value = std::move(value);
  return node;
}

std::string pascal_case(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool word_start = true;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') {
      word_start = true;
      continue;
    }
    if (word_start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
    word_start = false;
  }
  return out;
}

std::string hex_text(std::span<const std::uint8_t> octets) {
  static constexpr std::string_view digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(octets.size() * 2);
  for (std::uint8_t octet : octets) {
    out.push_back(digits[octet >> 4]);
    out.push_back(digits[octet & 0x0FU]);
  }
  return out;
}

// ---- Data ----

TreeNode data_tree(const Data& value) {
  TreeNode node = tree_node(pascal_case(type_name(value.type())));
  switch (value.type()) {
    case DataType::null_data:
    case DataType::dont_care:
      return node;
    case DataType::array:
    case DataType::structure:
      node.note("count", std::to_string(value.elements().size()));
      for (const Data& element : value.elements())
        node.add(data_tree(element));
      return node;
    case DataType::compact_array:
      node.note("count", std::to_string(value.elements().size()));
      node.add(tree_node("TypeDescription", to_text(value.as_compact_array()->description)));
      for (const Data& element : value.elements())
        node.add(data_tree(element));
      return node;
    case DataType::boolean:
      node.value = yes_no(*value.as_bool());
      return node;
    case DataType::integer8:
    case DataType::integer16:
    case DataType::integer32:
    case DataType::integer64:
      node.value = std::to_string(*value.as_int64());
      return node;
    case DataType::unsigned8:
    case DataType::unsigned16:
    case DataType::unsigned32:
    case DataType::unsigned64:
      node.value = std::to_string(*value.as_uint64());
      return node;
    case DataType::enumeration:
      node.value = std::to_string(*value.as_enum());
      return node;
    case DataType::bcd:
      node.value = hex2(*value.as_bcd());
      return node;
    case DataType::octet_string: {
      const auto octets = *value.as_octets();
      node.value = hex_text(octets);
      if (const auto obis = value.as_obis()) node.note("obis", to_string(*obis));
      if (octets.size() == CosemDateTime::encoded_size) {
        if (auto date_time = value.as_date_time()) {
          node.note("date_time", date_time_text(*date_time));
        }
      }
      if (is_printable_ascii(octets)) node.note("text", std::string(octets.begin(), octets.end()));
      return node;
    }
    case DataType::visible_string:
      node.value = readable_text(*value.as_string(), false);
      return node;
    case DataType::utf8_string:
      node.value = readable_text(*value.as_string(), true);
      return node;
    case DataType::bit_string: {
      const BitStringView bits = *value.as_bit_string();
      std::string text;
      text.reserve(bits.bit_count);
      for (std::size_t i = 0; i < bits.bit_count; ++i)
        text.push_back(bits.bit(i) ? '1' : '0');
      node.value = std::move(text);
      return node;
    }
    case DataType::float32:
    case DataType::float64:
    case DataType::date_time:
    case DataType::date:
    case DataType::time:
      node.value = scalar_text(value);
      return node;
  }
  return node;
}

Result<TreeNode> apdu_tree(std::span<const std::uint8_t> apdu, const ApduTreeOptions& options) {
  return tree_of(apdu, options, Context::top);
}

}  // namespace gridmeter::dlms
