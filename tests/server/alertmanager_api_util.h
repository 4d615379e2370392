// Shared by the Alertmanager API v2 codec tests: times and matchers from text.
#pragma once

#include <catch2/catch.hpp>

#include "server/alertmanager_api.h"

namespace herald::server::testing {

// Also used for globals, so it throws rather than REQUIREs (parsing is tested elsewhere).
inline WallTime T(const char* text) {
  return parse_api_datetime(text).value();
}

inline const WallTime kNow = T("2026-05-01T12:00:00Z");

inline Matcher M(const char* text) {
  auto m = parse_matcher(text);
  REQUIRE(m);
  return *m;
}

}  // namespace herald::server::testing
