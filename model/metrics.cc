// Metric families and their text exposition.
#include "model/metrics.h"

#include <charconv>
#include <cmath>

namespace herald {
namespace {

const char* type_name(MetricFamily::Type t) {
  switch (t) {
    case MetricFamily::Type::kCounter:
      return "counter";
    case MetricFamily::Type::kGauge:
      return "gauge";
    case MetricFamily::Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// Label values escape backslash, double quote and newline; HELP escapes backslash and newline.
std::string escape(std::string_view s, bool quote) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quote && c == '"')
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

void write_series(std::string& out, const std::string& name, const LabelSet& labels,
                  const char* extra_name = nullptr, const std::string& extra_value = {}) {
  out += name;
  if (!labels.empty() || extra_name) {
    out += '{';
    bool first = true;
    for (const Label& l : labels) {
      if (!first) out += ',';
      first = false;
      out += l.name + "=\"" + escape(l.value, true) + "\"";
    }
    if (extra_name) out += std::string(first ? "" : ",") + extra_name + "=\"" + extra_value + "\"";
    out += '}';
  }
  out += ' ';
}

}  // namespace

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

MetricFamily::MetricFamily(std::string name, std::string help, Type type,
                           std::vector<double> buckets)
    : name_(std::move(name)), help_(std::move(help)), type_(type), buckets_(std::move(buckets)) {}

void MetricFamily::inc(const LabelSet& labels, double by) {
  std::lock_guard lock(mu_);
  series_[labels].value += by;
}

void MetricFamily::set(const LabelSet& labels, double value) {
  std::lock_guard lock(mu_);
  series_[labels].value = value;
}

void MetricFamily::observe(const LabelSet& labels, double value) {
  std::lock_guard lock(mu_);
  Series& s = series_[labels];
  if (s.bucket_counts.empty()) s.bucket_counts.assign(buckets_.size(), 0);
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (value <= buckets_[i]) {
      s.bucket_counts[i]++;
      break;
    }
  }
  s.count++;
  s.value += value;
}

void MetricFamily::remove(const LabelSet& labels) {
  std::lock_guard lock(mu_);
  series_.erase(labels);
}

void MetricFamily::clear() {
  std::lock_guard lock(mu_);
  series_.clear();
}

double MetricFamily::value(const LabelSet& labels) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.value;
}

void MetricFamily::render(std::string& out) const {
  out += "# HELP " + name_ + " " + escape(help_, false) + "\n";
  out += "# TYPE " + name_ + " " + type_name(type_) + "\n";
  std::lock_guard lock(mu_);
  for (const auto& [labels, s] : series_) {
    if (type_ != Type::kHistogram) {
      write_series(out, name_, labels);
      out += format_metric_value(s.value) + "\n";
      continue;
    }
    uint64_t cumulative = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
      cumulative += s.bucket_counts.empty() ? 0 : s.bucket_counts[i];
      write_series(out, name_ + "_bucket", labels, "le", format_metric_value(buckets_[i]));
      out += std::to_string(cumulative) + "\n";
    }
    write_series(out, name_ + "_bucket", labels, "le", "+Inf");
    out += std::to_string(s.count) + "\n";
    write_series(out, name_ + "_sum", labels);
    out += format_metric_value(s.value) + "\n";
    write_series(out, name_ + "_count", labels);
    out += std::to_string(s.count) + "\n";
  }
}

MetricFamily& MetricsRegistry::add(const std::string& name, std::unique_ptr<MetricFamily> f) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name, std::move(f));
  return *it->second;  // registering a name twice returns the first family
}

MetricFamily& MetricsRegistry::counter(const std::string& name, const std::string& help) {
  return add(name, std::make_unique<MetricFamily>(name, help, MetricFamily::Type::kCounter));
}

MetricFamily& MetricsRegistry::gauge(const std::string& name, const std::string& help) {
  return add(name, std::make_unique<MetricFamily>(name, help, MetricFamily::Type::kGauge));
}

MetricFamily& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                         std::vector<double> buckets) {
  return add(name, std::make_unique<MetricFamily>(name, help, MetricFamily::Type::kHistogram,
                                                  std::move(buckets)));
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, f] : families_)
    f->render(out);
  return out;
}

}  // namespace herald
