#include "core/io/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "core/io/atomic_file.hpp"

namespace grutape {
namespace {

constexpr const char* kWhere = "render_svg";

// Eight colours that stay apart for most forms of colour blindness; a ninth series reuses the
// first colour with a dashed line.
constexpr const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                    "#9467bd", "#8c564b", "#e377c2", "#17becf"};
constexpr std::size_t kColourCount = sizeof(kColours) / sizeof(kColours[0]);

std::string quoted(const std::string& name) {
  return "series \"" + name + "\"";
}

std::string number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  // "-0" and "-0.0" read oddly on an axis.
  if (std::strtod(text, nullptr) == 0.0 && text[0] == '-') return std::string(text + 1);
  return text;
}

std::string pixel(double value) {
  return number(value, 2);
}

// Text content and attribute values with &, <, > and " escaped.
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void check_series(const std::vector<PlotSeries>& all) {
  if (all.empty()) throw ValueError(kWhere, "at least one series", "none");
  for (const PlotSeries& s : all) {
    if (s.name.empty()) throw ValueError(kWhere, "a name for every series", "an empty name");
    if (s.x.size() != s.y.size()) {
      throw ValueError(
          kWhere, "as many x as y values in " + quoted(s.name),
          std::to_string(s.x.size()) + " x and " + std::to_string(s.y.size()) + " y values");
    }
    if (s.x.empty()) throw ValueError(kWhere, "at least one point in " + quoted(s.name), "none");
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
        throw ValueError(kWhere, "finite values in " + quoted(s.name),
                         "(" + std::to_string(s.x[i]) + ", " + std::to_string(s.y[i]) +
                             ") at point " + std::to_string(i));
      }
    }
  }
}

// Decimals enough to tell ticks `step` apart: 0 for steps of 1 or more, 1 for 0.5, 2 for 0.05.
int tick_decimals(double step) {
  return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
}

}  // namespace

LineChart& LineChart::add(std::string name, std::vector<double> x, std::vector<double> y) {
  series_.push_back({std::move(name), std::move(x), std::move(y)});
  return *this;
}

