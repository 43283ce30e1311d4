// Layering and core hygiene, checked over the source tree (STYLE: "style checked by code").
//   - a layer includes only itself and the layers below it;
//   - the deterministic core (core/, meter/) reads no wall clock and does no stream I/O.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::set<std::string>> allowed_includes{
    {"core", {"core"}},
    {"meter", {"core", "meter"}},
    {"metrology", {"core", "meter", "metrology"}},
    {"store", {"core", "meter", "store"}},
    {"sim", {"core", "meter", "metrology", "sim"}},
    {"app", {"core", "meter", "metrology", "store", "sim", "app"}},
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

TEST(Layering, EachLayerIncludesOnlyLayersBelowIt) {
  const std::regex project_include(R"re(#include\s+"([a-z_]+)/)re");
  int checked = 0;
  for (const auto& [layer, allowed] : allowed_includes) {
    for (const fs::path& file : sources_of(layer)) {
      const std::string text = read(file);
      for (std::sregex_iterator it(text.begin(), text.end(), project_include), end; it != end;
           ++it) {
        EXPECT_TRUE(allowed.count((*it)[1].str()) == 1)
            << file << " (layer " << layer << ") includes " << (*it)[1].str() << "/";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20);
}

TEST(Layering, DeterministicCoreReadsNoClockAndDoesNoStreamIo) {
  const std::regex forbidden(
      R"(system_clock::now|steady_clock::now|<iostream>|std::cout|std::cerr|\btime\(nullptr\)|<thread>)");
  int checked = 0;
  for (const std::string layer : {"core", "meter"}) {
    for (const fs::path& file : sources_of(layer)) {
      // The one sanctioned reader of the system clock.
      if (file.filename() == "clock.cpp") continue;
      const std::string text = read(file);
      std::smatch match;
      EXPECT_FALSE(std::regex_search(text, match, forbidden))
          << file << " uses " << match.str() << " inside the deterministic core";
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
