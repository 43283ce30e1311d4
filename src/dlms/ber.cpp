#include "dlms/ber.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::copy

namespace gridmeter::dlms {

Result<ObjectIdentifier> ObjectIdentifier::from_encoded(std::span<const std::uint8_t> content) {
  if (content.empty()) return make_error("object identifier is empty");
  if (content.size() > max_encoded_size) {
    return make_error(fmt::format("object identifier has {} octets (at most {})", content.size(),
                                  max_encoded_size));
  }
  // Each subidentifier is base-128, high bit set on every octet but its last.
  std::size_t subidentifier_start = 0;
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (i == subidentifier_start && content[i] == 0x80) {
      return make_error(
          fmt::format("object identifier: subidentifier at octet {} is not minimal", i));
    }
    if (i - subidentifier_start >= 9) {
      return make_error(fmt::format("object identifier: subidentifier at octet {} exceeds 63 bits",
                                    subidentifier_start));
    }
    if ((content[i] & 0x80) == 0) subidentifier_start = i + 1;
  }
  if (subidentifier_start != content.size()) {
    return make_error("object identifier: the last subidentifier is cut short");
  }
  ObjectIdentifier oid;
  std::copy(content.begin(), content.end(), oid.octets_.begin());
  oid.size_ = content.size();
  return oid;
}

std::string to_string(const ObjectIdentifier& oid) {
  std::string text;
  std::uint64_t value = 0;
  bool first = true;
  for (std::uint8_t octet : oid.encoded()) {
    value = (value << 7) | (octet & 0x7FU);
    if ((octet & 0x80) != 0) continue;
    if (first) {
      // The first subidentifier packs two arcs: 40 * X + Y, with X at most 2 (8.19.4).
      const std::uint64_t top = value < 40 ? 0 : (value < 80 ? 1 : 2);
      text = fmt::format("{}.{}", top, value - top * 40);
      first = false;
    } else {
      text += fmt::format(".{}", value);
    }
    value = 0;
  }
  return text;
}

