#include "dlms/axdr.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::min
#include <cassert>    // assert
#include <string>     // std::string
#include <utility>    // std::move

namespace gridmeter::dlms {
namespace {

constexpr std::uint8_t length_long_form = 0x80;  // 0x81..0x84: that many length octets follow
constexpr std::size_t length_octets_max = 4;

std::uint8_t tag_of(DataType type) { return static_cast<std::uint8_t>(type); }

// One A-XDR length read from the start of `bytes`; both decode_length and the decoder use it
// and word their own errors.
struct LengthRead {
  enum class Problem { none, missing, bad_form, truncated };
  Problem problem = Problem::none;
  std::size_t value = 0;
  std::size_t used = 0;
  std::uint8_t first = 0;  // the form octet, for messages
};

LengthRead read_length(std::span<const std::uint8_t> bytes) {
  LengthRead read;
  if (bytes.empty()) {
    read.problem = LengthRead::Problem::missing;
    return read;
  }
  read.first = bytes[0];
  if (read.first < length_long_form) {
    read.value = read.first;
    read.used = 1;
    return read;
  }
  // 0x80 (BER's indefinite form) and forms of more than 4 octets are not A-XDR; leading zero
  // octets (81 10 for 16) are not minimal but are accepted.
  const std::size_t octets = read.first & 0x7FU;
  if (octets == 0 || octets > length_octets_max) {
    read.problem = LengthRead::Problem::bad_form;
    return read;
  }
  if (1 + octets > bytes.size()) {
    read.problem = LengthRead::Problem::truncated;
    return read;
  }
  for (std::size_t i = 1; i <= octets; ++i)
    read.value = read.value << 8 | bytes[i];
  read.used = 1 + octets;
  return read;
}

constexpr std::string_view length_forms = "A-XDR allows 0x00..0x7F and 0x81..0x84";

// "long-unsigned (tag 0x12)": how errors name a type.
std::string describe(DataType type) {
  return fmt::format("{} (tag 0x{:02X})", type_name(type), tag_of(type));
}

// Octets of a fixed-size value's contents; 0 for types whose size is not fixed or is nothing.
std::size_t fixed_size(DataType type) {
  switch (type) {
    case DataType::boolean:
    case DataType::bcd:
    case DataType::integer8:
    case DataType::unsigned8:
    case DataType::enumeration:
      return 1;
    case DataType::integer16:
    case DataType::unsigned16:
      return 2;
    case DataType::integer32:
    case DataType::unsigned32:
    case DataType::float32:
      return 4;
    case DataType::integer64:
    case DataType::unsigned64:
    case DataType::float64:
      return 8;
    case DataType::date_time:
      return CosemDateTime::encoded_size;
    case DataType::date:
      return CosemDate::encoded_size;
    case DataType::time:
      return CosemTime::encoded_size;
    default:
      return 0;
  }
}

// The fewest octets one value of `description` takes without a tag, saturating: bounds how
// many compact-array elements the contents can hold before anything is reserved.
std::size_t width_min(const TypeDescription& description) {
  constexpr std::size_t saturated = SIZE_MAX;
  switch (description.type) {
    case DataType::null_data:
    case DataType::dont_care:
      return 0;
    case DataType::array: {
      const std::size_t element = width_min(description.members[0]);
      if (element != 0 && description.element_count > saturated / element) return saturated;
      return element * description.element_count;
    }
    case DataType::structure: {
      std::size_t sum = 0;
      for (const TypeDescription& member : description.members) {
        const std::size_t width = width_min(member);
        if (width > saturated - sum) return saturated;
        sum += width;
      }
      return sum;
    }
    case DataType::bit_string:
    case DataType::octet_string:
    case DataType::visible_string:
    case DataType::utf8_string:
      return 1;  // the length octet
    default:
      return fixed_size(description.type);
  }
}

// How many Data values one value of `description` is (itself and everything inside it),
// saturating.
std::size_t values_in(const TypeDescription& description) {
  constexpr std::size_t saturated = SIZE_MAX;
  std::size_t total = 1;
  if (description.type == DataType::array) {
    const std::size_t element = values_in(description.members[0]);
    if (description.element_count != 0 && element > (saturated - 1) / description.element_count) {
      return saturated;
    }
    total += element * description.element_count;
  } else if (description.type == DataType::structure) {
    for (const TypeDescription& member : description.members) {
      const std::size_t values = values_in(member);
      if (values > saturated - total) return saturated;
      total += values;
    }
  }
  return total;
}

// ---- Encoding ----

void append_big_endian(std::uint64_t value, std::size_t octets, std::vector<std::uint8_t>& out) {
  for (std::size_t i = octets; i-- > 0;)
    out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void append_octets(std::span<const std::uint8_t> bytes, std::vector<std::uint8_t>& out) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void encode_tagged(const Data& value, std::vector<std::uint8_t>& out);

// The contents of a value that is not an array, structure or compact-array.
void encode_simple(const Data& value, std::vector<std::uint8_t>& out) {
  const DataType type = value.type();
  switch (type) {
    case DataType::null_data:
    case DataType::dont_care:
      return;
    case DataType::boolean:
      out.push_back(*value.as_bool() ? 1 : 0);
      return;
    case DataType::integer8:
    case DataType::integer16:
    case DataType::integer32:
    case DataType::integer64:
      // Two's complement: the low octets of the sign-extended value.
      append_big_endian(static_cast<std::uint64_t>(*value.as_int64()), fixed_size(type), out);
      return;
    case DataType::unsigned8:
    case DataType::unsigned16:
    case DataType::unsigned32:
    case DataType::unsigned64:
      append_big_endian(*value.as_uint64(), fixed_size(type), out);
      return;
    case DataType::enumeration:
      out.push_back(*value.as_enum());
      return;
    case DataType::bcd:
      out.push_back(*value.as_bcd());
      return;
    case DataType::float32:
    case DataType::float64:
      // The bits as stored: a round trip through float or double could quieten a NaN.
      append_big_endian(*value.float_bits(), fixed_size(type), out);
      return;
    case DataType::octet_string: {
      const auto bytes = *value.as_octets();
      encode_length(bytes.size(), out);
      append_octets(bytes, out);
      return;
    }
    case DataType::visible_string:
    case DataType::utf8_string: {
      const std::string_view text = *value.as_string();
      encode_length(text.size(), out);
      out.insert(out.end(), text.begin(), text.end());
      return;
    }
    case DataType::bit_string: {
      const BitStringView bits = *value.as_bit_string();
      encode_length(bits.bit_count, out);
      append_octets(bits.octets, out);
      return;
    }
    case DataType::date_time:
      append_octets((*value.as_date_time()).encode(), out);
      return;
    case DataType::date:
      append_octets((*value.as_date()).encode(), out);
      return;
    case DataType::time:
      append_octets((*value.as_time()).encode(), out);
      return;
    case DataType::array:
    case DataType::structure:
    case DataType::compact_array:
      break;
  }
  assert(false && "encode_simple: not a simple type");
}

// A compact-array element: the shape comes from the description, so nothing is tagged and
// arrays and structures carry no counts.
void encode_untagged(const Data& value, const TypeDescription& description,
                     std::vector<std::uint8_t>& out) {
  const std::span<const Data> elements = value.elements();
  switch (description.type) {
    case DataType::array:
      for (const Data& element : elements)
        encode_untagged(element, description.members[0], out);
      return;
    case DataType::structure:
      for (std::size_t i = 0; i < elements.size(); ++i)
        encode_untagged(elements[i], description.members[i], out);
      return;
    default:
      encode_simple(value, out);
      return;
  }
}

void encode_compact_array(const CompactArray& compact, std::vector<std::uint8_t>& out) {
  encode_type_description(compact.description, out);
  // The contents length comes first but is known only afterwards: encode the contents, then
  // insert their length in front (one move of the contents, compact-arrays are rare).
  const std::size_t contents_at = out.size();
  for (const Data& element : compact.elements)
    encode_untagged(element, compact.description, out);
  std::vector<std::uint8_t> length;
  encode_length(out.size() - contents_at, length);
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(contents_at), length.begin(), length.end());
}

void encode_tagged(const Data& value, std::vector<std::uint8_t>& out) {
  out.push_back(tag_of(value.type()));
  switch (value.type()) {
    case DataType::array:
    case DataType::structure:
      encode_length(value.elements().size(), out);
      for (const Data& element : value.elements())
        encode_tagged(element, out);
      return;
    case DataType::compact_array:
      encode_compact_array(*value.as_compact_array(), out);
      return;
    default:
      encode_simple(value, out);
      return;
  }
}

// ---- Decoding ----

class Decoder {
 public:
  Decoder(std::span<const std::uint8_t> bytes, const DecodeLimits& limits)
      : bytes_(bytes),
        end_(bytes.size()),
        limits_(limits),
        depth_max_(std::min(limits.nesting_depth_max, DecodeLimits::nesting_depth_ceiling)),
        values_left_(limits.total_values_max) {}

