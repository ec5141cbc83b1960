// The chart of gru_bench --svg: per shape a group of bars, one per engine, of forward + backward
// GF/s on the main thread count; a y axis with gridlines, shape labels under the groups, the
// value above each bar and a legend. Written by hand: no plotting library is needed.

#include <algorithm>
#include <cmath>
#include <sstream>

#include "bench/gru_bench_report.hpp"

namespace grutape::bench {
namespace {

const char* engine_colour(GruEngineKind kind) {
  switch (kind) {
    case GruEngineKind::composite:
      return "#9e9e9e";
    case GruEngineKind::fused:
      return "#c62828";
    case GruEngineKind::onednn_gru:
      return "#90caf9";
    case GruEngineKind::onednn_lbr_gru:
      return "#1565c0";
    case GruEngineKind::pytorch:
      return "#ef6c00";
  }
  return "#000000";
}

// The smallest of 1, 2, 5 times a power of ten that splits `top` into at most 6 steps.
double tick_step(double top) {
  const double raw = top / 6;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}

}  // namespace

std::string gru_bench_svg(const GruBenchResults& results) {
  const GruBenchConfig& config = results.config;
  const double bar = 16, gap = 28, left = 70, right = 190, top = 50, plot_height = 300, bottom = 70;
  const double group = bar * static_cast<double>(config.engines.size()) + gap;
  const double plot_width = std::max(400.0, group * static_cast<double>(config.shapes.size()));
  const double width = left + plot_width + right, height = top + plot_height + bottom;
  double highest = 1;
  for (const GruMeasurement& m : results.main)
    if (m.present() && !m.training_ms.empty()) highest = std::max(highest, m.training_gflops());
  const double step = tick_step(highest);
  const double axis_top = std::ceil(highest / step) * step;
  const auto y_of = [&](double gflops) { return top + plot_height * (1 - gflops / axis_top); };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << left << "\" y=\"24\" font-size=\"15\" font-weight=\"bold\">GRU forward + "
      << "backward, float32, " << config.threads << " thread" << (config.threads == 1 ? "" : "s")
      << " (higher is better)</text>\n";
  // Gridlines and y ticks.
  for (double v = 0; v <= axis_top + step / 2; v += step) {
    const double y = y_of(v);
    svg << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << left + plot_width << "\" y2=\""
        << y << "\" stroke=\"#e0e0e0\"/>\n"
        << "<text x=\"" << left - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">" << v
        << "</text>\n";
  }
  svg << "<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\""
      << top + plot_height << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << left << "\" y1=\"" << top + plot_height << "\" x2=\"" << left + plot_width
      << "\" y2=\"" << top + plot_height << "\" stroke=\"black\"/>\n"
      << "<text transform=\"translate(18," << top + plot_height / 2
      << ") rotate(-90)\" text-anchor=\"middle\">GF/s (3F per forward + backward)</text>\n";
  // The groups.
  for (std::size_t s = 0; s < config.shapes.size(); ++s) {
    const GruShape& shape = config.shapes[s];
    const double x0 = left + gap / 2 + group * static_cast<double>(s);
    for (std::size_t e = 0; e < config.engines.size(); ++e) {
      const GruMeasurement* m = results.find(shape, config.engines[e]);
      if (!m || !m->present() || m->training_ms.empty()) continue;
      const double value = m->training_gflops(), x = x0 + bar * static_cast<double>(e);
      svg << "<rect x=\"" << x << "\" y=\"" << y_of(value) << "\" width=\"" << bar - 2
          << "\" height=\"" << top + plot_height - y_of(value) << "\" fill=\""
          << engine_colour(config.engines[e]) << "\"><title>" << gru_engine_title(m->engine) << " "
          << shape.text() << ": " << fixed(value, 1) << " GF/s</title></rect>\n"
          << "<text transform=\"translate(" << x + bar / 2 + 3 << "," << y_of(value) - 4
          << ") rotate(-90)\" font-size=\"9\">" << fixed(value, 0) << "</text>\n";
    }
    const double middle = x0 + (group - gap) / 2;
    svg << "<text x=\"" << middle << "\" y=\"" << top + plot_height + 18
        << "\" text-anchor=\"middle\">T=" << shape.steps << " B=" << shape.batch << "</text>\n"
        << "<text x=\"" << middle << "\" y=\"" << top + plot_height + 33
        << "\" text-anchor=\"middle\">I=" << shape.input << " H=" << shape.units << "</text>\n";
  }
  svg << "<text x=\"" << left + plot_width / 2 << "\" y=\"" << height - 12
      << "\" text-anchor=\"middle\">shape: steps T, batch B, input I, units H</text>\n";
  // The legend.
  const double legend_x = left + plot_width + 20;
  for (std::size_t e = 0; e < config.engines.size(); ++e) {
    const GruEngineKind kind = config.engines[e];
    bool present = false;
    for (const GruMeasurement& m : results.main)
      present = present || (m.engine == kind && m.present());
    const double y = top + 10 + 22 * static_cast<double>(e);
    svg << "<rect x=\"" << legend_x << "\" y=\"" << y - 10
        << "\" width=\"14\" height=\"14\" fill=\"" << engine_colour(kind) << "\"/>\n"
        << "<text x=\"" << legend_x + 20 << "\" y=\"" << y + 2 << "\">" << gru_engine_title(kind)
        << (present ? "" : " (absent)") << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace grutape::bench
