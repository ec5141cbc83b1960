#include <boost/test/unit_test.hpp>

#include "autodiff/custom_op.hpp"
#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/tape.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(tape_test)

BOOST_AUTO_TEST_CASE(a_value_used_twice_gets_the_sum) {
  Value x(Tensor::scalar(3.0, DType::float64), true);
  Value y = x * x + x;  // dy/dx = 2x + 1 = 7
  y.backward();
  BOOST_TEST(x.grad().item() == 7.0);
}

BOOST_AUTO_TEST_CASE(gradients_accumulate_across_backwards) {
  Value x(Tensor::scalar(2.0, DType::float64), true);
  (x * 3.0).backward();
  (x * 4.0).backward();
  BOOST_TEST(x.grad().item() == 7.0);
  x.zero_grad();
  BOOST_TEST(!x.has_grad());
}

BOOST_AUTO_TEST_CASE(a_long_chain_backpropagates_without_recursion) {
  // 100,000 recorded ops: a recursive walk would overflow the stack long before.
  Value x(Tensor::scalar(1.0, DType::float64), true);
  Value y = x;
  for (int i = 0; i < 100000; ++i) y = y * 1.0 + 0.0;
  y.backward();
  BOOST_TEST(x.grad().item() == 1.0);
  BOOST_TEST(current_tape().size() == 0u);
}

BOOST_AUTO_TEST_CASE(release_then_second_backward_is_an_error) {
  Value x(Tensor::scalar(2.0, DType::float64), true);
  Value y = x * x;
  y.backward();
  testing::require_error<ValueError>([&] { y.backward(); }, {"released", "retain_graph"});
}

BOOST_AUTO_TEST_CASE(retain_graph_allows_a_second_backward) {
  Value x(Tensor::scalar(2.0, DType::float64), true);
  Value y = x * x;
  y.backward(true);
  y.backward();
  BOOST_TEST(x.grad().item() == 8.0);
}

BOOST_AUTO_TEST_CASE(no_grad_scope_records_nothing) {
  Value x(Tensor::scalar(2.0, DType::float64), true);
  const std::size_t before = current_tape().size();
  {
    NoGradScope no_grad;
    Value y = exp(x * x);
    BOOST_TEST(!y.requires_grad());
  }
  BOOST_TEST(current_tape().size() == before);
  BOOST_TEST(grad_enabled());
}

BOOST_AUTO_TEST_CASE(constants_record_nothing) {
  const std::size_t before = current_tape().size();
  Value a(Tensor::scalar(1.0));
  Value b = a * a + 1.0;
  BOOST_TEST(!b.requires_grad());
  BOOST_TEST(current_tape().size() == before);
}

BOOST_AUTO_TEST_CASE(hooks_see_and_may_change_the_gradient) {
  Value x(Tensor::from_values({2}, {1, 2}, DType::float64), true);
  Tensor seen;
  x.add_hook([&](Tensor& grad) {
    seen = grad;
    grad = Tensor::full(grad.shape(), 6.0, DType::float64);
  });
  (x * 3.0).backward(Tensor::ones({2}, DType::float64));
  BOOST_TEST(seen.flat(0) == 3.0);
  BOOST_TEST(x.grad().flat(1) == 6.0);
}

BOOST_AUTO_TEST_CASE(multi_output_ops_get_undefined_grads_for_unused_outputs) {
  Value x(Tensor::from_values({2}, {1, 2}, DType::float64), true);
  std::vector<Tensor> seen_grads;
  auto outputs = record_multi_op("split_two", {x.value().clone(), x.value().clone()}, {x},
                                 [&](const std::vector<Tensor>& grads) {
                                   seen_grads = grads;
                                   return std::vector<Tensor>{grads[0]};
                                 });
  (outputs[0] * 2.0).backward(Tensor::ones({2}, DType::float64));
  BOOST_TEST(seen_grads[0].defined());
  BOOST_TEST(!seen_grads[1].defined());
  BOOST_TEST(x.grad().flat(0) == 2.0);
}

BOOST_AUTO_TEST_CASE(a_wrongly_shaped_custom_gradient_is_named) {
  Value x(Tensor::from_values({2}, {1, 2}, DType::float64), true);
  Value y = record_op("bad_op", x.value().clone(), {x}, [](const Tensor&) {
    return std::vector<Tensor>{Tensor::zeros({3}, DType::float64)};
  });
  testing::require_error<ShapeError>([&] { y.backward(Tensor::ones({2}, DType::float64)); },
                                     {"bad_op", "(2)", "(3)"});
}

BOOST_AUTO_TEST_CASE(a_backward_leaves_other_graphs_intact) {
  Value a(Tensor::scalar(2.0, DType::float64), true);
  Value b(Tensor::scalar(3.0, DType::float64), true);
  Value first = a * a;  // recorded first, backpropagated second
  Value second = b * b;
  second.backward();
  first.backward();
  BOOST_TEST(a.grad().item() == 4.0);
  BOOST_TEST(b.grad().item() == 6.0);
  BOOST_TEST(current_tape().size() == 0u);
}

BOOST_AUTO_TEST_CASE(reaching_a_released_graph_is_an_error_not_a_silent_zero) {
  Value x(Tensor::scalar(2.0, DType::float64), true);
  Value h = x * x;
  (h * 1.0).backward();  // releases the entry that created h
  Value y = h * 3.0;  // a new op on h: its gradient would have to flow through the released entry
  testing::require_error<ValueError>([&] { y.backward(); }, {"released", "retain_graph"});
}

BOOST_AUTO_TEST_CASE(graphs_nothing_can_reach_are_released) {
  Value x(Tensor::scalar(2.0, DType::float64), true);
  { Value unused = exp(x * x); }  // dropped: no value can ever backpropagate through it
  Value y = x * 5.0;
  y.backward();
  BOOST_TEST(x.grad().item() == 5.0);
  BOOST_TEST(current_tape().size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
