#include "cosem/register_monitor_object.hpp"

#include <algorithm>  // std::find_if
#include <string>     // std::string
#include <utility>    // std::move

#include "cosem/calendar_values.hpp"
#include "cosem/script_table.hpp"
#include "meter/analysis_log.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

constexpr std::uint16_t register_class = 3;
constexpr std::int8_t value_attribute = 2;

// The script table and selector of each meter script.
struct ScriptItem {
  Obis table;
  std::uint16_t selector = 0;
};

ScriptItem script_item(MonitorScript script) {
  switch (script) {
    case MonitorScript::none:
      return {end_of_billing_script_table_obis, 0};
    case MonitorScript::end_of_billing:
      return {end_of_billing_script_table_obis, 1};
    case MonitorScript::disconnect:
      return {disconnector_script_table_obis, disconnect_script};
    case MonitorScript::reconnect:
      return {disconnector_script_table_obis, reconnect_script};
  }
  return {end_of_billing_script_table_obis, 0};
}

// An action_item as the script it names: selector 0 of any table is the null script.
std::optional<MonitorScript> read_script(const Data& item, DataAccessResult& error) {
  const Data* fields = structure_fields(item, 2);
  const auto octets = fields == nullptr ? std::nullopt : fields[0].as_octets();
  std::int64_t selector = 0;
  if (!octets || octets->size() != 6 ||
      !read_integer(fields[1], dlms::DataType::unsigned16, selector)) {
    error = DataAccessResult::type_unmatched;
    return std::nullopt;
  }
  if (selector == 0) return MonitorScript::none;
  const std::optional<Obis> table = fields[0].as_obis();
  if (table == end_of_billing_script_table_obis && selector == 1) {
    return MonitorScript::end_of_billing;
  }
  if (table == disconnector_script_table_obis && selector == disconnect_script) {
    return MonitorScript::disconnect;
  }
  if (table == disconnector_script_table_obis && selector == reconnect_script) {
    return MonitorScript::reconnect;
  }
  error = DataAccessResult::other_reason;
  return std::nullopt;
}

}  // namespace

Obis register_monitor_obis(std::size_t index) {
  return Obis{0, 0, 16, 1, static_cast<std::uint8_t>(index), 255};
}

RegisterMonitorObject::RegisterMonitorObject(MeterAccess& access, std::size_t index,
                                             std::vector<MonitorTarget> targets)
    : CosemObject(class_id_value, 0, register_monitor_obis(index)),
      access_(access),
      index_(index),
      targets_(std::move(targets)) {}

AttributeAccess RegisterMonitorObject::attribute_access(int attribute) const {
  if (attribute >= 2 && attribute <= 4) return AttributeAccess::read_write;
  return CosemObject::attribute_access(attribute);
}

MonitorTarget monitor_target(const std::vector<MonitorTarget>& targets, const std::string& value) {
  const std::optional<std::size_t> index = find_analysis_quantity(value);
  const AnalysisQuantity& quantity = analysis_catalogue()[index.value_or(0)];
  const auto served = std::find_if(
      targets.begin(), targets.end(),
      [&](const MonitorTarget& target) { return target.logical_name == quantity.column.obis; });
  if (served != targets.end()) return *served;
  return MonitorTarget{quantity.column.obis, dlms::DataType::integer32,
                       ScalerUnit{quantity.column.scaler, quantity.column.unit}};
}

dlms::DataAccessResult read_monitored_value(const Data& value, std::string& out_id) {
  const Data* fields = structure_fields(value, 3);
  const auto octets = fields == nullptr ? std::nullopt : fields[1].as_octets();
  std::int64_t class_id = 0;
  std::int64_t attribute_index = 0;
  if (!octets || octets->size() != 6 ||
      !read_integer(fields[0], dlms::DataType::unsigned16, class_id) ||
      !read_integer(fields[2], dlms::DataType::integer8, attribute_index)) {
    return DataAccessResult::type_unmatched;
  }
  const std::optional<Obis> obis = fields[1].as_obis();
  const std::span<const AnalysisQuantity> catalogue = analysis_catalogue();
  const auto found = std::find_if(catalogue.begin(), catalogue.end(), [&](const auto& q) {
    return q.kind == AnalysisKind::instantaneous && q.column.obis == obis;
  });
  if (class_id != register_class || attribute_index != value_attribute ||
      found == catalogue.end()) {
    return DataAccessResult::other_reason;
  }
  out_id = std::string(found->id);
  return DataAccessResult::success;
}