  [[nodiscard]] std::size_t position() const { return pos_; }

  // One tagged value at the current position; `depth` is its nesting level (1 outermost).
  Result<Data> tagged(std::size_t depth) {
    const std::size_t at = pos_;
    if (left() == 0) {
      return fail(at, in_contents_ ? "the compact-array contents end where a tag was expected"
                                   : "the input ends where a tag was expected");
    }
    const std::uint8_t tag = bytes_[pos_];
    const std::optional<DataType> type = data_type_from_tag(tag);
    if (!type) return fail(at, fmt::format("unknown tag 0x{:02X}", tag));
    if (Status s = enter(*type, at, depth); !s) return s.error();
    ++pos_;
    switch (*type) {
      case DataType::array:
      case DataType::structure:
        return sequence(*type, at, depth);
      case DataType::compact_array:
        return compact_array(at, depth);
      default:
        return simple(*type, at);
    }
  }

 private:
  static Error fail(std::size_t offset, std::string_view text) {
    return make_error(fmt::format("A-XDR at offset {}: {}", offset, text));
  }

  [[nodiscard]] std::size_t left() const { return end_ - pos_; }

  // "3 left": the octets after pos_ + `consumed`, and where they end.
  std::string where_left(std::size_t consumed = 0) const {
    const std::size_t octets = left() - consumed;
    return in_contents_ ? fmt::format("{} left in the compact-array contents", octets)
                        : fmt::format("{} left", octets);
  }

