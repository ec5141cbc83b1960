#pragma once
// Line charts as SVG files: a title, labelled axes with round-number ticks, one polyline per named
// series in its own colour, and a legend. Enough to look at a forecast against the truth or the
// loss curves of a training run in a browser, with no plotting library installed.
//
// The layout is fixed and documented (ChartLayout) so that a data point's pixel position follows
// from the data alone: the axes span the data rounded outwards to whole tick steps, where the step
// is 1, 2 or 5 times a power of ten giving about five intervals over the data's range.

#include <string>
#include <vector>

#include "core/option_arg.hpp"

namespace grutape {

/// One named line of a chart: the points (x[i], y[i]) joined in order.
struct PlotSeries {
  /// The name the legend shows; not empty.
  std::string name;
  /// The horizontal coordinates, finite, as many as `y`.
  std::vector<double> x;
  /// The vertical coordinates, finite, as many as `x`.
  std::vector<double> y;
};

/// Where the parts of a chart go, in pixels from the top-left corner of the image.
struct ChartLayout {
  /// Width of the whole image.
  double width = 760;
  /// Height of the whole image.
  double height = 440;
  /// Space left of the plot area, for the y tick labels and the y axis label.
  double left = 80;
  /// Space right of the plot area, for the legend.
  double right = 170;
  /// Space above the plot area, for the title.
  double top = 50;
  /// Space below the plot area, for the x tick labels and the x axis label.
  double bottom = 60;
};

/// A line chart: labels, the series and the layout.
class LineChart {
 public:
  /// The heading above the plot; default none.
  GRUTAPE_ARG(std::string, title);
  /// The label under the x axis; default none.
  GRUTAPE_ARG(std::string, x_label);
  /// The label beside the y axis; default none.
  GRUTAPE_ARG(std::string, y_label);
  /// The pixel layout; default ChartLayout{}.
  GRUTAPE_ARG(ChartLayout, layout);

 public:
  /// Adds a series drawn in the next colour. The data are checked when the chart is drawn.
  LineChart& add(std::string name, std::vector<double> x, std::vector<double> y);
  /// Adds a series whose x coordinates are 0, 1, 2, ...
  LineChart& add(std::string name, std::vector<double> y);
  /// The series in the order added.
  const std::vector<PlotSeries>& series() const { return series_; }

 private:
  std::vector<PlotSeries> series_;
};

/// One axis: the range it spans and where its ticks are.
struct ChartAxis {
  /// The value at the axis's start (left or bottom).
  double low = 0;
  /// The value at the axis's end (right or top).
  double high = 1;
  /// The distance between ticks.
  double step = 1;
  /// The tick values, low to high.
  std::vector<double> ticks;
};

/// The axis for data spanning [min, max]: rounded outwards to the tick step. A single value v
/// gets the range around it of v -+ 1 (or -+ |v|/10 if that is larger) before rounding.
ChartAxis chart_axis(double min, double max);

/// The chart as SVG text. A ValueError, naming the series, for a chart without series, a series
/// with an empty name, no points, x and y of different lengths, or a value that is not finite.
std::string render_svg(const LineChart& chart);

/// Writes render_svg(chart) to `path` atomically (core/io/atomic_file.hpp).
void write_svg(const std::string& path, const LineChart& chart);

}  // namespace grutape
