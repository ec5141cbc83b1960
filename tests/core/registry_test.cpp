#include <boost/test/unit_test.hpp>

#include <atomic>
#include <functional>
#include <thread>

#include "core/registry.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using testing::require_error;

namespace {

using NumberFactory = std::function<int()>;

Registry<NumberFactory> number_registry() {
  return Registry<NumberFactory>({"name", "a number", "register_number", "unregister_number"},
                                 {{"two", [] { return 2; }}, {"one", [] { return 1; }}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registry_test)

BOOST_AUTO_TEST_CASE(builtins_in_their_order_then_registered_sorted) {
  Registry<NumberFactory> registry = number_registry();
  BOOST_TEST((registry.names() == std::vector<std::string>{"two", "one"}));
  registry.add("zz", [] { return 26; });
  registry.add("aa", [] { return 1; });
  BOOST_TEST((registry.names() == std::vector<std::string>{"two", "one", "aa", "zz"}));
  BOOST_TEST((registry.builtin_names() == std::vector<std::string>{"two", "one"}));
  BOOST_TEST(registry.find("two", "w")() == 2);
  BOOST_TEST(registry.find("zz", "w")() == 26);
  BOOST_TEST(registry.contains("aa"));
  BOOST_TEST(!registry.contains("three"));
}

BOOST_AUTO_TEST_CASE(errors_name_the_function_what_was_expected_and_what_came) {
  Registry<NumberFactory> registry = number_registry();
  registry.add("three", [] { return 3; });
  testing::RegistryKind<NumberFactory> kind{
      "register_number",
      "unregister_number",
      [&](const std::string& name, NumberFactory f) { registry.add(name, std::move(f)); },
      [&](const std::string& name) { registry.remove(name); },
      [&] { return registry.names(); },
      [&](const std::string& name) { registry.find(name, "make_number"); },
      "make_number"};
  testing::check_registry_rules<NumberFactory>(kind, "three", "one", [] { return 3; });
  require_error<ValueError>(
      [&] { registry.find("four", "make_number"); },
      {"make_number: expected a number among two, one or a registered one", "got \"four\""});
}

BOOST_AUTO_TEST_CASE(registration_from_many_threads) {
  Registry<NumberFactory> registry = number_registry();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&registry, &wrong, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string name = "n" + std::to_string(t) + "_" + std::to_string(i);
        registry.add(name, [i] { return i; });
        if (registry.find(name, "w")() != i || registry.names().size() < 3) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(wrong.load() == 0);
  BOOST_TEST(registry.names().size() == 2u + 200u);
}

BOOST_AUTO_TEST_SUITE_END()
