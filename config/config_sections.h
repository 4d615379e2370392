// Internal to config/: the herald.yml section parsers, split by section to keep files small.
// Each reports its errors into the context and fills what it could read.
#pragma once

#include <string>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace herald::config::detail {

void parse_datasources(const Fields& top, const std::string& dir, std::vector<Datasource>& out);
void parse_links(const Fields& top, const std::string& dir, LinksConfig& out);

// `tls_config` of `parent` (absent: defaults). Paths resolve against `dir`.
[[nodiscard]] TlsConfig parse_tls(const Fields& parent, const std::string& dir);

// `path` joined to `dir` unless it is empty or absolute.
[[nodiscard]] std::string resolve_path(const std::string& dir, const std::string& path);

// Reads a string field that must be an http(s) URL with a host (when present).
[[nodiscard]] std::string read_url(const Fields& f, std::string_view name);

// Reads a string field that is a path, resolved against `dir`.
[[nodiscard]] std::string read_path(const Fields& f, std::string_view name, const std::string& dir);

}  // namespace herald::config::detail
