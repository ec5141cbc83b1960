#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/svg_plot.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

struct Point {
  double x, y;
};

// The points of the polyline drawn for the series `name`, read back from the SVG text.
std::vector<Point> polyline_of(const std::string& svg, const std::string& name) {
  const auto at = svg.find("data-name=\"" + name + "\"");
  BOOST_REQUIRE(at != std::string::npos);
  const auto begin = svg.find("points=\"", at) + 8;
  const auto end = svg.find('"', begin);
  std::istringstream text(svg.substr(begin, end - begin));
  std::vector<Point> points;
  std::string pair;
  while (text >> pair) {
    const auto comma = pair.find(',');
    points.push_back({std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1))});
  }
  return points;
}

std::size_t count_of(const std::string& text, const std::string& fragment) {
  std::size_t count = 0;
  for (auto at = text.find(fragment); at != std::string::npos; at = text.find(fragment, at + 1)) {
    ++count;
  }
  return count;
}

void require_point(const Point& got, double x, double y) {
  BOOST_TEST(got.x == x, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(got.y == y, boost::test_tools::tolerance(1e-9));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(svg_plot_test)

BOOST_AUTO_TEST_CASE(axes_round_the_data_outwards_to_steps_of_one_two_or_five) {
  // Span 10: 10 / 5 = 2 per step, ticks 0, 2, ..., 10.
  const ChartAxis a = chart_axis(0, 10);
  BOOST_TEST(a.step == 2.0);
  BOOST_TEST(a.low == 0.0);
  BOOST_TEST(a.high == 10.0);
  BOOST_TEST((a.ticks == std::vector<double>{0, 2, 4, 6, 8, 10}));
  // Span 10 from -3 to 7: steps of 2 rounded outwards to -4 .. 8.
  const ChartAxis b = chart_axis(-3, 7);
  BOOST_TEST(b.low == -4.0);
  BOOST_TEST(b.high == 8.0);
  BOOST_TEST(b.ticks.size() == 7u);
  // Span 0.74: 0.148 per step rounds up to 0.2; the axis runs 0 .. 1.
  const ChartAxis c = chart_axis(0.13, 0.87);
  BOOST_TEST(c.step == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(c.low == 0.0);
  BOOST_TEST(c.high == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(c.ticks.size() == 6u);
  // Span 3000: 600 per step rounds up to 1000.
  const ChartAxis d = chart_axis(1, 3001);
  BOOST_TEST(d.step == 1000.0);
  BOOST_TEST(d.low == 0.0);
  BOOST_TEST(d.high == 4000.0);
}

BOOST_AUTO_TEST_CASE(a_single_value_gets_a_range_around_it) {
  // 5 -+ 1 = 4 .. 6, span 2, step 0.4 rounded up to 0.5.
  const ChartAxis small = chart_axis(5, 5);
  BOOST_TEST(small.low == 4.0);
  BOOST_TEST(small.high == 6.0);
  BOOST_TEST(small.step == 0.5);
  // 1000 -+ 100 = 900 .. 1100, step 40 rounded up to 50.
  const ChartAxis large = chart_axis(1000, 1000);
  BOOST_TEST(large.low == 900.0);
  BOOST_TEST(large.high == 1100.0);
  BOOST_TEST(large.step == 50.0);
}

BOOST_AUTO_TEST_CASE(points_map_to_the_documented_pixels) {
  // Default layout: plot area from x = 80 to 760 - 170 = 590 (510 wide) and from y = 50 to
  // 440 - 60 = 380 (330 high). Data x 0 .. 10 and y 0 .. 100 fill it exactly.
  const std::string svg =
      render_svg(LineChart().add("line", {0, 5, 10}, {0, 50, 100}).add("flat", {0, 10}, {20, 20}));
  const std::vector<Point> line = polyline_of(svg, "line");
  BOOST_REQUIRE(line.size() == 3u);
  require_point(line[0], 80, 380);
  require_point(line[1], 335, 215);
  require_point(line[2], 590, 50);
  const std::vector<Point> flat = polyline_of(svg, "flat");
  BOOST_REQUIRE(flat.size() == 2u);
  // y = 20 is a fifth of the way up: 380 - 66 = 314.
  require_point(flat[0], 80, 314);
  require_point(flat[1], 590, 314);
}

BOOST_AUTO_TEST_CASE(axes_that_do_not_start_at_the_data_shift_the_points) {
  // x 1 .. 9 gives the axis 0 .. 10; y -3 .. 7 gives -4 .. 8 (12 units over 330 pixels).
  ChartLayout layout;
  const std::string svg = render_svg(LineChart().layout(layout).add("s", {1, 9}, {-3, 7}));
  const std::vector<Point> points = polyline_of(svg, "s");
  BOOST_REQUIRE(points.size() == 2u);
  require_point(points[0], 80 + 0.1 * 510, 380 - 330.0 / 12);
  require_point(points[1], 80 + 0.9 * 510, 380 - 11 * 330.0 / 12);
}

BOOST_AUTO_TEST_CASE(a_custom_layout_moves_the_plot_area) {
  ChartLayout layout;
  layout.width = 300;
  layout.height = 200;
  layout.left = 50;
  layout.right = 50;
  layout.top = 20;
  layout.bottom = 30;
  const std::string svg = render_svg(LineChart().layout(layout).add("s", {0, 10}, {0, 10}));
  const std::vector<Point> points = polyline_of(svg, "s");
  require_point(points[0], 50, 170);
  require_point(points[1], 250, 20);
  BOOST_TEST(svg.find("width=\"300.00\" height=\"200.00\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_chart_has_title_labels_ticks_and_a_legend) {
  const std::string svg = render_svg(LineChart()
                                         .title("Loss <train & validation>")
                                         .x_label("epoch")
                                         .y_label("loss")
                                         .add("train", {0, 1, 2}, {0.87, 0.5, 0.13})
                                         .add("validation", {0, 1, 2}, {0.8, 0.6, 0.4}));
  BOOST_TEST(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0u);
  BOOST_TEST(svg.find("</svg>\n") == svg.size() - 7);
  // Text is escaped for XML.
  BOOST_TEST(svg.find(">Loss &lt;train &amp; validation&gt;</text>") != std::string::npos);
  BOOST_TEST(svg.find("class=\"x-label\"") != std::string::npos);
  BOOST_TEST(svg.find(">epoch</text>") != std::string::npos);
  BOOST_TEST(svg.find(">loss</text>") != std::string::npos);
  // x 0 .. 2 in steps of 0.5 (5 ticks); y 0.13 .. 0.87 gives 0 .. 1 in steps of 0.2 (6 ticks).
  BOOST_TEST(count_of(svg, "class=\"x-tick\"") == 5u);
  BOOST_TEST(count_of(svg, "class=\"y-tick\"") == 6u);
  BOOST_TEST(svg.find(">1.5</text>") != std::string::npos);
  BOOST_TEST(svg.find(">0.6</text>") != std::string::npos);
  BOOST_TEST(count_of(svg, "<polyline") == 2u);
  BOOST_TEST(count_of(svg, "class=\"legend\"") == 2u);
  BOOST_TEST(svg.find(">train</text>") != std::string::npos);
  BOOST_TEST(svg.find(">validation</text>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(series_get_distinct_colours) {
  LineChart chart;
  for (int k = 0; k < 8; ++k) chart.add("s" + std::to_string(k), {0, 1}, {0, double(k)});
  const std::string svg = render_svg(chart);
  std::set<std::string> colours;
  for (auto at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1)) {
    const auto begin = svg.find("stroke=\"", at) + 8;
    colours.insert(svg.substr(begin, svg.find('"', begin) - begin));
  }
  BOOST_TEST(colours.size() == 8u);
  BOOST_TEST(svg.find("stroke-dasharray") == std::string::npos);
  // A ninth series reuses a colour, so it is dashed to stay distinct.
  chart.add("s8", {0, 1}, {1, 0});
  BOOST_TEST(count_of(render_svg(chart), "stroke-dasharray") == 2u);  // its line and its legend
}

BOOST_AUTO_TEST_CASE(y_values_alone_are_drawn_against_their_index) {
  const std::string svg = render_svg(LineChart().add("s", {0, 10, 5}));
  const std::vector<Point> points = polyline_of(svg, "s");
  BOOST_REQUIRE(points.size() == 3u);
  // x 0 .. 2 over 510 pixels; y 0 .. 10 over 330.
  require_point(points[1], 80 + 255, 50);
  require_point(points[2], 590, 215);
}

BOOST_AUTO_TEST_CASE(write_svg_writes_the_rendered_chart) {
  testing::TempDir dir;
  const LineChart chart = LineChart().title("t").add("s", {0, 1}, {2, 3});
  write_svg(dir.file("chart.svg"), chart);
  BOOST_TEST(read_file(dir.file("chart.svg")) == render_svg(chart));
  BOOST_TEST((dir.entries() == std::vector<std::string>{"chart.svg"}));
  require_error<IoError>([&] { write_svg(dir.file("missing/chart.svg"), chart); },
                         {"write_file_atomically", "missing/chart.svg"});
}

BOOST_AUTO_TEST_CASE(bad_series_are_value_errors_naming_the_series) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  require_error<ValueError>([] { render_svg(LineChart().title("empty")); },
                            {"render_svg", "at least one series", "none"});
  require_error<ValueError>(
      [] {
        render_svg(LineChart().add("ok", {0}, {0}).add("short", {0, 1, 2}, {0, 1}));
      },
      {"render_svg", "series \"short\"", "3 x and 2 y values"});
  require_error<ValueError>([] { render_svg(LineChart().add("void", {}, {})); },
                            {"render_svg", "at least one point in series \"void\""});
  require_error<ValueError>(
      [&] {
        render_svg(LineChart().add("loss", {0, 1, 2}, {1, nan, 2}));
      },
      {"render_svg", "finite values in series \"loss\"", "at point 1"});
  require_error<ValueError>([&] { render_svg(LineChart().add("x", {inf}, {0})); },
                            {"series \"x\"", "at point 0"});
  require_error<ValueError>([] { render_svg(LineChart().add("", {0}, {0})); },
                            {"render_svg", "a name for every series", "an empty name"});
  ChartLayout cramped;
  cramped.width = 100;
  require_error<ValueError>(
      [&] { render_svg(LineChart().layout(cramped).add("s", {0}, {0})); },
      {"render_svg", "plot area of positive size", "-150.00 by 330.00 pixels"});
}

BOOST_AUTO_TEST_SUITE_END()
