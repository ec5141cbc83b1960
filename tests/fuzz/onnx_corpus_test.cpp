// Replays the ONNX fuzzer's corpus (tests/fuzz/corpus/onnx: valid exports, the PyTorch reference
// models, damaged variants, and inputs the fuzzer found that once failed) through the importer in
// the regular build: each file must give a model or be refused with a one-line grutape::Error
// that names it; any other exception or a crash fails the suite.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "layers/onnx/onnx.hpp"

using namespace grutape;

namespace {

const std::string kOnnxCorpus = std::string(GRUTAPE_TEST_DATA) + "/../fuzz/corpus/onnx";

std::vector<std::string> onnx_corpus_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kOnnxCorpus)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "imported", or the grutape error's message; anything else escapes.
std::string import_outcome(const std::string& bytes, const std::string& name) {
  try {
    parse_onnx(bytes, name);
    return "imported";
  } catch (const Error& error) {
    return error.what();
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(onnx_corpus_test)

BOOST_AUTO_TEST_CASE(every_corpus_file_imports_or_is_a_grutape_error) {
  if (!onnx_available()) {
    BOOST_TEST_MESSAGE("skipped: this build has no ONNX (GRUTAPE_ONNX=OFF or libonnx-dev missing)");
    return;
  }
  const std::vector<std::string> files = onnx_corpus_files();
  BOOST_TEST(files.size() >= 10u);
  for (const std::string& file : files) {
    BOOST_TEST_CONTEXT(file) {
      const std::string name = std::filesystem::path(file).filename().string();
      std::string outcome;
      BOOST_CHECK_NO_THROW(outcome = import_outcome(read_file(file), name));
      BOOST_TEST_MESSAGE(name << ": " << outcome);
      if (name.rfind("valid-", 0) == 0) {
        BOOST_TEST(outcome == "imported");
      } else if (outcome != "imported") {
        BOOST_TEST(outcome.find(name) != std::string::npos, outcome);
        BOOST_TEST(outcome.find('\n') == std::string::npos, outcome);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
