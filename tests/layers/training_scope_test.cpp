#include <boost/test/unit_test.hpp>

#include "layers/basic/dense.hpp"
#include "layers/models/sequential.hpp"
#include "layers/training_scope.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(training_scope_test)

BOOST_AUTO_TEST_CASE(flags_are_set_for_the_scope_and_restored_per_layer) {
  auto a = std::make_shared<Dense>(DenseOptions(1)), b = std::make_shared<Dense>(DenseOptions(1));
  Sequential model;
  model.add(a).add(b);
  b->set_training(false);
  {
    TrainingScope inference(model, false);
    BOOST_TEST(!model.flags().training);
    BOOST_TEST(!a->flags().training);
    {
      TrainingScope training(model, true);
      BOOST_TEST(b->flags().training);
    }
    BOOST_TEST(!b->flags().training);
    BOOST_TEST(!a->flags().training);
  }
  BOOST_TEST(model.flags().training);
  BOOST_TEST(a->flags().training);
  BOOST_TEST(!b->flags().training);
  {
    TrainingScope several({a.get(), b.get()}, true);
    BOOST_TEST(b->flags().training);
  }
  BOOST_TEST(!b->flags().training);
}

BOOST_AUTO_TEST_SUITE_END()
