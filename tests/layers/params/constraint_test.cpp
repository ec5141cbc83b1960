#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/gru/options.hpp"
#include "layers/params/constraint.hpp"
#include "optim/optimizers/parameter_registration.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using boost::test_tools::tolerance;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(constraint_test)

namespace {

constexpr double eps = 1e-7;

// A (2, 3) kernel: columns have norms 5, 0.5 and 0 along axis 0; rows sqrt(9 + 0.09 + 0)... .
Tensor kernel(DType dtype = DType::float64) {
  return Tensor::from_values({2, 3}, {3, 0.3, 0, 4, 0.4, 0}, dtype);
}

}  // namespace

BOOST_AUTO_TEST_CASE(max_norm_caps_each_column) {
  Tensor w = kernel();
  MaxNorm(2.0).apply(w);
  // Column 0 (norm 5) is scaled to norm 2; column 1 (norm 0.5) keeps its norm up to the fuzz.
  BOOST_TEST(w.flat(0) == 3 * 2 / (eps + 5), tolerance(1e-15));
  BOOST_TEST(w.flat(3) == 4 * 2 / (eps + 5), tolerance(1e-15));
  BOOST_TEST(w.flat(1) == 0.3 * 0.5 / (eps + 0.5), tolerance(1e-15));
  BOOST_TEST(w.flat(4) == 0.4 * 0.5 / (eps + 0.5), tolerance(1e-15));
  BOOST_TEST(w.flat(2) == 0.0);
  BOOST_TEST(w.flat(5) == 0.0);
}

