// YAML helpers shared by the router's scenario drivers (tests/scenarios/routing and router).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "model/clock.h"
#include "model/duration.h"
#include "model/labels.h"

namespace herald::router::testing {

// An offset from `t0` such as "1m30s", or "-10s" before it.
inline WallTime at(const YAML::Node& n, WallTime t0) {
  const std::string s = n.as<std::string>();
  if (!s.empty() && s[0] == '-') return t0 - parse_duration(s.substr(1)).value();
  return t0 + parse_duration(s).value();
}

// A YAML map of label names to values.
inline LabelSet labels_of(const YAML::Node& n) {
  LabelSet ls;
  for (const auto& kv : n)
    ls.set(kv.first.as<std::string>(), kv.second.as<std::string>());
  return ls;
}

}  // namespace herald::router::testing
