// parse() and parse_files(): the parser's output assembled into a Template — its named
// templates merged over the base's as Go does, {{template}} names checked — and errors turned
// into line:column.
#include "template/template.h"

#include <algorithm>
#include <optional>

#include "model/labels.h"
#include "template/ast.h"
#include "template/parse_checks.h"
#include "template/parser.h"

namespace herald::tmpl {
namespace {

using Failure = ParseFailure;

// Go's parse.IsEmptyTree: nothing but whitespace text.
bool is_empty_tree(const Node& body) {
  return std::all_of(body.list.begin(), body.list.end(), [](const Node& n) {
    return n.kind == NodeKind::kText && n.text.find_first_not_of(" \t\r\n") == std::string::npos;
  });
}

// 1-based line and column (in code points) of byte offset `pos`.
ParseError make_error(std::string_view text, int pos, std::string message) {
  ParseError e;
  e.line = 1;
  e.column = 1;
  size_t end = std::min(static_cast<size_t>(std::max(pos, 0)), text.size());
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++e.line;
      e.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++e.column;
    }
  }
  e.message = std::move(message);
  return e;
}

}  // namespace

tl::expected<Template, ParseError> parse(std::string_view name, std::string_view text,
                                         FuncSet funcs, const Template* base, bool check_refs) {
  try {
    ParsedText p = parse_text(text, funcs);
    Template t;
    t.source_ = std::make_shared<const Source>(Source{std::string(name), std::string(text)});
    t.root_ = std::make_shared<const Node>(std::move(p.root));
    auto defs =
        base ? std::make_shared<Definitions>(base->definitions()) : std::make_shared<Definitions>();
    for (auto& [def_name, body] : p.defines) {
      auto it = defs->find(def_name);
      // Go keeps an existing definition rather than replace it with an empty one.
      if (it != defs->end() && is_empty_tree(body)) continue;
      (*defs)[def_name] = Definition{std::make_shared<const Node>(std::move(body)), t.source_};
    }
    if (check_refs) {
      for (const TemplateRef& ref : p.refs) {
        if (defs->count(ref.name) == 0)
          throw Failure{ref.pos, "no such template " + go_quote(ref.name)};
      }
    }
    t.definitions_ = std::move(defs);
    t.refs_ = std::move(p.refs);
    return t;
  } catch (const Failure& f) {
    return tl::unexpected(make_error(text, f.pos, f.message));
  } catch (const std::exception& e) {  // allocation failure and the like
    return tl::unexpected(make_error(text, 0, std::string("internal error: ") + e.what()));
  }
}

tl::expected<Template, FileParseError> parse_files(const std::vector<TextFile>& files,
                                                   FuncSet funcs, const Template* base) {
  std::optional<Template> set;
  if (base) set = *base;
  std::vector<Template> parsed;
  for (const TextFile& f : files) {
    auto t = parse(f.name, f.text, funcs, set ? &*set : nullptr, false);
    if (!t) return tl::unexpected(FileParseError{f.name, t.error()});
    set = *t;
    parsed.push_back(std::move(*t));
  }
  for (const Template& t : parsed) {
    for (const TemplateRef& ref : t.refs()) {
      if (set->definitions().count(ref.name) == 0) {
        return tl::unexpected(FileParseError{
            t.name(), make_error(t.text(), ref.pos, "no such template " + go_quote(ref.name))});
      }
    }
  }
  auto empty = parse("", "", funcs, set ? &*set : nullptr, false);
  return std::move(*empty);
}

}  // namespace herald::tmpl
