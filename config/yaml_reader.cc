// yaml-cpp walking with located diagnostics; the only place (with the two parsers that use it)
// where yaml-cpp types and exceptions are seen.
#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

namespace herald::config::detail {

Path Path::field(std::string_view name) const {
  return Path{context, dotted.empty() ? std::string(name) : dotted + "." + std::string(name)};
}

Path Path::index(size_t i) const {
  return Path{context, dotted + "[" + std::to_string(i) + "]"};
}

std::string Path::str() const {
  if (context.empty()) return dotted;
  if (dotted.empty()) return context;
  return context + ": " + dotted;
}

ParseContext::ParseContext(std::string_view file, std::string_view content, const EnvLookup* env)
    : file_(file), content_(content), env_(env) {}

SourcePos ParseContext::pos(const YAML::Mark& mark) const {
  if (mark.line < 0 || mark.column < 0) return SourcePos{file_, 1, 1};  // e.g. an empty document
  return SourcePos{file_, mark.line + 1, mark.column + 1};
}

ScalarOrigin ParseContext::origin(const YAML::Node& scalar) const {
  const YAML::Mark& m = scalar.Mark();
  if (m.pos < 0) return ScalarOrigin{};
  return ScalarOrigin{static_cast<size_t>(m.pos), m.line + 1, m.column + 1};
}

SourcePos ParseContext::pos_in_scalar(const YAML::Node& scalar, std::string_view text,
                                      size_t offset) const {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  const LineColumn at =
      locate_in_scalar(content_, origin(scalar), line, static_cast<int>(offset - line_start + 1));
  return SourcePos{file_, at.line, at.column};
}

void ParseContext::error(const SourcePos& at, const Path& about, std::string_view message) {
  std::string where = about.str();
  diagnostics_.push_back(
      Diagnostic{at, Severity::kError,
                 where.empty() ? std::string(message) : where + ": " + std::string(message)});
}

void ParseContext::warning(const SourcePos& at, const Path& about, std::string_view message) {
  error(at, about, message);
  diagnostics_.back().severity = Severity::kWarning;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "\"" + node.Scalar() + "\"";
    default:
      return "null";
  }
}

