// Prometheus text format 0.0.4.
#include "model/exposition.h"

#include <charconv>
#include <cmath>

namespace herald {
namespace {

// Backslash and newline always; the double quote inside label values only (HELP keeps it).
std::string escape(std::string_view v, bool quote) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || (quote && c == '"')) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc{}) return "NaN";  // cannot happen with a 64-byte buffer
  return std::string(buf, end);
}

std::string escape_label_value(std::string_view v) {
  return escape(v, true);
}

void ExpositionWriter::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += escape(help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void ExpositionWriter::write_labels(const LabelPairs& labels, std::string_view le) {
  bool first = true;
  auto pair = [&](std::string_view k, std::string_view v) {
    out_ += first ? '{' : ',';
    first = false;
    out_ += k;
    out_ += "=\"";
    out_ += escape_label_value(v);
    out_ += '"';
  };
  for (const auto& [k, v] : labels) {
    if (!v.empty()) pair(k, v);
  }
  if (!le.empty()) pair("le", le);
  if (!first) out_ += '}';
}

void ExpositionWriter::sample(std::string_view name, const LabelPairs& labels, double value) {
  out_ += name;
  write_labels(labels, "");
  out_ += ' ';
  out_ += format_metric_value(value);
  out_ += '\n';
}

void ExpositionWriter::histogram(std::string_view name, const LabelPairs& labels,
                                 std::span<const double> bounds, std::span<const double> cumulative,
                                 double sum, double count) {
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < bounds.size(); ++i) {
    out_ += bucket;
    write_labels(labels, format_metric_value(bounds[i]));
    out_ += ' ';
    out_ += format_metric_value(cumulative[i]);
    out_ += '\n';
  }
  out_ += bucket;
  write_labels(labels, "+Inf");
  out_ += ' ';
  out_ += format_metric_value(count);
  out_ += '\n';
  sample(std::string(name) + "_sum", labels, sum);
  sample(std::string(name) + "_count", labels, count);
}

}  // namespace herald
