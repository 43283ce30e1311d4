#include "core/obis.hpp"

#include <fmt/format.h>

namespace gridmeter {
namespace {

// Reads one decimal group 0..255 starting at pos; advances pos past it.
Result<std::uint8_t> parse_group(std::string_view text, std::size_t& pos, const char* name) {
  std::size_t start = pos;
  unsigned value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10U + static_cast<unsigned>(text[pos] - '0');
    if (value > 255U) {
      return make_error(fmt::format("OBIS '{}': value group {} exceeds 255", text, name));
    }
    ++pos;
    if (pos - start > 3) {
      return make_error(fmt::format("OBIS '{}': value group {} has too many digits", text, name));
    }
  }
  if (pos == start) {
    return make_error(fmt::format("OBIS '{}': value group {} is not a number", text, name));
  }
  return static_cast<std::uint8_t>(value);
}

bool expect(std::string_view text, std::size_t& pos, std::string_view separators) {
  if (pos < text.size() && separators.find(text[pos]) != std::string_view::npos) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

Result<Obis> parse_obis(std::string_view text) {
  if (text.empty()) return make_error("OBIS code is empty");
  if (text.size() > 32) return make_error("OBIS code is too long");
  // The full form has a '-' and a ':'; the short form has neither.
  const bool full = text.find_first_of(":-") != std::string_view::npos;
  Obis code;
  std::size_t pos = 0;
  if (full) {
    auto a = parse_group(text, pos, "A");
    if (!a) return a.error();
    if (!expect(text, pos, "-")) {
      return make_error(fmt::format("OBIS '{}': expected '-' after value group A", text));
    }
    auto b = parse_group(text, pos, "B");
    if (!b) return b.error();
    if (!expect(text, pos, ":")) {
      return make_error(fmt::format("OBIS '{}': expected ':' after value group B", text));
    }
    code.a = *a;
    code.b = *b;
  } else {
    code.a = 1;
    code.b = 0;
  }
  auto c = parse_group(text, pos, "C");
  if (!c) return c.error();
  if (!expect(text, pos, ".")) {
    return make_error(fmt::format("OBIS '{}': expected '.' after value group C", text));
  }
  auto d = parse_group(text, pos, "D");
  if (!d) return d.error();
  if (!expect(text, pos, ".")) {
    return make_error(fmt::format("OBIS '{}': expected '.' after value group D", text));
  }
  auto e = parse_group(text, pos, "E");
  if (!e) return e.error();
  code.c = *c;
  code.d = *d;
  code.e = *e;
  if (pos == text.size()) return code;
  if (!full) {
    return make_error(fmt::format("OBIS '{}': the short form is C.D.E", text));
  }
  if (!expect(text, pos, ".*&")) {
    return make_error(fmt::format("OBIS '{}': unexpected character after value group E", text));
  }
  auto f = parse_group(text, pos, "F");
  if (!f) return f.error();
  code.f = *f;
  if (pos != text.size()) {
    return make_error(fmt::format("OBIS '{}': unexpected text after value group F", text));
  }
  return code;
}

std::string to_string(const Obis& code) {
  return fmt::format("{}-{}:{}.{}.{}.{}", code.a, code.b, code.c, code.d, code.e, code.f);
}

std::string to_short_string(const Obis& code) {
  return fmt::format("{}.{}.{}", code.c, code.d, code.e);
}

}  // namespace gridmeter
