#include "support/temp_dir.hpp"

#include <stdlib.h>  // mkdtemp

#include <cassert>
#include <vector>

namespace gridmeter::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "gridmeter-test-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const char* made = mkdtemp(buffer.data());
  assert(made != nullptr);
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace gridmeter::testing
