// Reading the small text files a meter is programmed with (the configuration, the secrets),
// with a size bound so that a wrong path (a device, a huge log) is an error, not a hang.
//
//   Result<std::string> text = read_text_file("meter.toml", 1 << 20, "meter config");
//   // "cannot open meter config meter.toml: No such file or directory"
#pragma once

#include <cstddef>      // std::size_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"

namespace gridmeter::config {

// `what` names the file's role in messages.
Result<std::string> read_text_file(const std::string& path, std::size_t size_max_bytes,
                                   std::string_view what);

}  // namespace gridmeter::config
