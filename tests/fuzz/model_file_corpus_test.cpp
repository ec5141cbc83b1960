// Replays the fuzzer's corpus (tests/fuzz/corpus: valid files, damaged variants, and inputs the
// fuzzer found that once failed) through the loaders in the regular build: each file must load
// or be refused with a grutape::Error; any other exception or a crash fails the suite.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "layers/serialization/model_file.hpp"
#include "optim/optimizers/optimizer_config.hpp"
#include "optim/training/checkpoint.hpp"
#include "tests/layers/serialization/model_file_bytes.hpp"
#include "tests/temp_dir.hpp"

using namespace grutape;

namespace {

const std::string kCorpus = std::string(GRUTAPE_TEST_DATA) + "/../fuzz/corpus";

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "loaded", or the grutape error's message; anything else escapes.
template <class Load>
std::string outcome(Load load) {
  try {
    load();
    return "loaded";
  } catch (const Error& error) {
    return error.what();
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_file_corpus_test)

BOOST_AUTO_TEST_CASE(every_corpus_file_loads_or_is_a_grutape_error) {
  const std::vector<std::string> files = corpus_files();
  BOOST_TEST(files.size() >= 10u);
  for (const std::string& file : files) {
    BOOST_TEST_CONTEXT(file) {
      const std::string bytes = read_file(file);
      const std::string name = std::filesystem::path(file).filename().string();
      std::string as_model, as_checkpoint;
      BOOST_CHECK_NO_THROW(as_model = outcome([&] { parse_model(bytes, name); }));
      BOOST_CHECK_NO_THROW(as_checkpoint = outcome([&] { parse_checkpoint(bytes, name); }));
      BOOST_TEST_MESSAGE(name << ": " << as_model);
      // The valid seeds load; the damaged ones name the file in their message.
      if (name.rfind("valid-", 0) == 0) {
        BOOST_TEST((as_model == "loaded"));
        if (name == "valid-checkpoint") BOOST_TEST((as_checkpoint == "loaded"));
      } else if (as_model != "loaded") {
        BOOST_TEST(as_model.find("model file \"" + name + "\"") == 0u, as_model);
      }
    }
  }
}

// The valid files were written before the layers' states were saved by name: saved again they
// give the same header and data, except that a model without GRUs writes no empty "gru_layers"
// and a checkpoint lists the carried states as "carried_states", not "gru_states". ("model" is
// left out: the layers' options have gained keys since, each with the default it had.)
BOOST_AUTO_TEST_CASE(valid_files_save_again_as_they_were_written) {
  for (const std::string name : {"valid-gru", "valid-embedding", "valid-dense-float64"}) {
    BOOST_TEST_CONTEXT(name) {
      const std::string bytes = read_file(kCorpus + "/" + name);
      const testing::ModelFileParts before = testing::split_model_file(bytes);
      const testing::ModelFileParts after =
          testing::split_model_file(format_model(*parse_model(bytes, name)));
      nlohmann::json expected = before.header, saved = after.header;
      if (expected.at("gru_layers").empty()) expected.erase("gru_layers");
      expected.erase("model");
      saved.erase("model");
      BOOST_TEST(saved == expected);
      BOOST_TEST((after.data == before.data));
    }
  }
  const std::string bytes = read_file(kCorpus + "/valid-checkpoint");
  const Checkpoint checkpoint = parse_checkpoint(bytes, "valid-checkpoint");
  auto optimizer = make_optimizer(checkpoint.optimizer_config);
  optimizer->load_state(checkpoint.optimizer_state);
  testing::TempDir dir;
  save_checkpoint(dir.file("again"), *checkpoint.model, *optimizer, checkpoint.training);
  const testing::ModelFileParts before = testing::split_model_file(bytes);
  const testing::ModelFileParts after = testing::split_model_file(read_file(dir.file("again")));
  nlohmann::json expected = before.header, saved = after.header;
  expected["carried_states"] = expected.at("gru_states");
  expected.erase("gru_states");
  expected.erase("model");
  saved.erase("model");
  BOOST_TEST(saved == expected);
  BOOST_TEST((after.data == before.data));
}

BOOST_AUTO_TEST_SUITE_END()
