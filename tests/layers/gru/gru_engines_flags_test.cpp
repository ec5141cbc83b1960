// The layer flags and loss terms with either engine (the cases of layer_test, regularizers_test
// and gru_layer_test that touch the GRU): training off records nothing, store keeps the same
// gradients, update freezes, lda_coeff scales the input gradient, and the regularizers and the
// activity regularizer give the same terms and gradients.
#include <boost/test/unit_test.hpp>

#include "autodiff/tape.hpp"
#include "layers/params/regularizers.hpp"
#include "optim/optimizers/parameter_registration.hpp"
#include "optim/optimizers/sgd.hpp"
#include "tests/layers/gru/gru_engines_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::engine_options;
using testing::EngineRun;
using testing::random_tensor;
using testing::require_engines_agree_in_both_dtypes;

namespace {

const Tensor x = random_tensor({2, 5, 3}, 1);

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_engines_flags_test)

BOOST_AUTO_TEST_CASE(training_off_records_nothing_and_computes_the_same) {
  for (GruEngine engine : {GruEngine::composite, GruEngine::fused}) {
    Gru layer(engine_options().depth(2).engine(engine));
    const Value leaf(x, true);
    const Tensor trained = layer.run(leaf).output.value();
    layer.set_training(false);
    const std::size_t before = current_tape().size();
    const GruResult result = layer.run(leaf, {});
    BOOST_TEST(current_tape().size() == before);
    BOOST_TEST(!result.output.requires_grad());
    BOOST_TEST(!result.states[1].requires_grad());
    BOOST_TEST(testing::bitwise_equal(result.output.value(), trained));
  }
  require_engines_agree_in_both_dtypes("training off", engine_options().depth(2),
                                       [](Gru& layer, EngineRun& run) {
                                         layer.set_training(false);
                                         run.result("call", layer.run(run.leaf("input", x)));
                                       });
}

BOOST_AUTO_TEST_CASE(lda_coeff_scales_the_gradients_of_input_and_states) {
  require_engines_agree_in_both_dtypes(
      "lda_coeff -0.5", engine_options().depth(2),
      testing::EngineScenario([](Gru& layer, EngineRun& run) {
        layer.set_lda_coeff(-0.5);
        GruInputs inputs;
        inputs.initial_states = {run.leaf("h0 1", random_tensor({2, 4}, 2)),
                                 run.leaf("h0 2", random_tensor({2, 4}, 3))};
        run.result("call", layer.run(run.leaf("input", x), inputs));
      }));
}

BOOST_AUTO_TEST_CASE(store_keeps_the_same_gradients) {
  std::map<std::string, Tensor> stored[2];
  for (GruEngine engine : {GruEngine::composite, GruEngine::fused}) {
    Gru layer(engine_options().depth(2).engine(engine));
    layer.set_store(true);
    sum(layer(Value(x))).backward();
    stored[engine == GruEngine::fused] = layer.stored_gradients();
  }
  BOOST_TEST(stored[0].size() == 8u);
  BOOST_REQUIRE(stored[1].size() == stored[0].size());
  for (const auto& [name, gradient] : stored[0])
    BOOST_TEST(testing::max_abs_diff(stored[1].at(name), gradient) <= 1e-10, name);
}

BOOST_AUTO_TEST_CASE(update_off_freezes_the_weights) {
  for (bool update : {true, false}) {
    Gru layer(engine_options().engine(GruEngine::fused));
    layer(Value(x));
    layer.set_update(update);
    Sgd sgd(SgdOptions().learning_rate(0.1));
    register_parameters(sgd, layer);
    const Tensor before = layer.parameter("recurrent_kernel").value().clone();
    sum(layer(Value(x))).backward();
    sgd.step();
    const Tensor after = layer.parameter("recurrent_kernel").value();
    BOOST_TEST(testing::bitwise_equal(before, after) == !update);
  }
}

BOOST_AUTO_TEST_CASE(regularizers_and_the_activity_regularizer) {
  const auto options = engine_options()
                           .depth(2)
                           .kernel_regularizer({"l2", {{"l2", 0.3}}})
                           .recurrent_regularizer({"l1", {{"l1", 0.2}}})
                           .bias_regularizer({"l1_l2", {{"l1", 0.1}, {"l2", 0.1}}})
                           .activity_regularizer({"l1", {{"l1", 0.2}}});
  require_engines_agree_in_both_dtypes("regularizers", options, [](Gru& layer, EngineRun& run) {
    run.result("call", layer.run(run.leaf("input", x)));
    run.result("parameter terms", parameter_regularization(layer));
    run.result("activity term", activity_regularization(layer));
  });
}

BOOST_AUTO_TEST_CASE(worst_differences) {
  testing::report_engine_differences("gru_engines_flags_test");
}

BOOST_AUTO_TEST_SUITE_END()