Data monitored_value_data(const MonitorTarget& target) {
  return Data::structure({Data::unsigned16(register_class),
                          octet_string(target.logical_name.bytes()),
                          Data::integer8(value_attribute)});
}

dlms::GetDataResult RegisterMonitorObject::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  const std::vector<RegisterMonitorConfig>& monitors = access_.meter().config().register_monitors;
  // The list is built from the config; a reprogramming with fewer monitors leaves this one
  // without a monitor until the list is rebuilt.
  if (index_ >= monitors.size()) return DataAccessResult::object_unavailable;
  const RegisterMonitorConfig& monitor = monitors[index_];
  const MonitorTarget target = target_of(monitor.value);
  switch (attribute) {
    case 2: {
      std::vector<Data> thresholds;
      for (const MonitorThreshold& threshold : monitor.thresholds) {
        thresholds.push_back(
            integer_data(target.type, scaled_value(threshold.value, target.scaler_unit.scaler)));
      }
      return Data::array(std::move(thresholds));
    }
    case 3:
      return monitored_value_data(target);
    default: {  // 4: the base class refused the rest
      std::vector<Data> actions;
      for (const MonitorThreshold& threshold : monitor.thresholds) {
        auto item = [](MonitorScript script) {
          const ScriptItem named = script_item(script);
          return Data::structure(
              {octet_string(named.table.bytes()), Data::unsigned16(named.selector)});
        };
        actions.push_back(Data::structure({item(threshold.up), item(threshold.down)}));
      }
      return Data::array(std::move(actions));
    }
  }
}

dlms::DataAccessResult RegisterMonitorObject::set_attribute(int attribute, const Data& value) {
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  if (index_ >= config.register_monitors.size()) return DataAccessResult::object_unavailable;
  RegisterMonitorConfig& monitor = config.register_monitors[index_];
  switch (attribute) {
    case 2: {
      if (value.type() != dlms::DataType::array) return DataAccessResult::type_unmatched;
      const MonitorTarget target = target_of(monitor.value);
      std::vector<MonitorThreshold> thresholds;
      for (std::size_t i = 0; i < value.elements().size(); ++i) {
        const std::optional<std::int64_t> raw = value.elements()[i].as_int64();
        if (!value.elements()[i].is_integer() || !raw) return DataAccessResult::type_unmatched;
        // A threshold keeps its actions; a new one has none.
        MonitorThreshold threshold =
            i < monitor.thresholds.size() ? monitor.thresholds[i] : MonitorThreshold{};
        threshold.value = unscaled_value(*raw, target.scaler_unit.scaler);
        thresholds.push_back(threshold);
      }
      monitor.thresholds = std::move(thresholds);
      break;
    }
    case 3: {
      if (DataAccessResult read = read_monitored_value(value, monitor.value);
          read != DataAccessResult::success) {
        return read;
      }
      break;
    }
    default: {  // 4
      if (value.type() != dlms::DataType::array) return DataAccessResult::type_unmatched;
      if (value.elements().size() != monitor.thresholds.size()) {
        return DataAccessResult::other_reason;
      }
      std::vector<MonitorThreshold> thresholds = monitor.thresholds;
      for (std::size_t i = 0; i < thresholds.size(); ++i) {
        const Data* pair = structure_fields(value.elements()[i], 2);
        if (pair == nullptr) return DataAccessResult::type_unmatched;
        DataAccessResult error = DataAccessResult::success;
        const std::optional<MonitorScript> up = read_script(pair[0], error);
        const std::optional<MonitorScript> down = up ? read_script(pair[1], error) : std::nullopt;
        if (!up || !down) return error;
        thresholds[i].up = *up;
        thresholds[i].down = *down;
      }
      monitor.thresholds = std::move(thresholds);
      break;
    }
  }
  return reprogram(meter, config);
}

}  // namespace gridmeter::cosem
