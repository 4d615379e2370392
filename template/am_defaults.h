// The named templates Alertmanager defines for every notification (its default.tmpl), so that a
// receiver pasted from alertmanager.yml — `title: '{{ template "slack.default.title" . }}'` —
// renders the same text in herald. Written for herald: the names and their output are
// Alertmanager's (tests/integration/test_message_templates.py compares them with amtool's
// rendering of Alertmanager's own file); `__alertmanager` says "herald" and `__alertmanagerURL`
// points at herald's alerts page, where Alertmanager's point at itself.
#pragma once

#include "template/template.h"

namespace herald::tmpl {

// Parsed once, with FuncSet::kMessage; the base of every message template and template file.
[[nodiscard]] const Template& alertmanager_defaults();

}  // namespace herald::tmpl
