// What the notifier tests share: the golden files, the link settings the goldens were recorded
// with, an alert builder, and an independent base64 reader for rendered emails.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "links/alert_links.h"
#include "model/alert.h"
#include "model/matcher.h"

namespace herald::test {

inline const std::filesystem::path kGolden =
    std::filesystem::path(HERALD_SOURCE_DIR) / "tests" / "notifiers" / "golden";

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// herald at `external_url`, and nothing else: no Grafana, no drilldowns, no runbooks.
inline std::shared_ptr<const links::LinkSettings> herald_links(std::string external_url) {
  auto s = std::make_shared<links::LinkSettings>();
  s->external_url = std::move(external_url);
  return s;
}

// herald and Grafana at the given URLs, HighErrorRate drilling down into inference-detail with
// var-model, and HighErrorRate's runbook.
inline links::LinkSettings drilldown_links(std::string external_url, std::string grafana_url) {
  links::LinkSettings s;
  s.external_url = std::move(external_url);
  s.links.grafana_url = std::move(grafana_url);
  config::Drilldown d;
  d.matchers = *parse_matchers(R"({alertname="HighErrorRate"})");
  d.dashboard = "inference-detail";
  d.vars = {{"model", "model"}};
  s.links.drilldowns.push_back(d);
  s.runbooks = {"HighErrorRate"};
  return s;
}

// An alert with a summary, firing from `start` (resolved at `end` when set).
inline Alert alert_with_summary(LabelSet labels, std::string summary, WallTime start,
                                WallTime end = {}) {
  Alert a;
  a.labels = std::move(labels);
  a.annotations = {{"summary", std::move(summary)}};
  a.starts_at = start;
  a.ends_at = end;
  return a;
}

// RFC 4648 base64, written apart from model/base64.h so the tests do not read with the code
// that wrote. Padding ends it; any other byte outside the alphabet fails the test.
inline std::string base64_decode(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const size_t v = kAlphabet.find(c);
    REQUIRE(v != std::string::npos);
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace herald::test
