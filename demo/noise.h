// Deterministic noise for the demo exporter: a seeded splitmix64 hash and smooth "value noise"
// that is a pure function of (seed, key, time), so the simulation never owns a stateful RNG and
// the same seed gives the same curves however often it is scraped.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string_view>

namespace herald::demo {

// splitmix64 finaliser: a well-mixed 64-bit hash of `x`.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a, so string keys ("llama3-8b/rps") select independent noise streams.
inline uint64_t hash_key(std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : key)
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// Uniform in [-1, 1] for one lattice point.
inline double lattice_value(uint64_t seed, uint64_t key, int64_t index) {
  const uint64_t h = mix64(seed ^ mix64(key ^ mix64(static_cast<uint64_t>(index))));
  return static_cast<double>(h >> 11) / static_cast<double>(1ULL << 52) - 1.0;
}

// Smooth noise in [-1, 1]: lattice values every `period` seconds, cosine-interpolated in between.
inline double smooth_noise(uint64_t seed, std::string_view key, double t, double period) {
  const double x = t / period;
  const double cell = std::floor(x);
  const double frac = x - cell;
  const uint64_t k = hash_key(key);
  const double a = lattice_value(seed, k, static_cast<int64_t>(cell));
  const double b = lattice_value(seed, k, static_cast<int64_t>(cell) + 1);
  const double w = (1.0 - std::cos(frac * std::numbers::pi)) / 2.0;
  return a + (b - a) * w;
}

}  // namespace herald::demo
