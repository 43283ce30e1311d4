// HOST[:PORT] as users write a network address: `127.0.0.1:4059`, `meter.example:4059`,
// `[::1]:4059`, or a host alone, which takes the default port.
//
//   parse_host_port("10.0.0.7", dlms_cosem_port)   ->  {"10.0.0.7", 4059}
//   parse_host_port("[::1]:5000", 4059)            ->  {"::1", 5000}
//   parse_host_port("host:70000", 4059)            ->  error: port 70000 is not 0..65535
#pragma once

#include <cstdint>      // std::uint16_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"

namespace gridmeter::transport {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

Result<HostPort> parse_host_port(std::string_view text, std::uint16_t default_port);

}  // namespace gridmeter::transport