  // Depth and the total value budget, checked for every value before it is read.
  Status enter(DataType type, std::size_t at, std::size_t depth) {
    if (depth > depth_max_) {
      return fail(at, fmt::format("{} nests deeper than the limit of {} levels", describe(type),
                                  depth_max_));
    }
    if (values_left_ == 0) {
      return fail(at, fmt::format("{} is beyond the limit of {} values in one decode",
                                  describe(type), limits_.total_values_max));
    }
    --values_left_;
    return {};
  }

  Status need(std::size_t octets, DataType type, std::size_t at) const {
    if (octets <= left()) return {};
    return fail(at, fmt::format("{} needs {} octets, {}", describe(type), octets, where_left()));
  }

  std::uint64_t read_big_endian(std::size_t octets) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < octets; ++i)
      value = value << 8 | bytes_[pos_++];
    return value;
  }

  std::span<const std::uint8_t> take(std::size_t octets) {
    const std::span<const std::uint8_t> taken = bytes_.subspan(pos_, octets);
    pos_ += octets;
    return taken;
  }

  // An A-XDR length (or element count) belonging to a value of `type`.
  Result<std::size_t> length(DataType type) {
    const std::size_t at = pos_;
    const LengthRead read = read_length(bytes_.subspan(pos_, left()));
    switch (read.problem) {
      case LengthRead::Problem::none:
        pos_ += read.used;
        return read.value;
      case LengthRead::Problem::missing:
        return fail(at, fmt::format("{} has no length, {}", describe(type), where_left()));
      case LengthRead::Problem::bad_form:
        return fail(at, fmt::format("{} has length form 0x{:02X}; {}", describe(type), read.first,
                                    length_forms));
      case LengthRead::Problem::truncated:
        break;
    }
    return fail(at, fmt::format("{} length 0x{:02X} needs {} more octets, {}", describe(type),
                                read.first, read.first & 0x7FU, where_left(1)));
  }

  // The element count of an array or structure, checked before anything is reserved: every
  // tagged element takes at least its tag octet, and each is a value of the total budget.
  Result<std::size_t> element_count(DataType type, std::size_t at) {
    auto count = length(type);
    if (!count) return count;
    if (*count > limits_.container_elements_max) {
      return fail(at, fmt::format("{} claims {} elements, beyond the limit of {}", describe(type),
                                  *count, limits_.container_elements_max));
    }
    if (*count > left()) {
      return fail(at,
                  fmt::format("{} claims {} elements, {}", describe(type), *count, where_left()));
    }
    if (*count > values_left_) {
      return fail(at, fmt::format("{} claims {} elements, beyond the limit of {} values in one "
                                  "decode",
                                  describe(type), *count, limits_.total_values_max));
    }
    return count;
  }

