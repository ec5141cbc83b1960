#include <boost/test/unit_test.hpp>

#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/basic/flatten.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/basic/reshape.hpp"
#include "layers/models/sequential.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

template <class L>
std::shared_ptr<L> with_name(std::shared_ptr<L> layer, const std::string& name) {
  layer->set_name(name);
  return layer;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sequential_summary_test)

BOOST_AUTO_TEST_CASE(table_with_free_timesteps_and_frozen_layers) {
  Sequential model;
  model.set_name("tagger");
  model.add(with_name(sequence_input(8), "tokens"))
      .add(with_name(std::make_shared<Dense>(DenseOptions(16)), "hidden"))
      .add(with_name(std::make_shared<Dropout>(DropoutOptions(0.5)), "drop"))
      .add(with_name(std::make_shared<Dense>(DenseOptions(4)), "out"));
  model.layer("out")->set_update(false);
  // hidden: 8 * 16 + 16 = 144; out: 16 * 4 + 4 = 68, frozen.
  const std::string expected = R"(Model: "tagger"
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
hidden (dense)               (None, None, 16)          144
_________________________________________________________________
drop (dropout)               (None, None, 16)          0
_________________________________________________________________
out (dense)                  (None, None, 4)           68
=================================================================
Total params: 212
Trainable params: 144
Non-trainable params: 68
_________________________________________________________________
)";
  BOOST_TEST(model.summary() == expected);
  BOOST_TEST(trainable_parameter_count(model) == 144u);
  BOOST_TEST(shape_pattern_to_string(model.output_shapes()[0]) == "(None, None, 8)");
}

BOOST_AUTO_TEST_CASE(shapes_from_the_first_forward_and_wide_columns) {
  Sequential model;
  model.add(std::make_shared<Embedding>(EmbeddingOptions(10, 3)))
      .add(std::make_shared<Flatten>())
      .add(std::make_shared<Dense>(DenseOptions(2)));
  require_error<ValueError>([&] { model.summary(); }, {"summary", "a built model", "not built"});
  model(Value(Tensor::zeros({5, 4})));
  std::vector<std::string> shapes;
  for (const auto& shape : model.output_shapes()) shapes.push_back(shape_pattern_to_string(shape));
  BOOST_TEST(shapes == (std::vector<std::string>{"(None, 4, 3)", "(None, 12)", "(None, 2)"}));
  // 10 * 3 + 0 + 12 * 2 + 2
  BOOST_TEST(model.summary().find("Total params: 56\n") != std::string::npos);

  Sequential wide;
  wide.set_name("wide");
  wide.add(with_name(std::make_shared<Dense>(DenseOptions(1000)),
                     "a_rather_long_layer_name_for_the_table"));
  wide.build({1, 8}, DType::float32);
  const std::string expected = R"(Model: "wide"
___________________________________________________________________________________
Layer (type)                                   Output Shape              Param #
===================================================================================
a_rather_long_layer_name_for_the_table (dense) (None, 1000)              9000
===================================================================================
Total params: 9,000
Trainable params: 9,000
Non-trainable params: 0
___________________________________________________________________________________
)";
  BOOST_TEST(wide.summary() == expected);
}

BOOST_AUTO_TEST_CASE(extents_that_follow_the_timesteps_are_free) {
  Sequential model;
  model.add(sequence_input(2)).add(std::make_shared<Reshape>(std::vector<long>{-1}));
  model.add(std::make_shared<Reshape>(std::vector<long>{-1, 1}));
  model.build();
  std::vector<std::string> shapes;
  for (const auto& shape : model.output_shapes()) shapes.push_back(shape_pattern_to_string(shape));
  BOOST_TEST(shapes ==
             (std::vector<std::string>{"(None, None, 2)", "(None, None)", "(None, None, 1)"}));
  Sequential fixed;
  fixed.add(sequence_input(2, 5)).add(std::make_shared<Reshape>(std::vector<long>{-1}));
  fixed.build();
  BOOST_TEST(shape_pattern_to_string(fixed.output_shapes()[1]) == "(None, 10)");
}

BOOST_AUTO_TEST_CASE(layers_added_after_the_build_are_measured_again) {
  Sequential model;
  model.add(sequence_input(3)).add(std::make_shared<Dense>(DenseOptions(2)));
  model.build();
  BOOST_TEST(model.output_shapes().size() == 2u);
  model.add(std::make_shared<Flatten>());
  BOOST_TEST(model.summary().find("(None, None)") != std::string::npos);
  BOOST_TEST(model.output_shapes().size() == 3u);
  Sequential plain;
  plain.add(std::make_shared<Dense>(DenseOptions(2)));
  plain(Value(Tensor::zeros({1, 3})));
  plain.add(std::make_shared<Dense>(DenseOptions(2)));
  require_error<ValueError>([&] { plain.summary(); }, {"summary", "not built since"});
  plain(Value(Tensor::zeros({1, 3})));
  BOOST_TEST(plain.output_shapes().size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
