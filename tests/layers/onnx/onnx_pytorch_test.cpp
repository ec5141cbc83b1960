// torch.onnx.export's nn.GRU graphs (tests/data/onnx/make_pytorch_models.py, outputs committed
// with the torch version in torch_version.txt) imported and run: PyTorch's outputs within 1e-5.

#include <filesystem>

#include "core/io/npy.hpp"
#include "tests/layers/onnx/onnx_support.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(onnx_pytorch_test)

BOOST_AUTO_TEST_CASE(imported_models_match_pytorch) {
  if (!testing::onnx_or_skip()) return;
  const std::string dir = std::string(GRUTAPE_TEST_DATA) + "/onnx/";
  for (const char* name : {"gru_1_layer", "gru_2_layers_batch_first", "gru_bidirectional_batch_first",
                           "gru_bidirectional_2_layers", "gru_linear_batch_first"}) {
    BOOST_TEST_CONTEXT(name) {
      const std::shared_ptr<Layer> model = load_onnx(dir + name + ".onnx");
      model->set_training(false);
      const Tensor x = load_npy(dir + name + "_input.npy");
      const Tensor expected = load_npy(dir + name + "_output.npy");
      const Tensor y = (*model)(Value(x)).value();
      BOOST_TEST_REQUIRE(y.shape() == expected.shape());
      const double difference = testing::max_abs_diff(y, expected);
      BOOST_TEST_MESSAGE(name << ": max |grutape - PyTorch| = " << difference);
      BOOST_TEST(difference < 1e-5);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