  Result<Data> sequence(DataType type, std::size_t at, std::size_t depth) {
    auto count = element_count(type, at);
    if (!count) return count.error();
    std::vector<Data> elements;
    elements.reserve(*count);
    for (std::size_t i = 0; i < *count; ++i) {
      auto element = tagged(depth + 1);
      if (!element) return element.error();
      elements.push_back(std::move(*element));
    }
    return type == DataType::array ? Data::array(std::move(elements))
                                   : Data::structure(std::move(elements));
  }

  // A string-like length in octets, against the limit and the octets left.
  Result<std::span<const std::uint8_t>> string_octets(DataType type, std::size_t at,
                                                      std::size_t octets) {
    if (octets > limits_.string_octets_max) {
      return fail(at, fmt::format("{} of {} octets is beyond the limit of {}", describe(type),
                                  octets, limits_.string_octets_max));
    }
    if (Status s = need(octets, type, at); !s) return s.error();
    return take(octets);
  }

  // The contents of a simple value at pos_; `at` is where the value began (its tag, or the
  // element's first octet inside a compact-array).
  Result<Data> simple(DataType type, std::size_t at) {
    const std::size_t size = fixed_size(type);
    if (size > 0) {
      if (Status s = need(size, type, at); !s) return s.error();
    }
    switch (type) {
      case DataType::null_data:
        return Data::null();
      case DataType::dont_care:
        return Data::dont_care();
      case DataType::boolean:
        return Data::boolean(read_big_endian(1) != 0);  // any non-zero octet is TRUE
      case DataType::integer8:
        return Data::integer8(static_cast<std::int8_t>(read_big_endian(1)));
      case DataType::integer16:
        return Data::integer16(static_cast<std::int16_t>(read_big_endian(2)));
      case DataType::integer32:
        return Data::integer32(static_cast<std::int32_t>(read_big_endian(4)));
      case DataType::integer64:
        return Data::integer64(static_cast<std::int64_t>(read_big_endian(8)));
      case DataType::unsigned8:
        return Data::unsigned8(static_cast<std::uint8_t>(read_big_endian(1)));
      case DataType::unsigned16:
        return Data::unsigned16(static_cast<std::uint16_t>(read_big_endian(2)));
      case DataType::unsigned32:
        return Data::unsigned32(static_cast<std::uint32_t>(read_big_endian(4)));
      case DataType::unsigned64:
        return Data::unsigned64(read_big_endian(8));
      case DataType::enumeration:
        return Data::enumeration(static_cast<std::uint8_t>(read_big_endian(1)));
      case DataType::bcd:
        return Data::bcd(static_cast<std::uint8_t>(read_big_endian(1)));
      case DataType::float32:
        return Data::float32_bits(static_cast<std::uint32_t>(read_big_endian(4)));
      case DataType::float64:
        return Data::float64_bits(read_big_endian(8));
      case DataType::date_time: {
        auto value = CosemDateTime::decode(take(size));
        if (!value) return fail(at, describe(type) + ": " + value.error().message);
        return Data::date_time(*value);
      }
      case DataType::date: {
        auto value = CosemDate::decode(take(size));
        if (!value) return fail(at, describe(type) + ": " + value.error().message);
        return Data::date(*value);
      }
      case DataType::time: {
        auto value = CosemTime::decode(take(size));
        if (!value) return fail(at, describe(type) + ": " + value.error().message);
        return Data::time(*value);
      }
      case DataType::octet_string:
      case DataType::visible_string:
      case DataType::utf8_string: {
        auto count = length(type);
        if (!count) return count.error();
        auto octets = string_octets(type, at, *count);
        if (!octets) return octets.error();
        if (type == DataType::octet_string) return Data::octets(*octets);
        const std::string_view text(reinterpret_cast<const char*>(octets->data()), octets->size());
        return type == DataType::visible_string ? Data::visible_string(text)
                                                : Data::utf8_string(text);
      }
      case DataType::bit_string: {
        auto bits = length(type);
        if (!bits) return bits.error();
        auto octets = string_octets(type, at, *bits / 8 + (*bits % 8 != 0 ? 1 : 0));
        if (!octets) return octets.error();
        return Data::bit_string(*octets, *bits);
      }
      case DataType::array:
      case DataType::structure:
      case DataType::compact_array:
        break;
    }
    return fail(at, fmt::format("{} is not a simple type", describe(type)));
  }

