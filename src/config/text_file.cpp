#include "config/text_file.hpp"

#include <fmt/format.h>

#include <array>    // std::array
#include <cerrno>   // errno
#include <cstring>  // std::strerror
#include <fstream>  // std::ifstream

namespace gridmeter::config {

Result<std::string> read_text_file(const std::string& path, std::size_t size_max_bytes,
                                   std::string_view what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return make_error(fmt::format("cannot open {} {}: {}", what, path, std::strerror(errno)));
  }
  std::string text;
  std::array<char, 4096> buffer{};
  while (file.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
         file.gcount() > 0) {
    text.append(buffer.data(), static_cast<std::size_t>(file.gcount()));
    if (text.size() > size_max_bytes) {
      return make_error(fmt::format("{} {} is larger than {} bytes", what, path, size_max_bytes));
    }
  }
  if (file.bad()) return make_error(fmt::format("cannot read {} {}", what, path));
  return text;
}

}  // namespace gridmeter::config
