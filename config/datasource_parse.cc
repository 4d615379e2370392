// herald.yml `datasources`: the Prometheus servers rules are evaluated against.
#include <map>

#include "config/config_sections.h"
#include "config/url.h"

namespace herald::config::detail {
namespace {

void require(const Fields& f, std::string_view name, const std::string& value) {
  if (value.empty()) {
    f.ctx().error(f.pos(), f.path(), "missing required field \"" + std::string(name) + "\"");
  }
}

void read_credentials(const Fields& f, const std::string& dir, Datasource& d) {
  d.bearer_token = Secret(read_string(f, "bearer_token").value_or(""));
  d.bearer_token_file = read_path(f, "bearer_token_file", dir);
  if (!d.bearer_token.empty() && !d.bearer_token_file.empty()) {
    f.ctx().error(f.key_pos("bearer_token_file"), f.path(),
                  "at most one of bearer_token and bearer_token_file may be set");
  }
  for (const ScalarEntry& e : read_string_map(f, "headers")) {
    d.headers[e.key] = Secret(e.value);
  }
}

Datasource parse_datasource(ParseContext& ctx, const YAML::Node& node, Path path,
                            const std::string& dir) {
  Fields f(ctx, node, std::move(path),
           {"name", "url", "timeout", "bearer_token", "bearer_token_file", "headers", "tls_config",
            "unreachable_after", "default"});
  Datasource d;
  d.pos = f.pos();
  if (!f.is_mapping()) return d;
  d.name = read_string(f, "name").value_or("");
  require(f, "name", d.name);
  d.url = read_url(f, "url");
  require(f, "url", d.url);
  d.timeout = read_duration(f, "timeout").value_or(d.timeout);
  if (d.timeout.count() <= 0) {
    ctx.error(f.value_pos("timeout"), f.path().field("timeout"), "must be greater than 0");
  }
  d.unreachable_after = read_duration(f, "unreachable_after").value_or(d.unreachable_after);
  d.is_default = read_bool(f, "default").value_or(false);
  read_credentials(f, dir, d);
  d.tls_config = parse_tls(f, dir);
  return d;
}

// Exactly one default: the only datasource, or the one marked `default: true`.
void choose_default(const Fields& top, std::vector<Datasource>& all) {
  if (all.size() == 1) {
    all.front().is_default = true;
    return;
  }
  const Datasource* first = nullptr;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all[i].is_default) continue;
    if (first == nullptr) {
      first = &all[i];
      continue;
    }
    top.ctx().error(
        all[i].pos, Path{{}, "datasources"}.index(i),
        "more than one datasource is marked default (\"" + first->name + "\" already is)");
  }
  if (first == nullptr && all.size() > 1) {
    top.ctx().error(top.key_pos("datasources"), Path{{}, "datasources"},
                    "several datasources and none is marked \"default: true\"");
  }
}

}  // namespace

void parse_datasources(const Fields& top, const std::string& dir, std::vector<Datasource>& out) {
  std::optional<YAML::Node> list = read_list(top, "datasources");
  if (!list) return;
  std::map<std::string, SourcePos> names;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    Path path = Path{{}, "datasources"}.index(i++);
    Datasource d = parse_datasource(top.ctx(), item, path, dir);
    if (!d.name.empty()) {
      auto [prev, inserted] = names.emplace(d.name, d.pos);
      if (!inserted) {
        top.ctx().error(d.pos, path.field("name"),
                        "duplicate datasource name \"" + d.name + "\" (first at line " +
                            std::to_string(prev->second.line) + ")");
      }
    }
    out.push_back(std::move(d));
  }
  choose_default(top, out);
}

}  // namespace herald::config::detail
