// Model files with metadata: kept exactly, absent reads as an empty object, the model loads as
// without it, and a non-object is refused on writing and on reading.

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

std::shared_ptr<Sequential> metadata_model() {
  auto model = std::make_shared<Sequential>();
  model->add(std::make_shared<InputLayer>(ShapePattern{3}))
      .add(std::make_shared<Dense>(DenseOptions(2).seed(4)));
  model->build();
  return model;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_metadata_test)

BOOST_AUTO_TEST_CASE(metadata_is_kept_and_the_model_loads_as_without_it) {
  testing::TempDir dir;
  const auto model = metadata_model();
  const nlohmann::json metadata = {{"data", {{"window", 12}, {"columns", {"a", "b"}}}},
                                   {"note", "x"}};
  save_model(dir.file("with.grutape"), *model, metadata);
  save_model(dir.file("without.grutape"), *model);
  BOOST_TEST(load_model_metadata(dir.file("with.grutape")) == metadata);
  BOOST_TEST(load_model_metadata(dir.file("without.grutape")) == nlohmann::json::object());
  const Tensor x = Tensor::from_values({1, 3}, {0.5, -1, 2});
  const Tensor a = (*load_model(dir.file("with.grutape")))(Value(x)).value();
  const Tensor b = (*load_model(dir.file("without.grutape")))(Value(x)).value();
  BOOST_TEST(testing::bitwise_equal(a, b));
}

BOOST_AUTO_TEST_CASE(metadata_must_be_an_object) {
  testing::TempDir dir;
  const auto model = metadata_model();
  require_error<ValueError>([&] { save_model(dir.file("m.grutape"), *model, nlohmann::json(3)); },
                            {"format_model", "metadata that is a JSON object", "the number 3"});
  // A file whose metadata an editor turned into a string: the header is re-packed, so the
  // checksum still holds and only the metadata is wrong.
  save_model(dir.file("m.grutape"), *model, {{"k", 1}});
  std::string bytes = read_file(dir.file("m.grutape"));
  const std::string from = "\"metadata\": {\n  \"k\": 1\n }";
  const std::size_t at = bytes.find(from);
  BOOST_REQUIRE(at != std::string::npos);
  const std::string to = "\"metadata\": \"k\"";
  bytes.replace(at, from.size(), to + std::string(from.size() - to.size(), ' '));
  write_file_atomically(dir.file("m.grutape"), bytes);
  require_error<IoError>([&] { load_model_metadata(dir.file("m.grutape")); },
                         {"m.grutape", "\"metadata\"", "expected an object", "the string \"k\""});
}

BOOST_AUTO_TEST_SUITE_END()
