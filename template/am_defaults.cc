// The default named templates. Each reproduces the output of the Alertmanager template of the
// same name; the subject line keeps Alertmanager's trailing space when the group has no extra
// common labels, because users' filters and tests match that exact text.
#include "template/am_defaults.h"

#include <cstdlib>

namespace herald::tmpl {
namespace {

constexpr std::string_view kDefaults = R"tmpl(
{{- define "__alertmanager" }}herald{{ end }}
{{- define "__alertmanagerURL" }}{{ .ExternalURL }}/alerts?receiver={{ urlquery .Receiver }}{{ end }}

{{- define "__subject" -}}
  [{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}]
  {{- " " }}{{ join " " .GroupLabels.Values }}{{ " " }}
  {{- if gt (len .CommonLabels) (len .GroupLabels) -}}
    ({{ join " " (.CommonLabels.Remove .GroupLabels.Names).Values }})
  {{- end }}
{{- end }}
{{- define "__description" }}{{ end }}

{{- define "__text_alert_list" }}{{ range . }}Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{- define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{- define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{- define "slack.default.fallback" -}}
  {{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}
{{- end }}
{{- define "slack.default.callbackid" }}{{ end }}
{{- define "slack.default.pretext" }}{{ end }}
{{- define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{- define "slack.default.iconemoji" }}{{ end }}
{{- define "slack.default.iconurl" }}{{ end }}
{{- define "slack.default.text" }}{{ end }}
{{- define "slack.default.footer" }}{{ end }}

{{- define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{- define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{- define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{- define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}

{{- define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
{{- define "email.default.html" -}}
<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>{{ template "__subject" . }}</title></head>
<body>
<h2>{{ len .Alerts.Firing }} firing, {{ len .Alerts.Resolved }} resolved: {{ template "__subject" . }}</h2>
{{ range .Alerts }}<p><b>{{ .Status }}</b> {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}<br>
{{ range .Annotations.SortedPairs }}{{ .Name }}: {{ .Value }}<br>
{{ end }}<a href="{{ .GeneratorURL }}">Source</a></p>
{{ end }}<p><a href="{{ template "__alertmanagerURL" . }}">View in herald</a></p>
</body></html>
{{- end }}
)tmpl";

}  // namespace

const Template& alertmanager_defaults() {
  static const Template kParsed = [] {
    auto t = parse("default.tmpl", kDefaults, FuncSet::kMessage);
    if (!t) std::abort();  // a bug in the text above; the template tests parse it
    return std::move(*t);
  }();
  return kParsed;
}

}  // namespace herald::tmpl
