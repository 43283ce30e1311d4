#include "app/cosem_reference.hpp"

#include <fmt/format.h>

#include <charconv>  // std::from_chars

namespace gridmeter::app {
namespace {

// Splits "OBIS:N" when the text after the last colon is a number and what comes before it is
// an OBIS code; "A-B:C.D.E" alone has its colon inside the code.
Result<AttributeReference> split_reference(std::string_view text, bool index_required,
                                           std::string_view what) {
  if (text.empty()) return make_error(fmt::format("{}: empty", what));
  const std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view tail = text.substr(colon + 1);
    int index = 0;
    const auto [end, error] = std::from_chars(tail.data(), tail.data() + tail.size(), index);
    if (!tail.empty() && error == std::errc{} && end == tail.data() + tail.size()) {
      auto obis = parse_obis(text.substr(0, colon));
      if (obis) {
        if (index < 1 || index > 127) {
          return make_error(fmt::format("{} \"{}\": index {} is not 1..127", what, text, index));
        }
        return AttributeReference{*obis, index};
      }
    }
  }
  auto obis = parse_obis(text);
  if (!obis) return make_error(fmt::format("{} \"{}\": {}", what, text, obis.error().message));
  if (index_required) {
    return make_error(
        fmt::format("{} \"{}\": give the index after the OBIS code (OBIS:N)", what, text));
  }
  return AttributeReference{*obis, 2};
}

}  // namespace

Result<AttributeReference> parse_attribute_reference(std::string_view text) {
  return split_reference(text, false, "attribute");
}

Result<SetRequest> parse_set_request(std::string_view text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    return make_error(fmt::format("--set \"{}\": expected OBIS:ATTR=VALUE", text));
  }
  auto attribute = split_reference(text.substr(0, equals), true, "--set");
  if (!attribute) return attribute.error();
  return SetRequest{*attribute, std::string(text.substr(equals + 1))};
}

Result<ActionRequest> parse_action_request(std::string_view text) {
  const std::size_t equals = text.find('=');
  auto method = split_reference(text.substr(0, equals), true, "--action");
  if (!method) return method.error();
  ActionRequest request{*method, std::nullopt};
  if (equals != std::string_view::npos) request.argument = std::string(text.substr(equals + 1));
  return request;
}

std::uint16_t guess_class_id(const Obis& obis) {
  const unsigned a = obis.a;
  const unsigned c = obis.c;
  const unsigned d = obis.d;
  if (a == 0 && c == 1 && d == 0) return 8;              // clock
  if (a == 0 && c == 40) return 15;                      // Association LN
  if (a == 0 && c == 41) return 17;                      // SAP assignment
  if (a == 0 && c == 13) return 20;                      // activity calendar
  if (a == 0 && c == 11) return 11;                      // special days table
  if (a == 0 && c == 10) return 9;                       // script table
  if (a == 0 && c == 15) return 22;                      // single action schedule
  if (c == 99 || c == 98) return 7;                      // profiles and logs
  if (a == 1 && (d == 8 || d == 7 || d == 2)) return 3;  // energy, instantaneous, cum. max
  if (a == 1 && d == 6) return 4;                        // maximum demand with its time
  if (a == 1 && (d == 4 || d == 5)) return 5;            // current / last average demand
  return 1;                                              // Data
}

}  // namespace gridmeter::app
