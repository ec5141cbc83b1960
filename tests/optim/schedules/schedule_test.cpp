#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "optim/callbacks/callback_config.hpp"
#include "optim/callbacks/rate_callbacks.hpp"
#include "optim/schedules/schedule.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using boost::test_tools::tolerance;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(schedule_test)

namespace {

const double pi = std::acos(-1.0);

// The schedule rebuilt from its JSON text gives the same rates.
void require_json_round_trip(const LearningRateSchedule& schedule) {
  const auto rebuilt = schedule_from_json(nlohmann::json::parse(schedule.to_json().dump()));
  BOOST_TEST(rebuilt->to_json() == schedule.to_json());
  for (std::size_t step : {0, 1, 5, 17, 100})
    BOOST_TEST(rebuilt->rate(step) == schedule.rate(step));
}

}  // namespace

BOOST_AUTO_TEST_CASE(step_decay_drops_every_step_size) {
  StepDecay schedule(0.1, 0.5, 3);
  const double expected[] = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025};
  for (std::size_t s = 0; s < 8; ++s) BOOST_TEST(schedule.rate(s) == expected[s], tolerance(1e-15));
  require_json_round_trip(schedule);
}

BOOST_AUTO_TEST_CASE(exponential_decay_continuous_and_staircase) {
  ExponentialDecay smooth(0.2, 0.5, 4), stairs(0.2, 0.5, 4, true);
  for (std::size_t s : {0, 1, 2, 4, 6, 9}) {
    BOOST_TEST(smooth.rate(s) == 0.2 * std::pow(0.5, s / 4.0), tolerance(1e-15));
    BOOST_TEST(stairs.rate(s) == 0.2 * std::pow(0.5, std::floor(s / 4.0)), tolerance(1e-15));
  }
  BOOST_TEST(smooth.rate(2) == 0.2 / std::sqrt(2.0), tolerance(1e-15));
  require_json_round_trip(smooth);
  require_json_round_trip(stairs);
}

BOOST_AUTO_TEST_CASE(cosine_decay_reaches_the_minimum_and_stays) {
  CosineDecay schedule(1.0, 4, 0.1);
  BOOST_TEST(schedule.rate(0) == 1.0, tolerance(1e-15));
  // Half way the cosine term is 1/2: 0.1 + 0.9 / 2.
  BOOST_TEST(schedule.rate(2) == 0.55, tolerance(1e-15));
  BOOST_TEST(schedule.rate(1) == 0.1 + 0.9 * (1 + std::cos(pi / 4)) / 2, tolerance(1e-15));
  BOOST_TEST(schedule.rate(4) == 0.1, tolerance(1e-15));
  BOOST_TEST(schedule.rate(40) == 0.1, tolerance(1e-15));
  require_json_round_trip(schedule);
}

BOOST_AUTO_TEST_CASE(linear_warmup_ramps_then_hands_over) {
  auto after = std::make_shared<StepDecay>(0.4, 0.5, 2);
  LinearWarmup schedule(after, 4, 0.0);
  const double expected[] = {0.0, 0.1, 0.2, 0.3, 0.4, 0.4, 0.2, 0.2, 0.1};
  for (std::size_t s = 0; s < 9; ++s) BOOST_TEST(schedule.rate(s) == expected[s], tolerance(1e-15));
  LinearWarmup from_start(after, 2, 0.2);
  BOOST_TEST(from_start.rate(1) == 0.3, tolerance(1e-15));
  require_json_round_trip(schedule);
}