  // A compact-array's type description at pos_; `depth` as for values.
  Result<TypeDescription> description(std::size_t depth) {
    const std::size_t at = pos_;
    if (left() == 0) {
      return fail(at, "the input ends where a compact-array type description was expected");
    }
    const std::uint8_t tag = bytes_[pos_];
    const std::optional<DataType> type = data_type_from_tag(tag);
    if (!type) return fail(at, fmt::format("unknown tag 0x{:02X} in a type description", tag));
    if (*type == DataType::compact_array) {
      return fail(at, "a compact-array type description cannot hold a compact-array");
    }
    if (depth > depth_max_) {
      return fail(at, fmt::format("type description {} nests deeper than the limit of {} levels",
                                  describe(*type), depth_max_));
    }
    ++pos_;
    if (*type == DataType::array) {
      if (Status s = need(2, *type, at); !s) return s.error();
      const auto count = static_cast<std::uint16_t>(read_big_endian(2));
      auto element = description(depth + 1);
      if (!element) return element;
      // As Data::compact_array refuses them: they would expand without taking octets.
      if (count > 0 && width_min(*element) == 0) {
        return fail(at, fmt::format("type description array[{}] of {} repeats elements that "
                                    "encode to no octets",
                                    count, to_text(*element)));
      }
      return TypeDescription::array(count, std::move(*element));
    }
    if (*type == DataType::structure) {
      auto count = length(*type);
      if (!count) return count.error();
      // Each member description takes at least its tag octet.
      if (*count > limits_.container_elements_max || *count > left()) {
        return fail(
            at, fmt::format("type description {} claims {} members, {} (limit {})", describe(*type),
                            *count, where_left(), limits_.container_elements_max));
      }
      std::vector<TypeDescription> members;
      members.reserve(*count);
      for (std::size_t i = 0; i < *count; ++i) {
        auto member = description(depth + 1);
        if (!member) return member;
        members.push_back(std::move(*member));
      }
      return TypeDescription::structure(std::move(members));
    }
    return TypeDescription::simple(*type);
  }

  // One compact-array element of `description` at pos_ (no tag); depth as for values.
  Result<Data> untagged(const TypeDescription& description, std::size_t depth) {
    const std::size_t at = pos_;
    if (Status s = enter(description.type, at, depth); !s) return s.error();
    if (description.type == DataType::array || description.type == DataType::structure) {
      const bool is_array = description.type == DataType::array;
      const std::size_t count = is_array ? description.element_count : description.members.size();
      if (count > limits_.container_elements_max) {
        return fail(at,
                    fmt::format("{} of {} elements in a compact-array is beyond the limit "
                                "of {}",
                                describe(description.type), count, limits_.container_elements_max));
      }
      if (count > values_left_) {
        return fail(at, fmt::format("{} of {} elements in a compact-array is beyond the limit "
                                    "of {} values in one decode",
                                    describe(description.type), count, limits_.total_values_max));
      }
      std::vector<Data> elements;
      elements.reserve(count);
      for (std::size_t i = 0; i < count; ++i) {
        auto element =
            untagged(is_array ? description.members[0] : description.members[i], depth + 1);
        if (!element) return element;
        elements.push_back(std::move(*element));
      }
      return is_array ? Data::array(std::move(elements)) : Data::structure(std::move(elements));
    }
    return simple(description.type, at);
  }

