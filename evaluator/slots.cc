// Slot arithmetic in integer milliseconds since the epoch, so it is exact.
#include "evaluator/slots.h"

#include <cstdint>

namespace herald::evaluator {
namespace {

int64_t ms_since_epoch(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
WallTime from_ms(int64_t ms) {
  return WallTime{} + std::chrono::milliseconds(ms);
}

}  // namespace

Duration group_offset(std::string_view file, std::string_view group, Duration interval) {
  if (interval.count() <= 0) return Duration{0};
  uint64_t h = 14695981039346656037ULL;
  auto add = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  add(file);
  add("\xff");
  add(group);
  return Duration{static_cast<int64_t>(h % static_cast<uint64_t>(interval.count()))};
}

WallTime first_slot(WallTime now, Duration interval, Duration offset) {
  const int64_t i = interval.count();
  const int64_t t = ms_since_epoch(now);
  const int64_t since = ((t - offset.count()) % i + i) % i;  // time since the previous slot
  // Round up to the next whole millisecond slot; a `now` exactly on a slot is that slot.
  const bool exact = since == 0 && now == from_ms(t);
  return from_ms(exact ? t : t - since + i);
}

NextSlot next_slot(WallTime last, WallTime finished, Duration interval) {
  const WallTime next = last + interval;
  if (next > finished) return NextSlot{next, 0};
  const auto elapsed = std::chrono::duration_cast<Duration>(finished - last);
  const int64_t k = elapsed.count() / interval.count();  // >= 1
  return NextSlot{last + k * interval, static_cast<int>(k - 1)};
}

}  // namespace herald::evaluator
