#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "core/fields.hpp"
#include "core/option_arg.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

enum class Shade { light, dark };

// A value type with its own JSON form, as named specs and gate factors have.
struct Pair {
  double a = 0, b = 0;
  nlohmann::json to_json() const { return {a, b}; }
  static Pair from_json(const nlohmann::json& json, const std::string& where) {
    if (!json.is_array() || json.size() != 2) throw ValueError(where, "two numbers", json.dump());
    return {json[0].get<double>(), json[1].get<double>()};
  }
};

const std::vector<std::string>& fruit_names() {
  static const std::vector<std::string> names = {"apple", "pear"};
  return names;
}

void check_even(int value, const std::string& where) {
  if (value % 2 != 0) throw ValueError(where, "an even number", std::to_string(value));
}

struct SampleOptions {
  /// Scale, > 0; default 1.
  GRUTAPE_ARG_DEFAULT(double, scale, 1.0);
  /// Count, >= 1; default 3.
  GRUTAPE_ARG_DEFAULT(std::size_t, count, 3);
  /// An even number; default 2.
  GRUTAPE_ARG_DEFAULT(int, even, 2);
  /// A fruit; default "apple".
  GRUTAPE_ARG_DEFAULT(std::string, fruit, "apple");
  /// A separator; default ','.
  GRUTAPE_ARG_DEFAULT(char, separator, ',');
  /// On or off; default false.
  GRUTAPE_ARG_DEFAULT(bool, on, false);
  /// A shade; default light.
  GRUTAPE_ARG_DEFAULT(Shade, shade, Shade::light);
  /// A rate in [0, 1) or none; default none.
  GRUTAPE_ARG(std::optional<double>, rate);
  /// Sizes; default {}.
  GRUTAPE_ARG(std::vector<std::size_t>, sizes);
  /// A pair; default (0, 0).
  GRUTAPE_ARG(Pair, pair);

 public:
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("scale", self.scale_, ranges::positive);
    visit("count", self.count_, ranges::at_least_one);
    visit("even", self.even_, &check_even);
    visit("fruit", self.fruit_, OneOf{fruit_names});
    visit("separator", self.separator_);
    visit("on", self.on_);
    visit("shade", self.shade_);
    visit("rate", self.rate_, ranges::unit_open);
    visit("sizes", self.sizes_);
    visit("pair", self.pair_);
  }
};

SampleOptions read_sample(const nlohmann::json& json) {
  SampleOptions options;
  JsonReader in(json, "sample");
  fields_from_json(options, in);
  in.finish();
  return options;
}

}  // namespace

namespace grutape {
template <>
struct EnumNames<Shade> {
  static constexpr NamedValue<Shade> values[] = {{Shade::light, "light"}, {Shade::dark, "dark"}};
};
}  // namespace grutape

BOOST_AUTO_TEST_SUITE(fields_test)

BOOST_AUTO_TEST_CASE(every_field_under_its_key_and_back) {
  const nlohmann::json defaults = fields_to_json(SampleOptions());
  BOOST_TEST(defaults == nlohmann::json::parse(R"({"scale": 1.0, "count": 3, "even": 2,
      "fruit": "apple", "separator": ",", "on": false, "shade": "light", "rate": null,
      "sizes": [], "pair": [0.0, 0.0]})"));
  const SampleOptions set = SampleOptions()
                                .scale(0.5)
                                .count(7)
                                .even(-4)
                                .fruit("pear")
                                .separator(';')
                                .on(true)
                                .shade(Shade::dark)
                                .rate(0.25)
                                .sizes({4, 8})
                                .pair(Pair{1, 2});
  const nlohmann::json json = fields_to_json(set);
  const SampleOptions back = read_sample(nlohmann::json::parse(json.dump()));
  BOOST_TEST(fields_to_json(back) == json);
  BOOST_TEST(back.scale() == 0.5);
  BOOST_TEST(back.even() == -4);
  BOOST_TEST(back.separator() == ';');
  BOOST_TEST((back.shade() == Shade::dark));
  BOOST_TEST(*back.rate() == 0.25);
  BOOST_TEST((back.sizes() == std::vector<std::size_t>{4, 8}));
  BOOST_TEST(back.pair().b == 2.0);
  // Absent keys keep the values the struct had.
  BOOST_TEST(read_sample({{"count", 9}}).scale() == 1.0);
  BOOST_TEST(!read_sample({{"rate", nullptr}}).rate().has_value());
  BOOST_TEST((field_keys(SampleOptions()) ==
              std::vector<std::string>{"scale", "count", "even", "fruit", "separator", "on",
                                       "shade", "rate", "sizes", "pair"}));
}

BOOST_AUTO_TEST_CASE(wrong_types_and_unknown_keys_name_the_key) {
  const auto fails = [](const nlohmann::json& json, const std::vector<std::string>& fragments) {
    require_error<ValueError>([&] { read_sample(json); }, fragments);
  };
  fails({{"scale", "big"}}, {"sample: key \"scale\"", "a number", "the string \"big\""});
  fails({{"count", -1}}, {"key \"count\"", "a non-negative integer", "-1"});
  fails({{"even", 5000000000}}, {"key \"even\"", "an integer in the range of int"});
  fails({{"on", 1}}, {"key \"on\"", "a boolean", "the number 1"});
  fails({{"separator", "ab"}}, {"key \"separator\"", "one character", "\"ab\""});
  fails({{"shade", "grey"}}, {"key \"shade\"", "light or dark", "\"grey\""});
  fails({{"sizes", {1, -2}}}, {"key \"sizes\"[1]", "a non-negative integer"});
  fails({{"pair", 3}}, {"key \"pair\"", "two numbers"});
  fails({{"scal", 2}}, {"sample: expected only the keys count, even, fruit, on, pair, rate, scale, "
                        "separator, shade, sizes",
                        "got the unknown key \"scal\""});
}

BOOST_AUTO_TEST_CASE(checks_name_the_owner_the_key_and_the_value) {
  const auto fails = [](const SampleOptions& options, const std::vector<std::string>& fragments) {
    require_error<ValueError>([&] { check_fields(options, "Sample"); }, fragments);
  };
  check_fields(SampleOptions(), "Sample");
  fails(SampleOptions().scale(0), {"Sample: scale: expected scale > 0 and finite, got 0"});
  fails(SampleOptions().scale(NAN), {"Sample: scale", "got nan"});
  fails(SampleOptions().count(0), {"Sample: count: expected count >= 1, got 0"});
  fails(SampleOptions().even(3), {"Sample: even: expected an even number, got 3"});
  fails(SampleOptions().fruit("fig"), {"Sample: fruit: expected one of apple, pear, got \"fig\""});
  // An optional is checked when it holds a value.
  fails(SampleOptions().rate(1.0), {"Sample: rate: expected rate in [0, 1), got 1"});
  check_fields(SampleOptions().rate(std::nullopt), "Sample");
}

BOOST_AUTO_TEST_CASE(enum_names_both_ways) {
  BOOST_TEST(enum_name(Shade::dark) == std::string("dark"));
  BOOST_TEST((enum_from_name<Shade>("light", "w") == Shade::light));
  BOOST_TEST((enum_names<Shade>() == std::vector<std::string>{"light", "dark"}));
  require_error<ValueError>([] { enum_from_name<Shade>("pale", "shade_from_name"); },
                            {"shade_from_name: expected light or dark, got \"pale\""});
  BOOST_TEST(names_or({"a"}) == "a");
  BOOST_TEST(names_or({"a", "b", "c"}) == "a, b or c");
}

BOOST_AUTO_TEST_SUITE_END()
