// Grafana dashboard JSON → Dashboard. nlohmann exceptions stop here (docs/architecture.md
// "Errors").
#include "links/dashboard_catalog.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace herald::links {
namespace {

using json = nlohmann::json;

const json& member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string string_member(const json& j, const char* key) {
  const json& v = member(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}

// `panel "Errors" (id 4)`; falls back to the JSON path when the panel has neither.
std::string describe_panel(const json& panel, const std::string& path) {
  std::string out = "panel";
  const std::string title = string_member(panel, "title");
  if (!title.empty()) out += " \"" + title + "\"";
  const json& id = member(panel, "id");
  if (id.is_number_integer()) out += " (id " + std::to_string(id.get<int64_t>()) + ")";
  if (id.is_string()) out += " (id " + id.get<std::string>() + ")";
  return out == "panel" ? "panel " + path : out;
}

// Appends the urls of `list` (a links array); `kind` is "link" or "data link".
void collect(const json& list, const std::string& owner, const std::string& kind,
             std::vector<DataLink>& out) {
  if (!list.is_array()) return;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string url = string_member(list[i], "url");
    if (url.empty()) continue;  // e.g. a tag-based "dashboards" link
    const std::string title = string_member(list[i], "title");
    const std::string name =
        title.empty() ? kind + "s[" + std::to_string(i) + "]" : kind + " \"" + title + "\"";
    out.push_back(DataLink{owner + " " + name, url});
  }
}

void collect_panels(const json& panels, const std::string& path, std::vector<DataLink>& out) {
  if (!panels.is_array()) return;
  for (size_t i = 0; i < panels.size(); ++i) {
    const json& panel = panels[i];
    const std::string panel_path = path + "[" + std::to_string(i) + "]";
    const std::string owner = describe_panel(panel, panel_path);
    collect(member(panel, "links"), owner, "link", out);
    const json& field_config = member(panel, "fieldConfig");
    collect(member(member(field_config, "defaults"), "links"), owner, "data link", out);
    const json& overrides = member(field_config, "overrides");
    for (size_t o = 0; overrides.is_array() && o < overrides.size(); ++o) {
      const json& properties = member(overrides[o], "properties");
      for (size_t p = 0; properties.is_array() && p < properties.size(); ++p) {
        if (string_member(properties[p], "id") != "links") continue;
        collect(member(properties[p], "value"), owner + " overrides[" + std::to_string(o) + "]",
                "data link", out);
      }
    }
    collect_panels(member(panel, "panels"), panel_path + ".panels", out);  // a row's panels
  }
}

// nlohmann reports the 1-based count of bytes read; editors want line:col.
SourcePos position_of(std::string_view file, std::string_view text, size_t byte) {
  const size_t offset = std::min(byte > 0 ? byte - 1 : 0, text.size());
  const std::string_view before = text.substr(0, offset);
  const size_t last_newline = before.rfind('\n');
  SourcePos pos{std::string(file), 1, 0};
  for (char c : before)
    pos.line += c == '\n' ? 1 : 0;
  pos.column =
      static_cast<int>(last_newline == std::string_view::npos ? offset + 1 : offset - last_newline);
  return pos;
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error …" → the
// part after the position, which the diagnostic already carries.
std::string parse_message(const json::parse_error& e) {
  const std::string what = e.what();
  const size_t at = what.find(": ", what.find("parse error"));
  return at == std::string::npos ? what : what.substr(at + 2);
}

Dashboard read_dashboard(std::string_view file, const json& root) {
  Dashboard d;
  d.file = std::string(file);
  d.uid = string_member(root, "uid");
  d.title = string_member(root, "title");
  const json& variables = member(member(root, "templating"), "list");
  for (size_t i = 0; variables.is_array() && i < variables.size(); ++i) {
    const std::string name = string_member(variables[i], "name");
    if (!name.empty()) d.variables.insert(name);
  }
  collect(member(root, "links"), "dashboard", "link", d.links);
  collect_panels(member(root, "panels"), "panels", d.links);
  return d;
}

}  // namespace

config::Loaded<Dashboard> parse_dashboard(std::string_view file, std::string_view json_text) {
  config::Loaded<Dashboard> out;
  const auto error = [&](SourcePos pos, std::string message) {
    out.diagnostics.push_back(Diagnostic{std::move(pos), Severity::kError, std::move(message)});
    return out;
  };
  try {
    const json root = json::parse(json_text);
    if (!root.is_object()) {
      return error(SourcePos{std::string(file)}, "not a Grafana dashboard: not a JSON object");
    }
    Dashboard d = read_dashboard(file, root);
    if (d.uid.empty()) {
      return error(SourcePos{std::string(file)},
                   "dashboard has no \"uid\" (drilldowns and links name dashboards by uid)");
    }
    out.value = std::move(d);
    return out;
  } catch (const json::parse_error& e) {
    return error(position_of(file, json_text, e.byte), "invalid JSON: " + parse_message(e));
  } catch (const json::exception& e) {  // not expected: every access above checks its type
    return error(SourcePos{std::string(file)}, std::string("invalid dashboard: ") + e.what());
  }
}

}  // namespace herald::links
