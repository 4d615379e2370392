// Hand-written rather than a regex: the grammar is tiny and this runs on every config load.
#include "model/duration.h"

#include <array>
#include <cstdint>
#include <limits>

namespace herald {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t ms;
  bool exact_only;  // used by format_duration only
};

// Order matters: parse requires units in this order; "ms" must be tried before "m".
constexpr std::array<Unit, 7> kUnits{{
    {"y", 1000LL * 60 * 60 * 24 * 365, true},
    {"w", 1000LL * 60 * 60 * 24 * 7, true},
    {"d", 1000LL * 60 * 60 * 24, false},
    {"h", 1000LL * 60 * 60, false},
    {"m", 1000LL * 60, false},
    {"s", 1000, false},
    {"ms", 1, false},
}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  if (text == "0") return Duration{0};
  if (text.empty()) return invalid_input("empty duration string");
  const auto bad = [&] {
    return invalid_input("not a valid duration string: \"" + std::string(text) + "\"");
  };
  int64_t total = 0;
  size_t pos = 0;
  size_t next_unit = 0;  // units must appear in kUnits order, each at most once
  while (pos < text.size()) {
    size_t digits_end = pos;
    while (digits_end < text.size() && is_digit(text[digits_end]))
      ++digits_end;
    if (digits_end == pos) return bad();
    // Longest matching unit among those still allowed ("ms" vs "m").
    size_t unit_idx = kUnits.size();
    for (size_t i = next_unit; i < kUnits.size(); ++i) {
      if (text.substr(digits_end).starts_with(kUnits[i].suffix)) {
        const bool is_m_before_ms =
            kUnits[i].suffix == "m" && text.substr(digits_end).starts_with("ms");
        if (is_m_before_ms) continue;
        unit_idx = i;
        break;
      }
    }
    if (unit_idx == kUnits.size()) return bad();
    int64_t value = 0;
    for (size_t i = pos; i < digits_end; ++i) {
      if (value > (std::numeric_limits<int64_t>::max() - 9) / 10) {
        return invalid_input("duration out of range: \"" + std::string(text) + "\"");
      }
      value = value * 10 + (text[i] - '0');
    }
    const int64_t mult = kUnits[unit_idx].ms;
    // Prometheus bounds durations by Go's time.Duration (int64 nanoseconds).
    constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / 1'000'000;
    if (value > kMaxMs / mult || total > kMaxMs - value * mult) {
      return invalid_input("duration out of range: \"" + std::string(text) + "\"");
    }
    total += value * mult;
    pos = digits_end + kUnits[unit_idx].suffix.size();
    next_unit = unit_idx + 1;
  }
  return Duration{total};
}

std::string format_duration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (const Unit& u : kUnits) {
    if (u.exact_only && ms % u.ms != 0) continue;
    if (const int64_t v = ms / u.ms; v > 0) {
      out += std::to_string(v);
      out += u.suffix;
      ms -= v * u.ms;
    }
  }
  return out;
}

}  // namespace herald
