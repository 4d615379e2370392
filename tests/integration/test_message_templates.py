"""herald's message templates against Alertmanager's own: `herald template render` next to
`amtool template render` (Debian prometheus-alertmanager), same template text, same data.

Three comparisons:
  * a corpus of templates users write (functions, KV/Alerts methods, range/with/if, printing
    whole values, nested {{template}} calls) rendered with Alertmanager's default.tmpl loaded
    into both, over several data sets — byte-identical output, or both failing;
  * herald's built-in named templates (template/am_defaults.cc) against Alertmanager's file:
    every name herald defines renders the same, except the two that name the product and its
    URL (`__alertmanager`, `__alertmanagerURL`) and those built on them;
  * html/template escaping of values (`--template.type=html`).
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import harness

AM_DEFAULTS = "/usr/share/prometheus/alertmanager/default.tmpl"


def alert(status, labels, annotations, starts, ends="0001-01-01T00:00:00Z", url="http://prom:9090/graph?g0.expr=up"):
    return {"status": status, "labels": labels, "annotations": annotations, "startsAt": starts,
            "endsAt": ends, "generatorURL": url, "fingerprint": "%016x" % (hash(json.dumps(labels, sort_keys=True)) & (2**64 - 1))}


def data_sets():
    one = alert("firing", {"alertname": "HighErrorRate", "model": "llama3-8b", "severity": "critical"},
                {"summary": "5xx error rate 7.2% > 5%", "runbook_url": "https://r/HighErrorRate"},
                "2026-05-01T12:00:00Z")
    mixed = [
        alert("firing", {"alertname": "HighLatency", "endpoint": "/chat", "a_label": "first", "model": "모델"},
              {"summary": "p99 <b>3.2s</b> & rising"}, "2026-05-01T12:00:00.123456789Z"),
        alert("resolved", {"alertname": "HighLatency", "endpoint": "/completions", "model": "모델"},
              {"summary": "p99 back to 0.4s", "description": "*bold* <!channel>"},
              "2026-05-01T11:00:00Z", "2026-05-01T12:30:00Z"),
        alert("firing", {"alertname": "HighLatency", "endpoint": "/embed", "model": "모델", "zone": "eu"},
              {}, "2026-04-30T23:59:59Z"),
    ]
    resolved = [alert("resolved", {"alertname": "PodDown", "pod": "api-1"}, {"summary": "back"},
                      "2026-05-01T10:00:00Z", "2026-05-01T10:05:00Z")]
    return {
        "one": {"receiver": "ml-oncall", "status": "firing", "alerts": [one],
                "groupLabels": {"alertname": "HighErrorRate"},
                "commonLabels": one["labels"], "commonAnnotations": one["annotations"],
                "externalURL": "http://herald.example:9095"},
        "mixed": {"receiver": "web.team", "status": "firing", "alerts": mixed,
                  "groupLabels": {"alertname": "HighLatency", "model": "모델"},
                  "commonLabels": {"alertname": "HighLatency", "model": "모델"},
                  "commonAnnotations": {}, "externalURL": "https://herald.example"},
        "resolved": {"receiver": "platform", "status": "resolved", "alerts": resolved,
                     "groupLabels": {}, "commonLabels": resolved[0]["labels"],
                     "commonAnnotations": resolved[0]["annotations"], "externalURL": ""},
    }


# Templates as users write them in slack_configs/email_configs/pagerduty_configs.
CORPUS = [
    '{{ template "__subject" . }}',
    '{{ template "__text_alert_list" .Alerts }}',
    '{{ template "__text_alert_list" .Alerts.Resolved }}',
    '{{ template "opsgenie.default.description" . }}',
    '{{ template "pushover.default.message" . }}',
    '{{ . }}',
    '{{ .Alerts }}|{{ .Alerts.Firing }}|{{ len .Alerts.Resolved }}',
    '{{ .CommonLabels }}|{{ .CommonLabels.SortedPairs }}|{{ .GroupLabels.Names }}|{{ .CommonAnnotations.Values }}',
    '{{ range .Alerts }}{{ .Labels.SortedPairs.Names }}={{ .Labels.SortedPairs.Values }};{{ end }}',
    '{{ (.CommonLabels.Remove .GroupLabels.Names).Values | join "," }}',
    '{{ .CommonLabels.Remove (stringSlice "model" "nope") }}',
    '{{ stringSlice }}|{{ stringSlice "a" "b" | join "-" }}',
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }}',
    '{{ range .Alerts }}*{{ .Labels.alertname | title }}* {{ .Annotations.summary | toLower }}{{ "\\n" }}{{ end }}',
    '{{ title "5xx error llama3-8b o\'neil a_b c.d /chat éclair ÉTÉ 모델" }}|{{ toUpper "éa모" }}|{{ toLower "ÉTÉ" }}',
    '{{ range $i, $a := .Alerts }}{{ $i }}:{{ $a.Status }}:{{ $a.StartsAt }}:{{ $a.EndsAt }}|{{ end }}',
    '{{ range .Alerts }}{{ .StartsAt.Format "2006-01-02 15:04 MST" }} {{ .StartsAt.Unix }}|{{ end }}',
    '{{ with index .Alerts 0 }}{{ .Fingerprint }} {{ .GeneratorURL }}{{ end }}',
    '{{ range .Alerts }}{{ if match "^/c" .Labels.endpoint }}{{ reReplaceAll "^/(.*)$" "ep:$1" .Labels.endpoint }} {{ end }}{{ end }}',
    '{{ .Receiver }} {{ .ExternalURL }} {{ .Receiver | urlquery }}',
    '{{ safeHtml "<b>x</b>" }} {{ html "<b>" }} {{ js "a\'b" }} {{ printf "%q %d %.2f" "x" 3 1.5 }}',
    '{{ .CommonLabels.nope }}|{{ .CommonAnnotations.summary }}|{{ index .CommonLabels "alertname" }}',
    '{{ range .Alerts.Firing }}{{ range $k, $v := .Labels }}{{ $k }}={{ $v }} {{ end }}{{ else }}none{{ end }}',
    '{{ define "mine" }}<{{ .Status }}>{{ end }}{{ range .Alerts }}{{ template "mine" . }}{{ end }}',
    '{{ block "blk" .Receiver }}[{{ . }}]{{ end }}',
    '{{- /* a comment */ -}}  {{ len .Alerts }}  ',
    # Runtime errors: both must fail.
    '{{ .Nope }}',
    '{{ template "no.such.template" . }}',
    '{{ .CommonLabels.Remove "model" }}',
    '{{ join "," .Receiver }}',
]

# herald's built-in names whose output is Alertmanager's; the rest name herald itself.
SAME_NAMES = [
    "__subject", "__description", "__text_alert_list", "slack.default.title",
    "slack.default.callbackid", "slack.default.pretext", "slack.default.iconemoji",
    "slack.default.iconurl", "slack.default.text", "slack.default.footer",
    "pagerduty.default.description", "pagerduty.default.instances",
]
HERALD_NAMES = ["__alertmanager", "__alertmanagerURL", "slack.default.username",
                "slack.default.titlelink", "slack.default.fallback", "pagerduty.default.client",
                "pagerduty.default.clientURL"]

HTML_CORPUS = [
    '<p>{{ .CommonAnnotations.summary }}</p>',
    '{{ range .Alerts }}<li>{{ .Labels.model }}: {{ .Annotations.summary }} {{ .Annotations.description }}</li>{{ end }}',
    '{{ safeHtml "<i>kept</i>" }} {{ "a+b \\"q\\" \'s\' &" }}',
]


def run(argv):
    p = subprocess.run(argv, capture_output=True, timeout=60)
    return p.returncode, p.stdout


class MessageTemplatesAgainstAmtoolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.herald = harness.herald_bin()
        cls.amtool = os.environ.get("AMTOOL_BIN") or shutil.which("amtool")
        if not cls.amtool or not os.path.exists(AM_DEFAULTS):
            raise unittest.SkipTest("amtool and Alertmanager's default.tmpl are needed")
        cls.dir = tempfile.mkdtemp(prefix="herald-tmpl-")
        cls.data = {}
        for name, d in data_sets().items():
            path = os.path.join(cls.dir, name + ".json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(d, f, ensure_ascii=False)
            cls.data[name] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def render(self, tool, text, data, kind="text", glob=True):
        argv = [tool, "template", "render", "--template.text=" + text,
                "--template.data=" + data, "--template.type=" + kind]
        if glob:
            argv.insert(3, "--template.glob=" + AM_DEFAULTS)
        return run(argv)

    def test_corpus_renders_as_alertmanager_renders_it(self):
        compared = 0
        for text in CORPUS:
            for name, data in self.data.items():
                with self.subTest(template=text, data=name):
                    ours = self.render(self.herald, text, data)
                    theirs = self.render(self.amtool, text, data)
                    self.assertEqual(ours[0] == 0, theirs[0] == 0,
                                     "exit codes differ: herald %d, amtool %d (amtool said %r)"
                                     % (ours[0], theirs[0], theirs[1][:200]))
                    if theirs[0] == 0:
                        self.assertEqual(ours[1].decode(), theirs[1].decode())
                        compared += 1
        self.assertGreater(compared, 60)

    def test_builtin_named_templates_match_alertmanagers(self):
        for name in SAME_NAMES:
            for dname, data in self.data.items():
                with self.subTest(name=name, data=dname):
                    text = '{{ template "%s" %s }}' % (
                        name, ".Alerts" if name == "__text_alert_list" or name.endswith("instances") else ".")
                    if name.endswith("instances"):
                        text = '{{ template "%s" .Alerts }}' % name
                    ours = self.render(self.herald, text, data, glob=False)
                    theirs = self.render(self.amtool, text, data)
                    self.assertEqual(ours[0], 0, ours)
                    self.assertEqual(theirs[0], 0, theirs)
                    self.assertEqual(ours[1].decode(), theirs[1].decode())

    def test_product_names_point_at_herald(self):
        for name in HERALD_NAMES:
            with self.subTest(name=name):
                code, out = self.render(self.herald, '{{ template "%s" . }}' % name,
                                        self.data["mixed"], glob=False)
                self.assertEqual(code, 0)
                text = out.decode()
                self.assertNotIn("Alertmanager", text)
                self.assertNotIn("/#/alerts", text)
        code, out = self.render(self.herald, '{{ template "__alertmanagerURL" . }}',
                                self.data["mixed"], glob=False)
        # The data file's receiver is used as given (herald QuoteMeta's it when it builds data).
        self.assertEqual(out.decode(), "https://herald.example/alerts?receiver=web.team")

    def test_html_values_are_escaped_as_html_template_escapes_them(self):
        for text in HTML_CORPUS:
            for name, data in self.data.items():
                with self.subTest(template=text, data=name):
                    ours = self.render(self.herald, text, data, "html")
                    theirs = self.render(self.amtool, text, data, "html")
                    self.assertEqual((ours[0], ours[1].decode()), (theirs[0], theirs[1].decode()))

    def test_template_files_define_templates_for_fields(self):
        path = os.path.join(self.dir, "custom.tmpl")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{{ define "slack.custom.title" }}{{ template "__subject" . }}!{{ end }}\n'
                    '{{ define "slack.custom.text" }}{{ range .Alerts }}• {{ .Annotations.summary }}\n'
                    '{{ end }}{{ end }}\n')
        text = '{{ template "slack.custom.title" . }}/{{ template "slack.custom.text" . }}'
        for name, data in self.data.items():
            with self.subTest(data=name):
                ours = run([self.herald, "template", "render", "--template.glob=" + path,
                            "--template.text=" + text, "--template.data=" + data])
                theirs = run([self.amtool, "template", "render", "--template.glob=" + AM_DEFAULTS,
                              "--template.glob=" + path, "--template.text=" + text,
                              "--template.data=" + data])
                self.assertEqual(ours, theirs)

    def test_a_broken_template_file_is_located(self):
        path = os.path.join(self.dir, "broken.tmpl")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{{ define "ok" }}fine{{ end }}\n{{ define "bad" }}{{ .Status | nosuch }}{{ end }}\n')
        p = subprocess.run([self.herald, "template", "render", "--template.glob=" + path,
                            "--template.text=x"], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn(path + ":2:32: error: template: function \"nosuch\" not defined", p.stderr)


if __name__ == "__main__":
    unittest.main()