  Result<Data> compact_array(std::size_t at, std::size_t depth) {
    auto description_read = description(depth + 1);
    if (!description_read) return description_read.error();
    const TypeDescription element_type = std::move(*description_read);
    auto contents_size = length(DataType::compact_array);
    if (!contents_size) return contents_size.error();
    if (*contents_size > left()) {
      return fail(at, fmt::format("{} contents of {} octets, {}", describe(DataType::compact_array),
                                  *contents_size, where_left()));
    }
    const std::size_t width = width_min(element_type);
    if (width == 0 && *contents_size > 0) {
      return fail(at, fmt::format("{} of {} has {} octets of contents, but its elements encode "
                                  "to no octets",
                                  describe(DataType::compact_array), to_text(element_type),
                                  *contents_size));
    }
    // Cheap refusals before building anything: one element must fit the contents and the
    // value budget.
    if (*contents_size > 0 && width > *contents_size) {
      return fail(at, fmt::format("{} of {}: one element takes at least {} octets, the "
                                  "contents hold {}",
                                  describe(DataType::compact_array), to_text(element_type), width,
                                  *contents_size));
    }
    if (const std::size_t values = values_in(element_type);
        *contents_size > 0 && values > values_left_) {
      return fail(at, fmt::format("{}: one element of {} is {} values, beyond the limit of {} "
                                  "values in one decode",
                                  describe(DataType::compact_array), to_text(element_type), values,
                                  limits_.total_values_max));
    }
    // Contents are read inside a narrowed window, so an element cannot run past them.
    const std::size_t saved_end = end_;
    const bool saved_in_contents = in_contents_;
    end_ = pos_ + *contents_size;
    in_contents_ = true;
    std::vector<Data> elements;
    if (width > 0) elements.reserve(std::min(*contents_size / width, values_left_));
    while (pos_ < end_) {
      if (elements.size() == limits_.container_elements_max) {
        return fail(at,
                    fmt::format("{} holds more than the limit of {} elements",
                                describe(DataType::compact_array), limits_.container_elements_max));
      }
      auto element = untagged(element_type, depth + 1);
      if (!element) return element;
      elements.push_back(std::move(*element));
    }
    end_ = saved_end;
    in_contents_ = saved_in_contents;
    auto value = Data::compact_array(element_type, std::move(elements));
    if (!value) return fail(at, value.error().message);
    return value;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::size_t end_;  // bytes_.size(), or the end of the compact-array contents being read
  bool in_contents_ = false;
  const DecodeLimits& limits_;
  std::size_t depth_max_;
  std::size_t values_left_;
};

}  // namespace

// ---- Public ----

void encode(const Data& value, std::vector<std::uint8_t>& out) { encode_tagged(value, out); }

std::vector<std::uint8_t> encode(const Data& value) {
  std::vector<std::uint8_t> out;
  encode_tagged(value, out);
  return out;
}

Result<Decoded> decode(std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  Decoder decoder(bytes, limits);
  auto value = decoder.tagged(1);
  if (!value) return value.error();
  return Decoded{std::move(*value), decoder.position()};
}

Result<Data> decode_all(std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  auto decoded = decode(bytes, limits);
  if (!decoded) return decoded.error();
  if (decoded->used != bytes.size()) {
    return make_error(fmt::format("A-XDR at offset {}: {} octets follow the value", decoded->used,
                                  bytes.size() - decoded->used));
  }
  return std::move(decoded->value);
}

void encode_length(std::size_t length, std::vector<std::uint8_t>& out) {
  if (length < length_long_form) {
    out.push_back(static_cast<std::uint8_t>(length));
    return;
  }
  std::size_t octets = 1;
  while (octets < length_octets_max && length >> (8 * octets) != 0)
    ++octets;
  assert(length >> (8 * octets) == 0 && "A-XDR lengths stop at 0xFFFFFFFF");
  out.push_back(static_cast<std::uint8_t>(length_long_form | octets));
  append_big_endian(length, octets, out);
}

Result<DecodedLength> decode_length(std::span<const std::uint8_t> bytes) {
  const LengthRead read = read_length(bytes);
  switch (read.problem) {
    case LengthRead::Problem::none:
      return DecodedLength{read.value, read.used};
    case LengthRead::Problem::missing:
      return make_error("A-XDR at offset 0: the input ends where a length was expected");
    case LengthRead::Problem::bad_form:
      return make_error(
          fmt::format("A-XDR at offset 0: length form 0x{:02X}; {}", read.first, length_forms));
    case LengthRead::Problem::truncated:
      break;
  }
  return make_error(fmt::format("A-XDR at offset 0: length 0x{:02X} needs {} more octets, {} left",
                                read.first, read.first & 0x7FU, bytes.size() - 1));
}

void encode_type_description(const TypeDescription& description, std::vector<std::uint8_t>& out) {
  out.push_back(tag_of(description.type));
  if (description.type == DataType::array) {
    append_big_endian(description.element_count, 2, out);
    encode_type_description(description.members[0], out);
  } else if (description.type == DataType::structure) {
    encode_length(description.members.size(), out);
    for (const TypeDescription& member : description.members)
      encode_type_description(member, out);
  }
}

}  // namespace gridmeter::dlms
