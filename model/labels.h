// LabelSet: an immutable-by-convention sorted set of name="value" pairs, and its Fingerprint.
// Fingerprints are FNV-1a 64 over sorted names and values, as prometheus/common model.LabelSet,
// so herald's alert identities match Prometheus's and Alertmanager's.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald {

struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
  friend auto operator<=>(const Label&, const Label&) = default;
};

using Fingerprint = uint64_t;

class LabelSet {
 public:
  LabelSet() = default;
  LabelSet(std::initializer_list<Label> labels);
  explicit LabelSet(const std::map<std::string, std::string>& labels);

  // Value of `name`, or "" when absent (Prometheus treats absent and empty alike).
  [[nodiscard]] std::string_view get(std::string_view name) const;
  [[nodiscard]] bool has(std::string_view name) const;
  // Sets (or replaces) a label; an empty value removes it, as in Prometheus.
  void set(std::string_view name, std::string_view value);
  void erase(std::string_view name);

  [[nodiscard]] const std::vector<Label>& labels() const { return labels_; }
  [[nodiscard]] size_t size() const { return labels_.size(); }
  [[nodiscard]] bool empty() const { return labels_.empty(); }
  [[nodiscard]] auto begin() const { return labels_.begin(); }
  [[nodiscard]] auto end() const { return labels_.end(); }

  [[nodiscard]] Fingerprint fingerprint() const;
  // Prometheus's rendering: {alertname="X", model="llama3-8b"} (values Go-quoted).
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] std::map<std::string, std::string> to_map() const;

  friend bool operator==(const LabelSet&, const LabelSet&) = default;
  friend auto operator<=>(const LabelSet&, const LabelSet&) = default;

 private:
  std::vector<Label> labels_;  // sorted by name, names unique, values non-empty
};

// prometheus/common model.LabelSet.Before: fewer labels first; then the set lacking the first
// name of the union the other has; then the first differing value.
[[nodiscard]] bool labels_before(const LabelSet& a, const LabelSet& b);

// Fingerprint as Alertmanager prints it: 16 lowercase hex digits.
[[nodiscard]] std::string fingerprint_hex(Fingerprint fp);

// Go's strconv.Quote for the printable-UTF-8 case: "..." with \" \\ \n \t etc. escaped.
[[nodiscard]] std::string go_quote(std::string_view s);

}  // namespace herald
