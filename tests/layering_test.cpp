// Layering and core hygiene, checked over the source tree (STYLE: "style checked by code").
//   - a layer includes only itself and the layers below it;
//   - the deterministic core (core/, meter/) reads no wall clock and does no stream I/O.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::set<std::string>> allowed_includes{
    {"core", {"core"}},
    {"meter", {"core", "meter"}},
    {"metrology", {"core", "meter", "metrology"}},
    {"config", {"core", "meter", "config"}},
    // The store keeps the DLMS server's security state (dlms/security_state.hpp, plain data).
    {"store", {"core", "meter", "config", "dlms", "store"}},
    {"sim", {"core", "meter", "metrology", "sim"}},
    // DLMS knows nothing of the meter; transports carry bytes and know nothing of COSEM.
    {"dlms", {"core", "dlms"}},
    {"transport", {"core", "transport"}},
    {"cosem", {"core", "meter", "dlms", "cosem"}},
    {"app",
     {"core", "meter", "metrology", "config", "store", "sim", "dlms", "transport", "cosem", "app"}},
};

std::string read(const fs::path& path) {
  std::ifstream file(path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> sources_of(const std::string& layer) {
  std::vector<fs::path> files;
  const fs::path root = fs::path(GRIDMETER_SOURCE_DIR) / "src" / layer;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const auto extension = entry.path().extension();
    if (extension == ".cpp" || extension == ".hpp") files.push_back(entry.path());
  }
  return files;
}

// The layer of each project include (`#include "layer/file.hpp"`) in a source text.
std::vector<std::string> included_layers(const std::string& text) {
  std::vector<std::string> layers;
  const std::string directive = "#include \"";
  for (std::size_t at = text.find(directive); at != std::string::npos;
       at = text.find(directive, at + 1)) {
    const std::size_t begin = at + directive.size();
    const std::size_t slash = text.find('/', begin);
    const std::size_t quote = text.find('"', begin);
    if (slash != std::string::npos && slash < quote) {
      layers.push_back(text.substr(begin, slash - begin));
    }
  }
  return layers;
}

TEST(Layering, EachLayerIncludesOnlyLayersBelowIt) {
  int checked = 0;
  for (const auto& [layer, allowed] : allowed_includes) {
    for (const fs::path& file : sources_of(layer)) {
      for (const std::string& included : included_layers(read(file))) {
        EXPECT_TRUE(allowed.count(included) == 1)
            << file << " (layer " << layer << ") includes " << included << "/";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20);
}

TEST(Layering, DeterministicCoreReadsNoClockAndDoesNoStreamIo) {
  const std::vector<std::string> forbidden{
      "system_clock::now", "steady_clock::now", "<iostream>", "std::cout",
      "std::cerr",         "time(nullptr)",     "<thread>"};
  int checked = 0;
  for (const std::string layer : {"core", "meter"}) {
    for (const fs::path& file : sources_of(layer)) {
      // The one sanctioned reader of the system clock.
      if (file.filename() == "clock.cpp") continue;
      const std::string text = read(file);
      for (const std::string& word : forbidden) {
        EXPECT_EQ(text.find(word), std::string::npos)
            << file << " uses " << word << " inside the deterministic core";
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
