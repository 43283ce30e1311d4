// The object list: lookup, order, and which objects each connection gets.
#include <gtest/gtest.h>

#include <memory>   // std::make_unique
#include <set>      // std::set
#include <utility>  // std::pair
#include <vector>   // std::vector

#include "cosem/data_object.hpp"
#include "cosem/object_list.hpp"
#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

TEST(ObjectList, FindsByClassAndName) {
  ObjectList list;
  list.add(std::make_unique<DataObject>(Obis{0, 0, 96, 1, 0, 255},
                                        [] { return Data::visible_string("1"); }));
  list.add(std::make_unique<DataObject>(Obis{0, 0, 42, 0, 0, 255},
                                        [] { return Data::visible_string("2"); }));
  EXPECT_EQ(list.size(), 2U);
  EXPECT_NE(list.find(1, Obis{0, 0, 42, 0, 0, 255}), nullptr);
  EXPECT_EQ(list.find(3, Obis{0, 0, 42, 0, 0, 255}), nullptr);  // other class
  EXPECT_EQ(list.find(Obis{0, 0, 42, 0, 0, 255})->class_id(), 1);
  EXPECT_EQ(list.find(Obis{0, 0, 42, 0, 1, 255}), nullptr);
  std::vector<Obis> order;
  for (const auto& object : list)
    order.push_back(object->logical_name());
  EXPECT_EQ(order, (std::vector<Obis>{Obis{0, 0, 96, 1, 0, 255}, Obis{0, 0, 42, 0, 0, 255}}));
}

TEST(DataObject, ValidatingSetter) {
  int stored = 5;
  DataObject object(
      Obis{0, 0, 96, 50, 0, 255},
      [&stored] { return Data::unsigned8(static_cast<std::uint8_t>(stored)); },
      [&stored](const Data& value) {
        if (value.type() != dlms::DataType::unsigned8) return DataAccessResult::type_unmatched;
        if (*value.as_uint64() > 9) return DataAccessResult::other_reason;
        stored = static_cast<int>(*value.as_uint64());
        return DataAccessResult::success;
      });
  EXPECT_EQ(object.attribute_access(2), AttributeAccess::read_write);
  EXPECT_EQ(object.set(2, Data::unsigned8(7)), DataAccessResult::success);
  EXPECT_EQ(test::value_of(object, 2), Data::unsigned8(7));
  EXPECT_EQ(object.set(2, Data::unsigned8(10)), DataAccessResult::other_reason);
  EXPECT_EQ(object.set(2, Data::unsigned16(1)), DataAccessResult::type_unmatched);
  EXPECT_EQ(object.set(1, Data::octets({0, 0, 96, 50, 0, 255})),
            DataAccessResult::read_write_denied);
  EXPECT_EQ(object.set(3, Data::unsigned8(1)), DataAccessResult::object_undefined);
  EXPECT_EQ(stored, 7);
}

TEST(BuildMeterObjects, ThreePhaseHasEveryPhase) {
  test::TestAccess access(Connection::three_phase_4w, gridmeter::test::utc(2026, 1, 7, 9, 0));
  const ObjectList list = build_meter_objects(access, DeviceIdentity{});
  std::set<Obis> names;
  for (const auto& object : list)
    EXPECT_TRUE(names.insert(object->logical_name()).second) << to_string(object->logical_name());
  for (int c : {32, 52, 72, 31, 51, 71, 91, 21, 41, 61, 22, 42, 62, 33, 53, 73}) {
    EXPECT_NE(list.find(3, Obis{1, 0, static_cast<std::uint8_t>(c), 7, 0, 255}), nullptr) << c;
  }
  for (int c : {32, 52, 72, 31, 51, 71}) {
    EXPECT_NE(list.find(3, Obis{1, 0, static_cast<std::uint8_t>(c), 7, 124, 255}), nullptr) << c;
  }
  EXPECT_NE(list.find(3, Obis{1, 0, 61, 8, 0, 255}), nullptr);
  EXPECT_NE(list.find(8, Obis{0, 0, 1, 0, 0, 255}), nullptr);
  EXPECT_NE(list.find(7, Obis{1, 0, 99, 1, 0, 255}), nullptr);  // from add_profile_objects
  for (std::uint8_t t = 0; t <= 8; ++t) {
    EXPECT_NE(list.find(4, Obis{1, 0, 1, 6, t, 255}), nullptr);
    EXPECT_NE(list.find(4, Obis{1, 0, 2, 6, t, 255}), nullptr);
  }
  for (std::uint8_t c = 1; c <= 4; ++c)
    EXPECT_NE(list.find(5, Obis{1, 0, c, 4, 0, 255}), nullptr);
  // Every object answers every attribute it declares.
  for (const auto& object : list) {
    for (int attribute = 1; attribute <= object->attribute_count(); ++attribute) {
      EXPECT_TRUE(std::holds_alternative<Data>(object->get(attribute, std::nullopt)))
          << to_string(object->logical_name()) << " attribute " << attribute;
    }
  }
}