namespace {

std::string join(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view n : names)
    out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace

Fields::Fields(ParseContext& ctx, const YAML::Node& node, Path path,
               std::initializer_list<std::string_view> allowed)
    : ctx_(&ctx), path_(std::move(path)), pos_(ctx.pos(node)) {
  if (node.IsNull()) {
    is_mapping_ = true;
    return;
  }
  if (!node.IsMap()) {
    ctx.error(pos_, path_, "expected a mapping, got " + describe(node));
    return;
  }
  is_mapping_ = true;
  // Range-for: yaml-cpp's iterator `->` returns a proxy by value, so `it->first` would dangle.
  for (const auto& kv : node) {
    const YAML::Node key = kv.first;
    if (!key.IsScalar()) {
      ctx.error(ctx.pos(key), path_, "a mapping key must be a string, got " + describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      ctx.error(ctx.pos(key), path_,
                "unknown field \"" + name + "\" (allowed: " + join(allowed) + ")");
      continue;
    }
    auto [prev, inserted] = items_.emplace(name, Item{key, kv.second});
    if (!inserted) {
      ctx.error(ctx.pos(key), path_,
                "mapping key \"" + name + "\" already defined at line " +
                    std::to_string(ctx.pos(prev->second.key).line));
    }
  }
}

std::optional<YAML::Node> Fields::get(std::string_view name) const {
  auto it = items_.find(name);
  if (it == items_.end() || it->second.value.IsNull()) return std::nullopt;
  return it->second.value;
}

SourcePos Fields::value_pos(std::string_view name) const {
  auto it = items_.find(name);
  if (it == items_.end()) return pos_;
  if (it->second.value.IsNull()) return ctx_->pos(it->second.key);
  return ctx_->pos(it->second.value);
}

SourcePos Fields::key_pos(std::string_view name) const {
  auto it = items_.find(name);
  return it == items_.end() ? pos_ : ctx_->pos(it->second.key);
}

std::optional<std::string> read_string(ParseContext& ctx, const YAML::Node& node,
                                       const Path& path) {
  if (node.IsNull()) return std::string();
  if (!node.IsScalar()) {
    ctx.error(ctx.pos(node), path, "expected a string, got " + describe(node));
    return std::nullopt;
  }
  if (ctx.env() == nullptr) return node.Scalar();
  Result<std::string> expanded = expand_env(node.Scalar(), *ctx.env());
  if (!expanded) {
    ctx.error(ctx.pos(node), path, expanded.error().message);
    return std::nullopt;
  }
  return *expanded;
}

std::optional<std::string> read_string(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = f.get(name);
  if (!node) return std::nullopt;
  return read_string(f.ctx(), *node, f.path().field(name));
}

std::optional<Duration> read_duration(const Fields& f, std::string_view name) {
  std::optional<std::string> text = read_string(f, name);
  if (!text) return std::nullopt;
  Result<Duration> d = parse_duration(*text);
  if (!d) {
    f.ctx().error(f.value_pos(name), f.path().field(name), d.error().message);
    return std::nullopt;
  }
  return *d;
}

namespace {

// Plain (unquoted) scalars only: YAML's typed values are never written in quotes.
bool is_plain_scalar(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() != "!";
}

}  // namespace

std::optional<int64_t> read_int(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = f.get(name);
  if (!node) return std::nullopt;
  int64_t v = 0;
  if (is_plain_scalar(*node)) {
    std::string_view s = node->Scalar();
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return v;
  }
  f.ctx().error(f.value_pos(name), f.path().field(name),
                "expected an integer, got " + describe(*node));
  return std::nullopt;
}

std::optional<bool> read_bool(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = f.get(name);
  if (!node) return std::nullopt;
  if (is_plain_scalar(*node)) {
    const std::string& s = node->Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  f.ctx().error(f.value_pos(name), f.path().field(name),
                "expected true or false, got " + describe(*node));
  return std::nullopt;
}

std::vector<ScalarEntry> read_string_map(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = f.get(name);
  if (!node) return {};
  ParseContext& ctx = f.ctx();
  Path path = f.path().field(name);
  if (!node->IsMap()) {
    ctx.error(ctx.pos(*node), path, "expected a mapping, got " + describe(*node));
    return {};
  }
  std::vector<ScalarEntry> out;
  std::map<std::string, SourcePos, std::less<>> seen;
  for (const auto& kv : *node) {
    const YAML::Node key_node = kv.first;
    const YAML::Node value_node = kv.second;
    if (!key_node.IsScalar()) {
      ctx.error(ctx.pos(key_node), path,
                "a mapping key must be a string, got " + describe(key_node));
      continue;
    }
    const std::string key = key_node.Scalar();
    SourcePos key_pos = ctx.pos(key_node);
    if (auto [prev, inserted] = seen.emplace(key, key_pos); !inserted) {
      ctx.error(key_pos, path,
                "mapping key \"" + key + "\" already defined at line " +
                    std::to_string(prev->second.line));
      continue;
    }
    std::optional<std::string> value = read_string(ctx, value_node, path.field(key));
    if (!value) continue;
    SourcePos value_pos = value_node.IsNull() ? key_pos : ctx.pos(value_node);
    out.push_back(ScalarEntry{key, *value, key_pos, value_pos, ctx.origin(value_node)});
  }
  return out;
}

std::optional<YAML::Node> read_list(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = f.get(name);
  if (!node) return std::nullopt;
  if (!node->IsSequence()) {
    f.ctx().error(f.ctx().pos(*node), f.path().field(name),
                  "expected a list, got " + describe(*node));
    return std::nullopt;
  }
  return node;
}

std::vector<ScalarEntry> read_string_list(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = read_list(f, name);
  if (!node) return {};
  ParseContext& ctx = f.ctx();
  std::vector<ScalarEntry> out;
  size_t i = 0;
  for (const YAML::Node& item : *node) {
    std::optional<std::string> value = read_string(ctx, item, f.path().field(name).index(i++));
    if (!value) continue;
    SourcePos p = ctx.pos(item);
    out.push_back(ScalarEntry{"", *value, p, p, ctx.origin(item)});
  }
  return out;
}

Diagnostics sorted(Diagnostics diags) {
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
  });
  return diags;
}

std::optional<YAML::Node> load_yaml(ParseContext& ctx) {
  try {
    return YAML::Load(std::string(ctx.content()));
  } catch (const YAML::ParserException& e) {  // includes too-deep nesting
    ctx.error(ctx.pos(e.mark), Path{}, "invalid YAML: " + e.msg);
  } catch (const YAML::Exception& e) {
    ctx.error(ctx.pos(e.mark), Path{}, "invalid YAML: " + e.msg);
  }
  return std::nullopt;
}

}  // namespace herald::config::detail
