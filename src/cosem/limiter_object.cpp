#include "cosem/limiter_object.hpp"

#include <string>   // std::string
#include <utility>  // std::move

#include "cosem/calendar_values.hpp"
#include "cosem/script_table.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;
using dlms::DataType;

constexpr std::uint8_t wildcard = CosemDateTime::not_specified;

Data action_item(LimiterAction action) {
  const std::uint16_t selector = action == LimiterAction::disconnect  ? disconnect_script
                                 : action == LimiterAction::reconnect ? reconnect_script
                                                                      : 0;
  return Data::structure(
      {octet_string(disconnector_script_table_obis.bytes()), Data::unsigned16(selector)});
}

// An action_item as the limiter action it names: selector 0 of any table is no action.
DataAccessResult read_action(const Data& item, LimiterAction& out) {
  const Data* fields = structure_fields(item, 2);
  const auto octets = fields == nullptr ? std::nullopt : fields[0].as_octets();
  std::int64_t selector = 0;
  if (!octets || octets->size() != 6 || !read_integer(fields[1], DataType::unsigned16, selector)) {
    return DataAccessResult::type_unmatched;
  }
  if (selector == 0) {
    out = LimiterAction::none;
    return DataAccessResult::success;
  }
  if (fields[0].as_obis() != disconnector_script_table_obis) return DataAccessResult::other_reason;
  if (selector == disconnect_script) {
    out = LimiterAction::disconnect;
  } else if (selector == reconnect_script) {
    out = LimiterAction::reconnect;
  } else {
    return DataAccessResult::other_reason;
  }
  return DataAccessResult::success;
}

bool all_wildcards(const CosemDateTime& time) {
  return time.year == CosemDateTime::year_not_specified && time.month == wildcard &&
         time.day == wildcard && time.weekday == wildcard && time.hour == wildcard &&
         time.minute == wildcard && time.second == wildcard && time.hundredths == wildcard;
}

// emergency_profile ::= structure { id long-unsigned, activation octet-string (12),
// duration double-long-unsigned }; an all-wildcard activation means none.
DataAccessResult read_emergency_profile(const Data& value, const TimeZone& zone,
                                        EmergencyProfile& out) {
  const Data* fields = structure_fields(value, 3);
  const auto octets = fields == nullptr ? std::nullopt : fields[1].as_octets();
  std::int64_t id = 0;
  std::int64_t duration = 0;
  if (!octets || octets->size() != CosemDateTime::encoded_size ||
      !read_integer(fields[0], DataType::unsigned16, id) ||
      !read_integer(fields[2], DataType::unsigned32, duration)) {
    return DataAccessResult::type_unmatched;
  }
  const Result<CosemDateTime> time = CosemDateTime::decode(*octets);
  if (!time) return DataAccessResult::other_reason;
  EmergencyProfile profile{.id = static_cast<std::uint16_t>(id),
                           .activation = std::nullopt,
                           .duration_s = static_cast<std::uint32_t>(duration)};
  if (!all_wildcards(*time)) {
    const Result<UtcMicros> instant = from_cosem(*time, zone);
    if (!instant) return DataAccessResult::other_reason;
    profile.activation = *instant;
  }
  out = profile;
  return DataAccessResult::success;
}

}  // namespace

LimiterObject::LimiterObject(MeterAccess& access, std::vector<MonitorTarget> targets)
    : CosemObject(class_id_value, 0, limiter_obis), access_(access), targets_(std::move(targets)) {}

AttributeAccess LimiterObject::attribute_access(int attribute) const {
  if (attribute == 2 || (attribute >= 4 && attribute <= 9) || attribute == 11) {
    return AttributeAccess::read_write;
  }
  return CosemObject::attribute_access(attribute);
}

dlms::GetDataResult LimiterObject::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  const Meter& meter = access_.meter();
  const LimiterConfig& limiter = meter.config().limiter;
  const bool emergency = meter.state().supply.limiter.emergency_active;
  const MonitorTarget target = monitor_target(targets_, limiter.value);
  auto threshold = [&](double value) {
    return integer_data(target.type, scaled_value(value, target.scaler_unit.scaler));
  };
  switch (attribute) {
    case 2:
      return monitored_value_data(target);
    case 3:
      return threshold(active_threshold(limiter, emergency));
    case 4:
      return threshold(limiter.threshold_normal);
    case 5:
      return threshold(limiter.threshold_emergency);
    case 6:
      return Data::unsigned32(limiter.min_over_s);
    case 7:
      return Data::unsigned32(limiter.min_under_s);
    case 8: {
      const EmergencyProfile& profile = limiter.emergency;
      const CosemDateTime activation = profile.activation
                                           ? to_cosem(*profile.activation, meter.config().zone)
                                           : unspecified_date_time();
      return Data::structure({Data::unsigned16(profile.id), date_time_octets(activation),
                              Data::unsigned32(profile.duration_s)});
    }
    case 9: {
      std::vector<Data> groups;
      for (const std::uint16_t id : limiter.emergency_groups)
        groups.push_back(Data::unsigned16(id));
      return Data::array(std::move(groups));
    }
    case 10:
      return Data::boolean(emergency);
    default:  // 11: the base class refused the rest
      return Data::structure({action_item(limiter.over), action_item(limiter.under)});
  }
}

dlms::DataAccessResult LimiterObject::set_attribute(int attribute, const Data& value) {
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  LimiterConfig& limiter = config.limiter;
  switch (attribute) {
    case 2:
      if (DataAccessResult read = read_monitored_value(value, limiter.value);
          read != DataAccessResult::success) {
        return read;
      }
      break;
    case 4:
    case 5: {
      const std::optional<std::int64_t> raw = value.as_int64();
      if (!value.is_integer() || !raw) return DataAccessResult::type_unmatched;
      const MonitorTarget target = monitor_target(targets_, limiter.value);
      (attribute == 4 ? limiter.threshold_normal : limiter.threshold_emergency) =
          unscaled_value(*raw, target.scaler_unit.scaler);
      break;
    }
    case 6:
    case 7: {
      std::int64_t seconds = 0;
      if (!read_integer(value, DataType::unsigned32, seconds)) {
        return DataAccessResult::type_unmatched;
      }
      (attribute == 6 ? limiter.min_over_s : limiter.min_under_s) =
          static_cast<std::uint32_t>(seconds);
      break;
    }
    case 8:
      if (DataAccessResult read = read_emergency_profile(value, config.zone, limiter.emergency);
          read != DataAccessResult::success) {
        return read;
      }
      break;
    case 9: {
      if (value.type() != DataType::array) return DataAccessResult::type_unmatched;
      std::vector<std::uint16_t> groups;
      for (const Data& element : value.elements()) {
        std::int64_t id = 0;
        if (!read_integer(element, DataType::unsigned16, id)) {
          return DataAccessResult::type_unmatched;
        }
        groups.push_back(static_cast<std::uint16_t>(id));
      }
      limiter.emergency_groups = std::move(groups);
      break;
    }
    default: {  // 11, actions
      const Data* fields = structure_fields(value, 2);
      if (fields == nullptr) return DataAccessResult::type_unmatched;
      for (int i = 0; i < 2; ++i) {
        if (DataAccessResult read = read_action(fields[i], i == 0 ? limiter.over : limiter.under);
            read != DataAccessResult::success) {
          return read;
        }
      }
      break;
    }
  }
  // validate() refuses what the limiter cannot do (a reconnect over the threshold, durations
  // past a day, more than 16 groups, a value that is not instantaneous).
  return reprogram(meter, config);
}

}  // namespace gridmeter::cosem
