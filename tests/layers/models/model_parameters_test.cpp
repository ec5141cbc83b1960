#include <boost/test/unit_test.hpp>

#include "layers/basic/dense.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/model_parameters.hpp"
#include "layers/models/sequential.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(model_parameters_test)

BOOST_AUTO_TEST_CASE(parameters_come_with_their_owner_and_own_name) {
  auto gru = std::make_shared<Gru>(GruOptions(2).depth(2));
  auto dense = std::make_shared<Dense>(DenseOptions(1));
  Sequential model;
  model.add(gru).add(dense);
  model(Value(Tensor::zeros({1, 3, 2})));
  const auto parameters = model_parameters(model);
  const auto named = model.named_parameters();
  BOOST_REQUIRE(parameters.size() == named.size());
  for (std::size_t i = 0; i < named.size(); ++i) {
    BOOST_TEST(parameters[i].name == named[i].first);
    BOOST_TEST(parameters[i].value.slot() == named[i].second.slot());
  }
  BOOST_TEST(parameters[4].owner == gru.get());
  BOOST_TEST(parameters[4].own_name == "kernel_2");
  BOOST_TEST(parameters.back().owner == dense.get());
  BOOST_TEST(parameters.back().own_name == "bias");
  BOOST_TEST(gru->own_parameters().size() == 8u);
  BOOST_TEST(model.own_parameters().empty());
}

BOOST_AUTO_TEST_CASE(a_shared_layer_counts_once) {
  auto shared = std::make_shared<Dense>(DenseOptions(2));
  auto first = std::make_shared<Sequential>(), second = std::make_shared<Sequential>();
  first->add(shared);
  second->add(shared);
  Sequential outer;
  outer.add(first).add(second);
  outer(Value(Tensor::zeros({1, 2})));
  BOOST_TEST(outer.named_parameters().size() == 4u);
  const auto parameters = model_parameters(outer);
  BOOST_REQUIRE(parameters.size() == 2u);
  BOOST_TEST(parameters[0].name == first->name() + "." + shared->name() + ".kernel");
}

BOOST_AUTO_TEST_SUITE_END()
