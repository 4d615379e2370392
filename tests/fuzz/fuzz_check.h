// What fuzz targets share: the input as text, and the one assertion they make — a broken
// invariant aborts, so libFuzzer (or the replay driver) reports the input as a crash.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace herald::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline void check(bool ok, const char* invariant) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: invariant broken: %s\n", invariant);
  std::abort();
}

}  // namespace herald::fuzz
