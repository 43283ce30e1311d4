// add_profile_objects: one Profile generic object (class 7) per profile the meter keeps. Kept
// apart from profile_generic.cpp so the class builds and is tested without the object list.
//
//   ObjectList list;
//   add_profile_objects(list, access);   // 1-0:99.1.0.255, 0-0:98.1.0.255, 0-0:99.98.0.255, ...
#include <memory>  // std::make_unique

#include "cosem/meter_access.hpp"
#include "cosem/object_list.hpp"
#include "cosem/profile_generic.hpp"
#include "meter/meter.hpp"

namespace gridmeter::cosem {

void add_profile_objects(ObjectList& list, MeterAccess& access) {
  for (const Profile* profile : access.meter().profiles()) {
    const Obis obis = profile->obis();
    // Found again by OBIS on every read, never by the pointer in hand: new programming rebuilds
    // the meter's profiles, and the analysis log may be switched off (the object then answers
    // object_unavailable).
    list.add(std::make_unique<ProfileGeneric>(
        obis, [&access, obis] { return find_profile(access.meter().profiles(), obis); },
        [&access]() -> const TimeZone& { return access.meter().config().zone; }));
  }
}

}  // namespace gridmeter::cosem
