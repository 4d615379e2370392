// Terse builders for config::RouteConfig trees in router tests (the YAML loader is config/'s
// business; these tests state trees directly).
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "config/routing.h"
#include "model/matcher.h"

namespace herald::router::testing {

// Parses an Alertmanager matcher list; a bad one fails the test.
inline Matchers ms(const std::string& text) {
  auto parsed = parse_matchers(text);
  if (!parsed) FAIL("bad matchers in test: " << text << ": " << parsed.error().message);
  return *parsed;
}

inline config::RouteConfig route(std::string receiver, const std::string& matchers = "",
                                 std::vector<config::RouteConfig> children = {}) {
  config::RouteConfig r;
  if (!receiver.empty()) r.receiver = std::move(receiver);
  r.matchers = ms(matchers);
  r.routes = std::move(children);
  return r;
}

inline config::RouteConfig with_continue(config::RouteConfig r) {
  r.continue_ = true;
  return r;
}

inline config::RouteConfig with_group_by(config::RouteConfig r, std::vector<std::string> by) {
  r.group_by = std::move(by);
  return r;
}

}  // namespace herald::router::testing