namespace ber {

Result<Element> Reader::next() {
  const std::size_t start = position_;
  const std::size_t offset = base_offset_ + start;
  const std::size_t size = bytes_.size();
  if (position_ >= size) {
    return make_error(fmt::format("offset {}: expected an element, found the end", offset));
  }
  Element element;
  element.offset = offset;
  const std::uint8_t identifier = bytes_[position_++];
  element.tag_class = static_cast<std::uint8_t>(identifier & 0xC0);
  element.constructed = (identifier & constructed_bit) != 0;
  element.tag_number = identifier & 0x1FU;
  if (element.tag_number == 0x1F) {
    // High-tag-number form: base-128 octets, the last with bit 8 clear.
    std::uint32_t number = 0;
    for (int count = 0;; ++count) {
      if (position_ >= size) {
        return make_error(fmt::format("offset {}: tag number cut short", offset));
      }
      const std::uint8_t octet = bytes_[position_++];
      if (count == 0 && octet == 0x80) {
        return make_error(fmt::format("offset {}: tag number is not minimal", offset));
      }
      number = (number << 7) | (octet & 0x7FU);
      if ((octet & 0x80) == 0) break;
      if (count == 2) {
        return make_error(fmt::format("offset {}: tag number exceeds {}", offset, max_tag_number));
      }
    }
    if (number < 0x1F) {
      return make_error(
          fmt::format("offset {}: tag number {} must use the one-octet form", offset, number));
    }
    element.tag_number = number;
  }

  if (position_ >= size) return make_error(fmt::format("offset {}: length is missing", offset));
  const std::uint8_t first = bytes_[position_++];
  std::size_t length = first;
  if (first == 0x80) {
    return make_error(fmt::format("offset {}: indefinite length is not used in DLMS", offset));
  }
  if (first > 0x80) {
    const std::size_t count = first & 0x7FU;
    if (count > 2) {
      return make_error(
          fmt::format("offset {}: length with {} octets exceeds the {} a DLMS APDU can have",
                      offset, count, max_length));
    }
    if (size - position_ < count) {
      return make_error(fmt::format("offset {}: length cut short", offset));
    }
    length = 0;
    for (std::size_t i = 0; i < count; ++i)
      length = (length << 8) | bytes_[position_++];
  }
  const std::size_t left = size - position_;
  if (length > left) {
    return make_error(fmt::format("offset {}: length {} runs past the end ({} octets left)", offset,
                                  length, left));
  }
  element.content = bytes_.subspan(position_, length);
  element.content_offset = base_offset_ + position_;
  position_ += length;
  return element;
}

Result<Element> read_only_element(const Element& outer, std::string_view what) {
  if (!outer.constructed) {
    return make_error(fmt::format("{} at offset {} must be constructed", what, outer.offset));
  }
  Reader reader(outer.content, outer.content_offset);
  auto inner = reader.next();
  if (!inner) return make_error(fmt::format("{}: {}", what, inner.error().message));
  if (!reader.at_end()) {
    return make_error(
        fmt::format("{} at offset {}: octets after its one element", what, outer.offset));
  }
  return inner;
}

Result<std::int64_t> decode_integer(std::span<const std::uint8_t> content) {
  if (content.empty()) return make_error("INTEGER has no content octets");
  if (content.size() > 8) {
    return make_error(fmt::format("INTEGER of {} octets exceeds 64 bits", content.size()));
  }
  if (content.size() > 1) {
    const bool redundant_zero = content[0] == 0x00 && (content[1] & 0x80) == 0;
    const bool redundant_ones = content[0] == 0xFF && (content[1] & 0x80) != 0;
    if (redundant_zero || redundant_ones) return make_error("INTEGER is not minimally encoded");
  }
  // Sign-extend from the first octet, then shift in the rest.
  std::uint64_t bits = (content[0] & 0x80) != 0 ? ~std::uint64_t{0} : 0;
  for (std::uint8_t octet : content)
    bits = (bits << 8) | octet;
  return static_cast<std::int64_t>(bits);
}

Result<bool> decode_first_bit(std::span<const std::uint8_t> content) {
  if (content.empty()) return make_error("BIT STRING has no unused-bits octet");
  const std::uint8_t unused = content[0];
  if (unused > 7) return make_error(fmt::format("BIT STRING: {} unused bits (at most 7)", unused));
  if (content.size() == 1) {
    if (unused != 0) return make_error("BIT STRING without bits must have 0 unused bits");
    return false;
  }
  return (content[1] & 0x80) != 0;
}

std::vector<std::uint8_t> encode_integer(std::int64_t value) {
  std::vector<std::uint8_t> octets;
  const auto bits = static_cast<std::uint64_t>(value);
  std::size_t count = 8;
  // Drop leading octets that only repeat the sign of the next one.
  while (count > 1) {
    const auto top = static_cast<std::uint8_t>(bits >> ((count - 1) * 8));
    const auto next = static_cast<std::uint8_t>(bits >> ((count - 2) * 8));
    const bool redundant =
        (top == 0x00 && (next & 0x80) == 0) || (top == 0xFF && (next & 0x80) != 0);
    if (!redundant) break;
    --count;
  }
  for (std::size_t i = count; i > 0; --i) {
    octets.push_back(static_cast<std::uint8_t>(bits >> ((i - 1) * 8)));
  }
  return octets;
}

Status append(std::vector<std::uint8_t>& out, std::uint8_t identifier,
              std::span<const std::uint8_t> content) {
  const std::size_t length = content.size();
  if (length > max_length) {
    return make_error(
        fmt::format("element 0x{:02X} of {} octets exceeds the {} a DLMS APDU can have", identifier,
                    length, max_length));
  }
  out.push_back(identifier);
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(length));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length & 0xFFU));
  }
  out.insert(out.end(), content.begin(), content.end());
  return {};
}

Status append_wrapped(std::vector<std::uint8_t>& out, std::uint8_t outer, std::uint8_t inner,
                      std::span<const std::uint8_t> content) {
  std::vector<std::uint8_t> wrapped;
  wrapped.reserve(content.size() + 4);
  if (auto status = append(wrapped, inner, content); !status) return status;
  return append(out, outer, wrapped);
}

}  // namespace ber
}  // namespace gridmeter::dlms