BOOST_AUTO_TEST_CASE(piecewise_constant_follows_keras_boundaries) {
  PiecewiseConstant schedule({3, 6}, {1.0, 0.5, 0.1});
  // values[0] while step <= 3, values[1] while step <= 6, values[2] after.
  const double expected[] = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.1, 0.1};
  for (std::size_t s = 0; s < 9; ++s) BOOST_TEST(schedule.rate(s) == expected[s]);
  require_json_round_trip(schedule);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_errors_carrying_the_value) {
  require_error<ValueError>([] { StepDecay(-0.1, 0.5, 1); },
                            {"step_decay", "initial_rate", "-0.1"});
  require_error<ValueError>([] { StepDecay(0.1, 0.5, 0); }, {"step_decay", "step_size >= 1", "0"});
  require_error<ValueError>([] { ExponentialDecay(0.1, 0, 10); },
                            {"exponential_decay", "decay_rate > 0", "decay_rate = 0"});
  require_error<ValueError>([] { CosineDecay(0.1, 10, 0.5); },
                            {"cosine_decay", "minimum_rate in [0, initial_rate = 0.1]", "0.5"});
  require_error<ValueError>([] { LinearWarmup(nullptr, 3); }, {"linear_warmup", "null"});
  require_error<ValueError>(
      [] {
        PiecewiseConstant({3, 6}, {1.0, 0.5});
      },
      {"piecewise_constant", "3 values for 2 boundaries", "2 values"});
  require_error<ValueError>(
      [] {
        PiecewiseConstant({6, 6}, {1.0, 0.5, 0.1});
      },
      {"piecewise_constant", "strictly increasing", "6 then 6"});
  require_error<ValueError>(
      [] {
        schedule_from_json({{"name", "warp"}, {"parameters", nlohmann::json::object()}});
      },
      {"schedule_from_json", "step_decay", "\"warp\""});
  require_error<ValueError>(
      [] {
        schedule_from_json({{"name", "step_decay"}, {"parameters", {{"initial_rate", 0.1}}}});
      },
      {"schedule_from_json step_decay", "the key \"factor\""});
  require_error<ValueError>(
      [] {
        schedule_from_json(
            {{"name", "cosine_decay"},
             {"parameters", {{"initial_rate", 0.1}, {"decay_steps", -3}, {"minimum_rate", 0}}}});
      },
      {"cosine_decay", "key \"decay_steps\"", "a non-negative integer", "-3"});
}

// A program's own schedule: the rate halves every step from `initial_rate`.
class Halving : public LearningRateSchedule {
 public:
  explicit Halving(double initial_rate) : initial_rate_(initial_rate) {}
  double rate(std::size_t step) const override {
    return initial_rate_ * std::pow(0.5, static_cast<double>(step));
  }
  nlohmann::json to_json() const override {
    return {{"name", "test_halving"}, {"parameters", {{"initial_rate", initial_rate_}}}};
  }

 private:
  double initial_rate_;
};

std::shared_ptr<const LearningRateSchedule> halving_factory(const nlohmann::json& spec,
                                                            const std::string& where) {
  JsonReader in(spec, where);
  in.has("name");
  JsonReader parameters(in.value("parameters"), in.where("parameters"));
  const double initial_rate = parameters.number("initial_rate");
  parameters.finish();
  in.finish();
  return std::make_shared<Halving>(initial_rate);
}

BOOST_AUTO_TEST_CASE(a_registered_schedule_is_named_in_configs_like_a_builtin) {
  register_schedule("test_halving", halving_factory);
  const nlohmann::json spec = Halving(0.8).to_json();
  const auto schedule = schedule_from_json(spec);
  BOOST_TEST(schedule->rate(0) == 0.8);
  BOOST_TEST(schedule->rate(3) == 0.1);
  // Inside another schedule, and in a learning_rate_scheduler callback's config.
  const auto warm = schedule_from_json(LinearWarmup(schedule, 2, 0.0).to_json());
  BOOST_TEST(warm->rate(1) == 0.4);
  BOOST_TEST(warm->rate(3) == 0.4);
  const auto callback = make_callback({{"type", "learning_rate_scheduler"}, {"schedule", spec}},
                                      "cb", "", [](const std::string&) {});
  BOOST_TEST(dynamic_cast<const LearningRateScheduler*>(callback.get()) != nullptr);
  require_error<ValueError>(
      [] {
        schedule_from_json({{"name", "test_halving"}, {"parameters", {{"rate", 1}}}});
      },
      {"schedule_from_json test_halving: key \"parameters\"", "the key \"initial_rate\""});

  const testing::RegistryKind<ScheduleFactory> kind{
      "register_schedule",
      "unregister_schedule",
      register_schedule,
      unregister_schedule,
      schedule_names,
      [](const std::string& name) {
        schedule_from_json({{"name", name}, {"parameters", nlohmann::json::object()}});
      },
      "schedule_from_json"};
  testing::check_registry_rules(kind, "test_halving", "cosine_decay",
                                ScheduleFactory(halving_factory));
}

BOOST_AUTO_TEST_SUITE_END()