TEST(BuildMeterObjects, ManagementTimeBoundAndNetworkObjectsInOrder) {
  test::TestAccess access(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0));
  // Without network settings (a meter not served over TCP) there are no network objects.
  const ObjectList plain = build_meter_objects(access, DeviceIdentity{});
  EXPECT_EQ(plain.find(Obis{0, 0, 25, 0, 0, 255}), nullptr);
  EXPECT_EQ(plain.find(Obis{0, 0, 25, 1, 0, 255}), nullptr);
  ObjectList list = build_meter_objects(access, DeviceIdentity{}, NetworkSettings{});
  EXPECT_EQ(list.size(), plain.size() + 2);
  std::vector<std::pair<std::uint16_t, Obis>> head;
  for (const auto& object : list) {
    head.emplace_back(object->class_id(), object->logical_name());
    if (head.size() == 20) break;
  }
  const std::vector<std::pair<std::uint16_t, Obis>> expected{
      {1, Obis{0, 0, 42, 0, 0, 255}},   {1, Obis{0, 0, 96, 1, 0, 255}},
      {1, Obis{1, 0, 0, 2, 0, 255}},    {17, Obis{0, 0, 41, 0, 0, 255}},
      {8, Obis{0, 0, 1, 0, 0, 255}},    {1, Obis{0, 0, 96, 14, 0, 255}},
      {1, Obis{0, 0, 0, 1, 0, 255}},    {1, Obis{0, 0, 96, 7, 21, 255}},
      {1, Obis{0, 0, 96, 10, 1, 255}},  {1, Obis{0, 0, 96, 11, 0, 255}},
      {1, Obis{0, 0, 96, 11, 1, 255}},  {1, Obis{0, 0, 96, 11, 2, 255}},
      {9, Obis{0, 0, 10, 0, 100, 255}}, {9, Obis{0, 0, 10, 0, 1, 255}},
      {9, Obis{0, 0, 10, 0, 106, 255}}, {11, Obis{0, 0, 11, 0, 0, 255}},
      {20, Obis{0, 0, 13, 0, 0, 255}},  {22, Obis{0, 0, 15, 0, 0, 255}},
      {41, Obis{0, 0, 25, 0, 0, 255}},  {42, Obis{0, 0, 25, 1, 0, 255}}};
  EXPECT_EQ(head, expected);
  // The objects are bound: the billing script resets the billing period of this meter.
  EXPECT_EQ(list.find(9, Obis{0, 0, 10, 0, 1, 255})->action(1, Data::unsigned16(1)).result,
            dlms::ActionResult::success);
  EXPECT_EQ(access.meter().state().billing_count, 1U);
  // Every object answers every attribute it declares.
  for (const auto& object : list) {
    for (int attribute = 1; attribute <= object->attribute_count(); ++attribute) {
      EXPECT_TRUE(std::holds_alternative<Data>(object->get(attribute, std::nullopt)))
          << to_string(object->logical_name()) << " attribute " << attribute;
    }
  }
}

TEST(AddNetworkObjects, AddsTheSetupObjects) {
  ObjectList list;
  NetworkSettings settings;
  settings.tcp_port = 4060;
  add_network_objects(list, settings);
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(test::value_of(*list.find(41, Obis{0, 0, 25, 0, 0, 255}), 2), Data::unsigned16(4060));
  EXPECT_NE(list.find(42, Obis{0, 0, 25, 1, 0, 255}), nullptr);
}

TEST(BuildMeterObjects, ThreeWireHasTotalsOnly) {
  test::TestAccess access(Connection::three_phase_3w, gridmeter::test::utc(2026, 1, 7, 9, 0));
  const ObjectList list = build_meter_objects(access, DeviceIdentity{});
  EXPECT_NE(list.find(3, Obis{1, 0, 1, 7, 0, 255}), nullptr);
  EXPECT_NE(list.find(3, Obis{1, 0, 14, 7, 0, 255}), nullptr);
  EXPECT_EQ(list.find(3, Obis{1, 0, 32, 7, 0, 255}), nullptr);
  EXPECT_EQ(list.find(3, Obis{1, 0, 91, 7, 0, 255}), nullptr);
  EXPECT_EQ(list.find(3, Obis{1, 0, 21, 8, 0, 255}), nullptr);
}

}  // namespace
}  // namespace gridmeter::cosem
