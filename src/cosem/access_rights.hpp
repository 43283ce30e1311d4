// Access rights per client: which objects an association shows, and what it may do with each
// attribute and method (IEC 62056-6-2 clause 4.4.3, Association LN object_list access_rights;
// the client roles follow an IDIS-style meter).
//
//   ClientRights rights(ClientRole::public_client);
//   rights.visible(clock);                   // true: the public client may read the clock
//   rights.attribute_access(clock, 2);       // AttributeAccess::read, even though the class
//                                            // allows read-write: the role takes writing away
//   rights.method_access(clock, 6);          // false
//
//   ClientRights custom(ClientRole::reader,
//                       {{.object = Obis{0, 0, 1, 0, 0, 255}, .kind = AccessRule::Kind::attribute,
//                         .index = 2, .attribute_access = AttributeAccess::read_write}});
//
// A role gives the defaults; configured rules (the association rights table of
// `gridmeter run --clients`) change them object by object. Whatever a role or rule grants,
// an attribute never gets more than its class allows (a read-only value stays read-only), and
// an object a client does not see is, for that client, not there at all.
#pragma once

#include <cstdint>      // std::uint8_t
#include <optional>     // std::optional
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/obis.hpp"
#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

enum class ClientRole : std::uint8_t {
  // SAP 16, no authentication: the logical device name, identification, the clock, its own
  // association, the SAP assignment and the invocation counter, read-only (what a client
  // needs to find its way and to start a ciphered association).
  public_client,
  // The reading client: every register, profile, log and setting, read-only; no methods.
  reader,
  // The management client: everything its classes allow, every method (settings, the clock,
  // calendars, disconnect, keys).
  management,
  // The firmware update client: identification, the clock, image transfer and its activation.
  firmware_update,
};

// One entry of the association rights table: a change to a role's rights on one object.
struct AccessRule {
  enum class Kind : std::uint8_t {
    hide,       // the object is not shown at all
    show,       // shown, with the role's attribute rights (read for public and reader)
    attribute,  // attribute `index` (0: every attribute) gets `attribute_access`
    method,     // method `index` (0: every method) is allowed or not
  };
  Obis object;
  Kind kind = Kind::show;
  int index = 0;
  AttributeAccess attribute_access = AttributeAccess::none;
  bool method_allowed = false;

  friend bool operator==(const AccessRule&, const AccessRule&) = default;
};

class ClientRights {
 public:
  explicit ClientRights(ClientRole role = ClientRole::public_client,
                        std::vector<AccessRule> rules = {});

  [[nodiscard]] ClientRole role() const { return role_; }
  [[nodiscard]] const std::vector<AccessRule>& rules() const { return rules_; }

  // Whether the client sees `object`: the role's view (or `shown_by_default` instead, for
  // objects whose visibility depends on whose they are), then the rules.
  [[nodiscard]] bool visible(const CosemObject& object,
                             std::optional<bool> shown_by_default = std::nullopt) const;
  // For an object the client sees: the role's (or a rule's) right on an attribute, narrowed to
  // what the class allows, and whether it may invoke a method.
  [[nodiscard]] AttributeAccess attribute_access(const CosemObject& object, int attribute) const;
  [[nodiscard]] bool method_access(const CosemObject& object, int method) const;

 private:
  // The role's own view, before rules.
  [[nodiscard]] bool role_shows(const CosemObject& object) const;
  [[nodiscard]] AttributeAccess role_attribute_access(const CosemObject& object) const;
  [[nodiscard]] bool role_invokes(const CosemObject& object) const;

  ClientRole role_;
  std::vector<AccessRule> rules_;
};

// "public", "reader", "management", "firmware"; and back (nullopt for another word).
std::string_view to_string(ClientRole role);
std::optional<ClientRole> client_role_named(std::string_view name);

}  // namespace gridmeter::cosem
