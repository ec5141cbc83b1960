#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "optim/optimizers/detail/state_json.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(state_json_test)

BOOST_AUTO_TEST_CASE(bits_are_the_ieee_patterns) {
  const auto json = tensor_to_json(Tensor::from_values({2}, {1.0, -2.0}, DType::float32));
  BOOST_TEST(json.at("bits").get<std::string>() == "3f800000c0000000");
  BOOST_TEST(json.at("dtype").get<std::string>() == "float32");
  BOOST_TEST((json.at("shape").get<Shape>() == Shape{2}));
  const auto wide = tensor_to_json(Tensor::scalar(0.1, DType::float64));
  BOOST_TEST(wide.at("bits").get<std::string>() == "3fb999999999999a");
  BOOST_TEST(double_to_hex(0.1) == "3fb999999999999a");
}

BOOST_AUTO_TEST_CASE(every_value_round_trips_exactly) {
  const double inf = std::numeric_limits<double>::infinity();
  for (DType dtype : {DType::float32, DType::float64}) {
    Tensor t = Tensor::from_values({2, 3}, {0.1, -0.0, inf, -inf, 1e-310, 3.14159}, dtype);
    t.visit([](auto& a) {
      a.data()[1] =
          std::numeric_limits<typename std::decay_t<decltype(a)>::value_type>::quiet_NaN();
    });
    const Tensor back = tensor_from_json(nlohmann::json::parse(tensor_to_json(t).dump()), "test");
    BOOST_TEST(bitwise_equal(back, t));
  }
  const Tensor empty = Tensor::zeros({0, 4}, DType::float64);
  const Tensor empty_back = tensor_from_json(tensor_to_json(empty), "test");
  BOOST_TEST((empty_back.shape() == Shape{0, 4}));
  BOOST_TEST(empty_back.dtype() == DType::float64);
  for (double v : {0.1, -0.0, inf, 5e-324}) {
    const double back = double_from_hex(double_to_hex(v), "test");
    BOOST_TEST(std::memcmp(&back, &v, sizeof v) == 0);
  }
}

BOOST_AUTO_TEST_CASE(damaged_forms_are_errors_naming_the_place) {
  auto good = tensor_to_json(Tensor::from_values({2}, {1, 2}, DType::float32));
  auto broken = good;
  broken["bits"] = "3f800000c000000g";
  require_error<ValueError>([&] { tensor_from_json(broken, "slot m"); },
                            {"slot m", "hex digits", "'g'"});
  broken = good;
  broken["bits"] = "3f800000";
  require_error<ValueError>([&] { tensor_from_json(broken, "slot m"); },
                            {"slot m", "16 hex digits for float32 (2)", "8 digits"});
  broken = good;
  broken.erase("shape");
  require_error<ValueError>([&] { tensor_from_json(broken, "slot m"); }, {"slot m", "\"shape\""});
  broken = good;
  broken["shape"] = {2, -1};
  require_error<ValueError>([&] { tensor_from_json(broken, "slot m"); },
                            {"slot m", "non-negative integers"});
  broken = good;
  broken["dtype"] = "int8";
  require_error<ValueError>([&] { tensor_from_json(broken, "slot m"); }, {"int8"});
  require_error<ValueError>([] { double_from_hex("3fb9", "rate"); },
                            {"rate", "16 hex digits", "\"3fb9\""});
}

BOOST_AUTO_TEST_SUITE_END()
