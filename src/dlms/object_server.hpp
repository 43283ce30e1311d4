// ObjectServer: the object model a DLMS server serves, seen from the application layer. The
// application layer (association.hpp) decodes the service APDUs, enforces what the association
// negotiated, cuts long answers into blocks, and calls these for each attribute or method; the
// COSEM layer (cosem/logical_device.hpp) implements them over the meter. DLMS knows nothing of
// the meter: this interface is the whole of what it knows of an object.
//
//   class Objects final : public ObjectServer {
//     GetDataResult get(const AssociationContext& context,
//                       const CosemAttributeDescriptor& attribute,
//                       const std::optional<AccessSelection>& access) override { ... }
//     ...
//   };
//
// Each call answers with the result codes of IEC 62056-5-3 (Data-Access-Result,
// Action-Result): object-undefined for an object the association does not show,
// read-write-denied for an attribute or method its access rights do not allow, and so on.
#pragma once

#include <optional>  // std::optional

#include "dlms/action.hpp"
#include "dlms/association_context.hpp"
#include "dlms/data.hpp"
#include "dlms/xdlms_common.hpp"

namespace gridmeter::dlms {

class ObjectServer {
 public:
  virtual ~ObjectServer() = default;

  virtual GetDataResult get(const AssociationContext& context,
                            const CosemAttributeDescriptor& attribute,
                            const std::optional<AccessSelection>& access) = 0;
  virtual DataAccessResult set(const AssociationContext& context,
                               const CosemAttributeDescriptor& attribute,
                               const std::optional<AccessSelection>& access, const Data& value) = 0;
  virtual ActionOutcome action(const AssociationContext& context,
                               const CosemMethodDescriptor& method,
                               const std::optional<Data>& parameters) = 0;

 protected:
  ObjectServer() = default;
  ObjectServer(const ObjectServer&) = default;
  ObjectServer& operator=(const ObjectServer&) = default;
};

}  // namespace gridmeter::dlms
