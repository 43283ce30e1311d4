// Access rights per client: which objects an association shows, and what it may do with each
// attribute and method (IEC 62056-6-2 clause 4.4.3, Association LN object_list access_rights;
// the client roles follow the IDIS-style meter of the issue).
//
//   ClientRole role = ClientRole::public_client;
//   visible(role, clock);                     // true: the public client may read the clock
//   attribute_access(role, clock, 2);         // AttributeAccess::read, even though the class
//                                             // allows read-write: the role takes writing away
//   method_access(role, clock, 6);            // false
//
// The rights are the class's own (what CosemObject::attribute_access allows) narrowed by the
// role; an object a role does not show is, for that client, not there at all.
#pragma once

#include <cstdint>   // std::uint8_t
#include <optional>  // std::optional

#include "core/obis.hpp"
#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

enum class ClientRole : std::uint8_t {
  // SAP 16, no authentication: the logical device name, identification, the clock, its own
  // association and the SAP assignment, read-only (what a client needs to find its way).
  public_client,
  // The reading client (SAP 32, LLS): every register, profile, log and setting, read-only; no
  // methods, and never the association's secret.
  reader,
};

[[nodiscard]] bool visible(ClientRole role, const CosemObject& object);
[[nodiscard]] AttributeAccess attribute_access(ClientRole role, const CosemObject& object,
                                               int attribute);
[[nodiscard]] bool method_access(ClientRole role, const CosemObject& object, int method);

}  // namespace gridmeter::cosem