LineChart& LineChart::add(std::string name, std::vector<double> y) {
  std::vector<double> x(y.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
  return add(std::move(name), std::move(x), std::move(y));
}

ChartAxis chart_axis(double min, double max) {
  if (min == max) {
    const double pad = std::max(1.0, std::abs(min) / 10);
    min -= pad;
    max += pad;
  }
  // The step: 1, 2 or 5 times a power of ten, the smallest that fits the span in five steps.
  const double raw = (max - min) / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double ratio = raw / magnitude;
  const double nice = ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10;
  ChartAxis axis;
  axis.step = nice * magnitude;
  // A relative slack keeps data that sit on a tick, up to rounding, from adding an empty interval.
  const double slack = 1e-9 * axis.step;
  const double first = std::floor((min + slack) / axis.step);
  const double last = std::ceil((max - slack) / axis.step);
  axis.low = first * axis.step;
  axis.high = last * axis.step;
  for (double k = first; k <= last; ++k) axis.ticks.push_back(k * axis.step);
  return axis;
}

std::string render_svg(const LineChart& chart) {
  const std::vector<PlotSeries>& all = chart.series();
  check_series(all);
  double x_min = all[0].x[0], x_max = x_min, y_min = all[0].y[0], y_max = y_min;
  for (const PlotSeries& s : all) {
    for (double v : s.x) x_min = std::min(x_min, v), x_max = std::max(x_max, v);
    for (double v : s.y) y_min = std::min(y_min, v), y_max = std::max(y_max, v);
  }
  const ChartAxis x_axis = chart_axis(x_min, x_max);
  const ChartAxis y_axis = chart_axis(y_min, y_max);
  const ChartLayout& l = chart.layout();
  const double plot_width = l.width - l.left - l.right;
  const double plot_height = l.height - l.top - l.bottom;
  if (!(plot_width > 0) || !(plot_height > 0)) {
    throw ValueError(kWhere, "a layout leaving a plot area of positive size",
                     pixel(plot_width) + " by " + pixel(plot_height) + " pixels");
  }
  // Data to pixels: x grows rightwards from the left margin, y upwards from the plot's bottom.
  auto to_x = [&](double v) {
    return l.left + (v - x_axis.low) / (x_axis.high - x_axis.low) * plot_width;
  };
  auto to_y = [&](double v) {
    return l.top + plot_height - (v - y_axis.low) / (y_axis.high - y_axis.low) * plot_height;
  };
  const double bottom = l.top + plot_height, right = l.left + plot_width;

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << pixel(l.width) << "\" height=\""
      << pixel(l.height) << "\" viewBox=\"0 0 " << pixel(l.width) << ' ' << pixel(l.height)
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg << "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" << pixel(l.width) << "\" height=\""
      << pixel(l.height) << "\" fill=\"white\"/>\n";
  svg << "<text class=\"title\" x=\"" << pixel(l.width / 2) << "\" y=\"" << pixel(l.top / 2)
      << "\" text-anchor=\"middle\" dominant-baseline=\"middle\" font-size=\"16\">"
      << escaped(chart.title()) << "</text>\n";

  // Grid lines and tick labels, then the frame over them.
  const int x_decimals = tick_decimals(x_axis.step), y_decimals = tick_decimals(y_axis.step);
  for (double tick : x_axis.ticks) {
    const std::string x = pixel(to_x(tick));
    svg << "<line class=\"grid\" x1=\"" << x << "\" y1=\"" << pixel(l.top) << "\" x2=\"" << x
        << "\" y2=\"" << pixel(bottom) << "\" stroke=\"#e0e0e0\"/>\n";
    svg << "<text class=\"x-tick\" x=\"" << x << "\" y=\"" << pixel(bottom + 18)
        << "\" text-anchor=\"middle\">" << number(tick, x_decimals) << "</text>\n";
  }
  for (double tick : y_axis.ticks) {
    const std::string y = pixel(to_y(tick));
    svg << "<line class=\"grid\" x1=\"" << pixel(l.left) << "\" y1=\"" << y << "\" x2=\""
        << pixel(right) << "\" y2=\"" << y << "\" stroke=\"#e0e0e0\"/>\n";
    svg << "<text class=\"y-tick\" x=\"" << pixel(l.left - 8) << "\" y=\"" << y
        << "\" text-anchor=\"end\" dominant-baseline=\"middle\">" << number(tick, y_decimals)
        << "</text>\n";
  }
  svg << "<rect class=\"frame\" x=\"" << pixel(l.left) << "\" y=\"" << pixel(l.top) << "\" width=\""
      << pixel(plot_width) << "\" height=\"" << pixel(plot_height)
      << "\" fill=\"none\" stroke=\"black\"/>\n";
  svg << "<text class=\"x-label\" x=\"" << pixel(l.left + plot_width / 2) << "\" y=\""
      << pixel(l.height - 14) << "\" text-anchor=\"middle\">" << escaped(chart.x_label())
      << "</text>\n";
  const std::string y_label_x = pixel(18), y_label_y = pixel(l.top + plot_height / 2);
  svg << "<text class=\"y-label\" x=\"" << y_label_x << "\" y=\"" << y_label_y
      << "\" text-anchor=\"middle\" transform=\"rotate(-90 " << y_label_x << ' ' << y_label_y
      << ")\">" << escaped(chart.y_label()) << "</text>\n";

  for (std::size_t k = 0; k < all.size(); ++k) {
    const PlotSeries& s = all[k];
    const std::string colour = kColours[k % kColourCount];
    const std::string dash = k >= kColourCount ? " stroke-dasharray=\"6 3\"" : "";
    svg << "<polyline class=\"series\" data-name=\"" << escaped(s.name) << "\" fill=\"none\" "
        << "stroke=\"" << colour << "\" stroke-width=\"1.5\"" << dash << " points=\"";
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      svg << (i ? " " : "") << pixel(to_x(s.x[i])) << ',' << pixel(to_y(s.y[i]));
    }
    svg << "\"/>\n";
    // The legend: a short line in the series' colour and its name, one row per series.
    const double row = l.top + 10 + 20 * static_cast<double>(k);
    svg << "<line class=\"legend-line\" x1=\"" << pixel(right + 14) << "\" y1=\"" << pixel(row)
        << "\" x2=\"" << pixel(right + 38) << "\" y2=\"" << pixel(row) << "\" stroke=\"" << colour
        << "\" stroke-width=\"2\"" << dash << "/>\n";
    svg << "<text class=\"legend\" x=\"" << pixel(right + 44) << "\" y=\"" << pixel(row)
        << "\" dominant-baseline=\"middle\">" << escaped(s.name) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

void write_svg(const std::string& path, const LineChart& chart) {
  write_file_atomically(path, render_svg(chart));
}

}  // namespace grutape
