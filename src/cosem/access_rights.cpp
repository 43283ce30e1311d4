#include "cosem/access_rights.hpp"

#include <algorithm>  // std::any_of
#include <array>      // std::array
#include <utility>    // std::move

namespace gridmeter::cosem {
namespace {

// What the public client may see (IDIS-style: identification and time, the objects that
// describe the association, and the invocation counter a ciphering client starts from).
constexpr std::array public_objects{
    Obis{0, 0, 42, 0, 0, 255},  // logical device name
    Obis{0, 0, 96, 1, 0, 255},  // serial number
    Obis{1, 0, 0, 2, 0, 255},   // firmware version
    Obis{0, 0, 1, 0, 0, 255},   // clock
    Obis{0, 0, 40, 0, 0, 255},  // current association
    Obis{0, 0, 41, 0, 0, 255},  // SAP assignment
    Obis{0, 0, 43, 1, 0, 255},  // invocation counter
};

// The firmware update client's: identification, time, and the image transfer with its
// activation schedule, which it alone (besides management) may write and invoke.
constexpr std::array firmware_objects{
    Obis{0, 0, 42, 0, 0, 255}, Obis{0, 0, 96, 1, 0, 255}, Obis{1, 0, 0, 2, 0, 255},
    Obis{1, 0, 0, 2, 8, 255},  Obis{0, 0, 1, 0, 0, 255},  Obis{0, 0, 40, 0, 0, 255},
    Obis{0, 0, 43, 1, 0, 255},
};
constexpr std::array firmware_writable{
    Obis{0, 0, 44, 0, 0, 255},  // image transfer
    Obis{0, 0, 15, 0, 2, 255},  // image activation schedule
};

template <std::size_t N>
bool listed(const std::array<Obis, N>& list, const Obis& name) {
  return std::any_of(list.begin(), list.end(), [&](const Obis& entry) { return entry == name; });
}

// The part of `wanted` the class allows: access modes are bits (1 read, 2 write).
AttributeAccess narrow(AttributeAccess wanted, AttributeAccess allowed) {
  return static_cast<AttributeAccess>(static_cast<std::uint8_t>(wanted) &
                                      static_cast<std::uint8_t>(allowed));
}

}  // namespace

ClientRights::ClientRights(ClientRole role, std::vector<AccessRule> rules)
    : role_(role), rules_(std::move(rules)) {}

bool ClientRights::role_shows(const CosemObject& object) const {
  switch (role_) {
    case ClientRole::public_client:
      return listed(public_objects, object.logical_name());
    case ClientRole::reader:
    case ClientRole::management:
      return true;
    case ClientRole::firmware_update:
      return listed(firmware_objects, object.logical_name()) ||
             listed(firmware_writable, object.logical_name());
  }
  return false;
}

AttributeAccess ClientRights::role_attribute_access(const CosemObject& object) const {
  switch (role_) {
    case ClientRole::public_client:
    case ClientRole::reader:
      return AttributeAccess::read;
    case ClientRole::management:
      return AttributeAccess::read_write;
    case ClientRole::firmware_update:
      return listed(firmware_writable, object.logical_name()) ? AttributeAccess::read_write
                                                              : AttributeAccess::read;
  }
  return AttributeAccess::none;
}

bool ClientRights::role_invokes(const CosemObject& object) const {
  switch (role_) {
    case ClientRole::public_client:
    case ClientRole::reader:
      return false;
    case ClientRole::management:
      return true;
    case ClientRole::firmware_update:
      return listed(firmware_writable, object.logical_name());
  }
  return false;
}

bool ClientRights::visible(const CosemObject& object, std::optional<bool> shown_by_default) const {
  bool shown = shown_by_default ? *shown_by_default : role_shows(object);
  for (const AccessRule& rule : rules_) {
    if (rule.object != object.logical_name()) continue;
    shown = rule.kind != AccessRule::Kind::hide;  // any other rule names the object to show it
  }
  return shown;
}

AttributeAccess ClientRights::attribute_access(const CosemObject& object, int attribute) const {
  AttributeAccess access = role_attribute_access(object);
  for (const AccessRule& rule : rules_) {
    if (rule.object != object.logical_name() || rule.kind != AccessRule::Kind::attribute) continue;
    if (rule.index == 0 || rule.index == attribute) access = rule.attribute_access;
  }
  return narrow(access, object.attribute_access(attribute));
}

bool ClientRights::method_access(const CosemObject& object, int method) const {
  bool allowed = role_invokes(object);
  for (const AccessRule& rule : rules_) {
    if (rule.object != object.logical_name() || rule.kind != AccessRule::Kind::method) continue;
    if (rule.index == 0 || rule.index == method) allowed = rule.method_allowed;
  }
  return allowed;
}

std::string_view to_string(ClientRole role) {
  switch (role) {
    case ClientRole::public_client:
      return "public";
    case ClientRole::reader:
      return "reader";
    case ClientRole::management:
      return "management";
    case ClientRole::firmware_update:
      return "firmware";
  }
  return "unknown";
}

std::optional<ClientRole> client_role_named(std::string_view name) {
  for (ClientRole role : {ClientRole::public_client, ClientRole::reader, ClientRole::management,
                          ClientRole::firmware_update}) {
    if (to_string(role) == name) return role;
  }
  return std::nullopt;
}

}  // namespace gridmeter::cosem
