// A Grafana dashboard JSON model reduced to what `herald check links` verifies: its uid, its
// templating variables and every link URL it carries. Pure parsing of text; the caller reads the
// files (daemon/link_inputs.h).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/loaded.h"

namespace herald::links {

// One link URL a dashboard carries: a dashboard link, a panel link or a data link.
struct DataLink {
  // Where it is, for messages: `dashboard link "Runbook"`, `panel "Errors" (id 4) link "Logs"`,
  // `panel "Errors" (id 4) data link "Logs"`, `panel "Errors" (id 4) overrides[1] data link
  // "Logs"`; an untitled link is named by its index (`dashboard links[0]`).
  std::string where;
  std::string url;
};

struct Dashboard {
  std::string file;  // the path it was read from, for messages
  std::string uid;
  std::string title;
  std::set<std::string> variables;  // templating.list[].name
  std::vector<DataLink> links;      // in document order
};

// Parses a dashboard as Grafana exports or provisions it (the bare dashboard model). Collects the
// urls of: `links[]` (dashboard links with a `url`), and of every panel (rows' nested `panels`
// included) its `links[]`, `fieldConfig.defaults.links[]` and the `links` properties of
// `fieldConfig.overrides[]`. Invalid JSON (located at line:col) or a missing `uid` is an error.
[[nodiscard]] config::Loaded<Dashboard> parse_dashboard(std::string_view file,
                                                        std::string_view json_text);

}  // namespace herald::links