BOOST_AUTO_TEST_CASE(max_norm_over_the_last_axis) {
  Tensor w = kernel(DType::float32);
  MaxNorm(1.0, -1).apply(w);
  // Row norms: sqrt(9.09) and sqrt(16.16).
  const double n0 = std::sqrt(9.09), n1 = std::sqrt(16.16);
  BOOST_TEST(w.flat(0) == 3 / (eps + n0), tolerance(1e-6));
  BOOST_TEST(w.flat(1) == 0.3 / (eps + n0), tolerance(1e-6));
  BOOST_TEST(w.flat(4) == 0.4 / (eps + n1), tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(non_neg_zeroes_negatives) {
  Tensor w = Tensor::from_values({5}, {-1, 0, 2, -0.5, 3}, DType::float32);
  NonNeg().apply(w);
  BOOST_TEST(w.to_vector() == (std::vector<double>{0, 0, 2, 0, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(!std::signbit(w.flat(0)));
}

BOOST_AUTO_TEST_CASE(unit_norm_normalises_each_column) {
  Tensor w = kernel();
  UnitNorm().apply(w);
  BOOST_TEST(w.flat(0) == 3 / (eps + 5), tolerance(1e-15));
  BOOST_TEST(w.flat(3) == 4 / (eps + 5), tolerance(1e-15));
  BOOST_TEST(w.flat(1) == 0.3 / (eps + 0.5), tolerance(1e-15));
  BOOST_TEST(w.flat(2) == 0.0);  // an all-zero column stays zero
}

BOOST_AUTO_TEST_CASE(min_max_norm_blends_with_rate) {
  // Norms 5 and 0.5 into [1, 2] at rate 0.5: desired 0.5 * 2 + 0.5 * 5 = 3.5 and
  // 0.5 * 1 + 0.5 * 0.5 = 0.75.
  Tensor w = kernel();
  MinMaxNorm(1, 2, 0.5).apply(w);
  BOOST_TEST(w.flat(0) == 3 * 3.5 / (eps + 5), tolerance(1e-15));
  BOOST_TEST(w.flat(1) == 0.3 * 0.75 / (eps + 0.5), tolerance(1e-15));
  BOOST_TEST(w.flat(4) == 0.4 * 0.75 / (eps + 0.5), tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(a_middle_axis_of_a_rank_3_tensor) {
  // (2, 2, 2): norms over axis 1 pair elements (o, 0, i) with (o, 1, i).
  Tensor w = Tensor::from_values({2, 2, 2}, {3, 1, 4, 0, 0, 6, 0, 8}, DType::float64);
  UnitNorm(1).apply(w);
  const double expected[] = {3 / (eps + 5), 1 / (eps + 1), 4 / (eps + 5), 0, 0, 6 / (eps + 10), 0,
                             8 / (eps + 10)};
  for (std::size_t i = 0; i < 8; ++i) BOOST_TEST(w.flat(i) == expected[i], tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(specs_round_trip_through_json) {
  for (const auto& name : constraint_names()) {
    const auto constraint = make_constraint(name);
    const auto text = constraint_to_json(*constraint).dump();
    const auto rebuilt = constraint_from_json(nlohmann::json::parse(text));
    BOOST_TEST(rebuilt->name() == name);
    BOOST_TEST(rebuilt->parameters() == constraint->parameters());
  }
  const auto custom = make_constraint(
      "min_max_norm", {{"min_value", 0.5}, {"max_value", 3}, {"rate", 0.25}, {"axis", -1}});
  const auto parameters = custom->parameters();
  BOOST_TEST(parameters.at("min_value") == 0.5);
  BOOST_TEST(parameters.at("rate") == 0.25);
  BOOST_TEST(parameters.at("axis") == -1);
  BOOST_TEST(make_constraint("max_norm")->parameters().at("max_value") == 2);
}

BOOST_AUTO_TEST_CASE(bad_specs_and_shapes_are_errors) {
  require_error<ValueError>([] { make_constraint("clip"); },
                            {"make_constraint", "max_norm", "\"clip\""});
  require_error<ValueError>(
      [] {
        make_constraint("unit_norm", {{"max_value", 1}});
      },
      {"make_constraint: unit_norm", "parameters among axis", "\"max_value\""});
  require_error<ValueError>(
      [] {
        make_constraint("max_norm", {{"axis", 0.5}});
      },
      {"max_norm", "an integer axis", "0.5"});
  require_error<ValueError>([] { MaxNorm(0); }, {"max_norm", "max_value > 0", "max_value = 0"});
  require_error<ValueError>([] { MinMaxNorm(3, 2); },
                            {"min_max_norm", "min_value in [0, max_value = 2]", "3"});
  require_error<ValueError>([] { MinMaxNorm(0, 1, 1.5); },
                            {"min_max_norm", "rate in [0, 1]", "1.5"});
  require_error<ValueError>(
      [] {
        constraint_from_json({{"parameters", nlohmann::json::object()}});
      },
      {"constraint_from_json", "the key \"name\""});
  require_error<ValueError>(
      [] {
        constraint_from_json({{"name", "max_norm"}, {"parameters", {{"axis", "0"}}}});
      },
      {"constraint_from_json: key \"parameters\".axis", "a number"});
  Tensor scalar = Tensor::scalar(2.0);
  require_error<ShapeError>([&] { MaxNorm().apply(scalar); },
                            {"max_norm", "an axis in [0, 0)", "0 for rank 0"});
}

// A program's own constraint: every element clipped to [-limit, limit].
class ClipConstraint : public Constraint {
 public:
  explicit ClipConstraint(double limit) : limit_(limit) {}
  void apply(Tensor& tensor) const override {
    tensor.visit([this](auto& array) {
      for (auto& w : array) w = std::clamp<std::decay_t<decltype(w)>>(w, -limit_, limit_);
    });
  }
  std::string name() const override { return "test_clip"; }
  std::map<std::string, double> parameters() const override { return {{"limit", limit_}}; }

 private:
  double limit_;
};

std::shared_ptr<const Constraint> clip_factory(const NamedSpec& spec, const std::string& where) {
  require_parameters(spec, {"limit"}, where);
  const double limit = spec.parameter("limit", 1);
  if (!(limit > 0)) throw ValueError(where + ": test_clip", "limit > 0", std::to_string(limit));
  return std::make_shared<ClipConstraint>(limit);
}

BOOST_AUTO_TEST_CASE(a_registered_constraint_works_in_specs_layer_options_and_json) {
  register_constraint("test_clip", clip_factory);
  const auto made = make_constraint("test_clip", {{"limit", 0.5}});
  Tensor w = Tensor::from_values({3}, {-2, 0.25, 0.75}, DType::float64);
  made->apply(w);
  BOOST_TEST(w.to_vector() == std::vector<double>({-0.5, 0.25, 0.5}),
             boost::test_tools::per_element());
  const auto rebuilt = constraint_from_json(constraint_to_json(*made));
  BOOST_TEST(rebuilt->parameters() == made->parameters());
  // GRU options (and so model files) accept it, and its checks run there.
  const ConstraintSpec spec("test_clip", {{"limit", 2}});
  const GruOptions options =
      GruOptions::from_json({{"units", 2}, {"kernel_constraint", spec.to_json()}});
  BOOST_TEST(options.kernel_constraint() == spec);
  require_error<ValueError>(
      [] {
        GruOptions(2).kernel_constraint({"test_clip", {{"limit", -1}}}).validate();
      },
      {"GruOptions: kernel_constraint: test_clip", "limit > 0"});
  // The optimizer's per-parameter options carry it.
  const ParamOptions param = param_options_from(ParameterSettings{{}, spec, 1, 1}, false);
  BOOST_TEST(param.constraint()->name() == "test_clip");

  const testing::RegistryKind<ConstraintFactory> kind{
      "register_constraint", "unregister_constraint",
      register_constraint,   unregister_constraint,
      constraint_names,      [](const std::string& name) { make_constraint(name); },
      "make_constraint"};
  testing::check_registry_rules(kind, "test_clip", "max_norm", ConstraintFactory(clip_factory));
}

BOOST_AUTO_TEST_SUITE_END()
