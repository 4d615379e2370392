// Executing a parsed Template against data, with Go text/template semantics and the
// missingkey=zero option Prometheus uses. Pure: no clock, no I/O except through `query`.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error.h"
#include "template/template.h"
#include "template/value.h"

namespace herald::tmpl {

// Runs an instant query for the template function `query` (annotations only).
using QueryFunc = std::function<Result<std::vector<QuerySample>>(std::string_view expr)>;

struct ExecEnv {
  // Variables defined before the template runs, e.g. {"$labels", …}; `$` is always the dot.
  std::vector<std::pair<std::string, Value>> variables;
  const QueryFunc* query = nullptr;  // `query` fails with an error when null
  std::string external_url;          // for `externalURL` and `pathPrefix`
  // html/template's output escaping (Alertmanager's `html` fields): every action's value is
  // HTML-escaped unless it is template.HTML (safeHtml). Only the text context: values inside
  // attributes, URLs or scripts get the same escaping, not html/template's per-context one.
  bool html = false;
};

// Executes `t` with `dot` as its data. Errors read like Go's, e.g.
// `template: NAME:1:3: executing "NAME" at <humanize "x">: error calling humanize: …`
// (line 1-based, column a 0-based byte offset, as Go prints them).
// Output is capped (4 MiB) and so is the work done, so a hostile template cannot hang a caller.
[[nodiscard]] Result<std::string> execute(const Template& t, const Value& dot, const ExecEnv& env);

}  // namespace herald::tmpl
