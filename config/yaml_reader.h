// Internal to config/ (never include it from another module): yaml-cpp walking shared by the
// rule-file and herald.yml parsers. Turns every shape, type and duplicate-key mistake into a
// located Diagnostic and keeps going, so one pass reports every error in a file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/env.h"
#include "config/scalar_position.h"
#include "model/diagnostic.h"
#include "model/duration.h"

namespace herald::tmpl {
class Template;
}

namespace herald::config::detail {

// What a message is about: free-form context plus a field path, rendered
// `group "g", rule "R": labels.severity` or `datasources[0].url`.
struct Path {
  std::string context;
  std::string dotted;

  [[nodiscard]] Path field(std::string_view name) const;
  [[nodiscard]] Path index(size_t i) const;
  [[nodiscard]] std::string str() const;
};

// The state of one file's parse. Not thread-safe; one per parse.
class ParseContext {
 public:
  // `env` non-null: ${NAME} references in string values are expanded (herald.yml only).
  ParseContext(std::string_view file, std::string_view content, const EnvLookup* env);

  [[nodiscard]] SourcePos pos(const YAML::Mark& mark) const;  // 0-based → 1-based
  [[nodiscard]] SourcePos pos(const YAML::Node& node) const { return pos(node.Mark()); }
  [[nodiscard]] ScalarOrigin origin(const YAML::Node& scalar) const;
  // The file position of byte `offset` of `text`, the decoded value of `scalar` (a matcher or
  // PromQL error inside a quoted or block scalar, located in the file).
  [[nodiscard]] SourcePos pos_in_scalar(const YAML::Node& scalar, std::string_view text,
                                        size_t offset) const;

  void error(const SourcePos& at, const Path& about, std::string_view message);
  void warning(const SourcePos& at, const Path& about, std::string_view message);

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::string_view content() const { return content_; }
  [[nodiscard]] const EnvLookup* env() const { return env_; }
  [[nodiscard]] Diagnostics& diagnostics() { return diagnostics_; }

  // The template set receivers' message templates are checked against (set while the routing
  // sections load; null before).
  const tmpl::Template* message_templates = nullptr;
  // False when a template file failed to load: {{template}} names are then not checked (the
  // missing names would only repeat the file's own error).
  bool message_template_names_known = true;
  // Every path a field named (`*_file`, `*_dir`), resolved, in the order read (config/config.h
  // Config::referenced_paths).
  std::vector<std::string> paths;

 private:
  std::string file_;
  std::string_view content_;
  const EnvLookup* env_;
  Diagnostics diagnostics_;
};

// "a mapping", "a list", "null", or the quoted scalar: for "expected X, got Y" messages.
[[nodiscard]] std::string describe(const YAML::Node& node);

// A YAML mapping read as a struct: reports a non-mapping value, unknown keys (naming the allowed
// ones), non-scalar keys and repeated keys. A null node reads as an empty mapping.
class Fields {
 public:
  Fields(ParseContext& ctx, const YAML::Node& node, Path path,
         std::initializer_list<std::string_view> allowed);

  [[nodiscard]] bool is_mapping() const { return is_mapping_; }
  [[nodiscard]] ParseContext& ctx() const { return *ctx_; }
  [[nodiscard]] const Path& path() const { return path_; }
  [[nodiscard]] SourcePos pos() const { return pos_; }

  // The value of `name`; nullopt when absent or null (YAML's way of leaving a field unset).
  [[nodiscard]] std::optional<YAML::Node> get(std::string_view name) const;
  // Position of the value, or of the key when the value is null or absent fields' mapping.
  [[nodiscard]] SourcePos value_pos(std::string_view name) const;
  [[nodiscard]] SourcePos key_pos(std::string_view name) const;

 private:
  struct Item {
    YAML::Node key;
    YAML::Node value;
  };
  ParseContext* ctx_;
  Path path_;
  SourcePos pos_;
  bool is_mapping_ = false;
  std::map<std::string, Item, std::less<>> items_;
};

// A scalar value with where it came from.
struct ScalarEntry {
  std::string key;  // empty for list items
  std::string value;
  SourcePos key_pos;
  SourcePos value_pos;
  ScalarOrigin value_origin;
};

// Typed readers. Each returns nullopt when the field is absent/null or wrong (after reporting).
// String values are ${NAME}-expanded when the context has an env.
[[nodiscard]] std::optional<std::string> read_string(const Fields& f, std::string_view name);
[[nodiscard]] std::optional<std::string> read_string(ParseContext& ctx, const YAML::Node& node,
                                                     const Path& path);
[[nodiscard]] std::optional<Duration> read_duration(const Fields& f, std::string_view name);
[[nodiscard]] std::optional<int64_t> read_int(const Fields& f, std::string_view name);
[[nodiscard]] std::optional<bool> read_bool(const Fields& f, std::string_view name);
// A mapping of scalar → scalar, in file order; repeated keys are reported. Absent or wrong:
// empty (after reporting).
[[nodiscard]] std::vector<ScalarEntry> read_string_map(const Fields& f, std::string_view name);
[[nodiscard]] std::vector<ScalarEntry> read_string_list(const Fields& f, std::string_view name);
// A list whose items the caller reads; reports a non-list.
[[nodiscard]] std::optional<YAML::Node> read_list(const Fields& f, std::string_view name);

// Diagnostics in file order (the walk finds some out of order), stable for equal positions.
[[nodiscard]] Diagnostics sorted(Diagnostics diags);

// Parses `content` into a node; a syntax error becomes a diagnostic and nullopt.
[[nodiscard]] std::optional<YAML::Node> load_yaml(ParseContext& ctx);

}  // namespace herald::config::detail
