// LabelSet operations and Prometheus-compatible fingerprinting.
#include "model/labels.h"

#include <algorithm>
#include <cstdio>

namespace herald {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
constexpr unsigned char kSeparator = 0xff;  // prometheus/common model.SeparatorByte

uint64_t fnv_add(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}
uint64_t fnv_add_byte(uint64_t h, unsigned char c) {
  h ^= c;
  h *= kFnvPrime;
  return h;
}

}  // namespace

LabelSet::LabelSet(std::initializer_list<Label> labels) {
  for (const Label& l : labels)
    set(l.name, l.value);
}

LabelSet::LabelSet(const std::map<std::string, std::string>& labels) {
  for (const auto& [name, value] : labels) {
    if (!value.empty()) labels_.push_back({name, value});
  }
}

std::string_view LabelSet::get(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != labels_.end() && it->name == name) return it->value;
  return {};
}

bool LabelSet::has(std::string_view name) const {
  return !get(name).empty();
}

void LabelSet::set(std::string_view name, std::string_view value) {
  if (value.empty()) {
    erase(name);
    return;
  }
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != labels_.end() && it->name == name) {
    it->value = value;
  } else {
    labels_.insert(it, Label{std::string(name), std::string(value)});
  }
}

void LabelSet::erase(std::string_view name) {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != labels_.end() && it->name == name) labels_.erase(it);
}

Fingerprint LabelSet::fingerprint() const {
  if (labels_.empty()) return kFnvOffset;
  uint64_t h = kFnvOffset;
  for (const Label& l : labels_) {
    h = fnv_add(h, l.name);
    h = fnv_add_byte(h, kSeparator);
    h = fnv_add(h, l.value);
    h = fnv_add_byte(h, kSeparator);
  }
  return h;
}

std::string LabelSet::to_string() const {
  std::string out = "{";
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels_[i].name;
    out += '=';
    out += go_quote(labels_[i].value);
  }
  out += '}';
  return out;
}

std::map<std::string, std::string> LabelSet::to_map() const {
  std::map<std::string, std::string> out;
  for (const Label& l : labels_)
    out.emplace(l.name, l.value);
  return out;
}

std::string fingerprint_hex(Fingerprint fp) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fp));
  return buf;
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);  // UTF-8 bytes pass through (printable runes)
        }
    }
  }
  out += '"';
  return out;
}

bool labels_before(const LabelSet& a, const LabelSet& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  // With both label vectors sorted, the first position where the names differ holds the first
  // name of the union that one set lacks: the set lacking it (whose name there is greater) sorts
  // first.
  const auto& la = a.labels();
  const auto& lb = b.labels();
  for (size_t i = 0; i < la.size(); ++i) {
    if (la[i].name != lb[i].name) return la[i].name > lb[i].name;
    if (la[i].value != lb[i].value) return la[i].value < lb[i].value;
  }
  return false;
}

}  // namespace herald
