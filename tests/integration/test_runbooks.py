"""Runbook pages end to end: a real Prometheus scrapes the demo exporter, herald evaluates a tiny
HighErrorRate rule (`for: 0s`, short window) against it with a `links:` section whose runbooks_dir
is the repo's runbooks/, and an error burst on llama3-8b makes the alert fire. Then
GET /runbooks/HighErrorRate must be an HTML page (parsed with html.parser, not grepped) whose
<section id="active-alerts"> lists the firing instance with model="llama3-8b" and a Dashboard
link drilling into inference-detail for that model, and whose <article> is the rendered runbook
with its GFM table. A runbook with no active alert says so; unknown names and path traversal
are 404.

Run: HERALD_BIN=build/app/herald python3 -m unittest -v tests/integration/test_runbooks.py
"""

import html.parser
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SOURCE_DIR, IntegrationTestCase, http, wait_until  # noqa: E402

MODEL = "llama3-8b"
RUNBOOKS_DIR = os.path.join(SOURCE_DIR, "runbooks")
DASHBOARDS_DIR = os.path.join(SOURCE_DIR, "deploy", "grafana", "dashboards")
DASHBOARD_PREFIX = f"http://grafana.invalid/d/inference-detail?orgId=1&var-model={MODEL}&from="

RULES = """groups:
  - name: runbooks
    interval: 1s
    rules:
      - alert: HighErrorRate
        expr: |
          sum by (model) (rate(llm_errors_total[10s]))
            /
          sum by (model) (rate(llm_requests_total[10s]))
            > 0.05
        for: 0s
        labels:
          severity: critical
"""

LINKS = f"""links:
  grafana_url: http://grafana.invalid
  dashboards_dir: {DASHBOARDS_DIR}
  runbooks_dir: {RUNBOOKS_DIR}
  drilldowns:
    - matchers: ['alertname="HighErrorRate"']
      dashboard: inference-detail
      vars: {{model: model}}
      also: [{{title: Logs, dashboard: logs-dashboard, vars: {{model: model}}}}]
"""


class RunbookPage(html.parser.HTMLParser):
    """The parts of a runbook page the tests look at: doctype, title, and for the active-alerts
    section and the article their text, links (text, href) and tags."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.doctype = None
        self.title = ""
        self.parts = {"section": {"text": "", "links": [], "tags": []},
                      "article": {"text": "", "links": [], "tags": []}}
        self.sections = []  # ids of the <section>s, in order
        self._in = []       # open "section" / "article" regions
        self._in_title = False
        self._link = None   # [href, text] of the open <a>
        self.feed(text)
        self.close()

    def _part(self):
        return self.parts[self._in[-1]] if self._in else None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "section":
            self.sections.append(attrs.get("id"))
            if attrs.get("id") == "active-alerts":
                self._in.append("section")
        elif tag == "article":
            self._in.append("article")
        elif tag == "a" and self._part() is not None:
            self._link = [attrs.get("href", ""), ""]
        if self._part() is not None:
            self._part()["tags"].append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in ("section", "article") and self._in:
            self._in.pop()
        elif tag == "a" and self._link is not None and self._part() is not None:
            self._part()["links"].append((self._link[1].strip(), self._link[0]))
            self._link = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._link is not None:
            self._link[1] += data
        if self._part() is not None:
            self._part()["text"] += data


class RunbooksTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.assertTrue(os.path.exists(os.path.join(RUNBOOKS_DIR, "HighErrorRate.md")),
                        "the shipped runbook runbooks/HighErrorRate.md is missing")
        self.exporter = self.start_exporter(seed=1)
        rules = os.path.join(self.tmp, "runbooks-rules.yml")
        with open(rules, "w") as f:
            f.write(RULES)
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        self.herald = self.start_herald(self.prom.url, [rules], extra_config=LINKS)
        self.herald.wait_ready()

    def get(self, path):
        return http("GET", self.herald.url + path)

    def test_runbook_page_lists_the_firing_alert_with_its_links(self):
        self.exporter.start_incident("error_burst", MODEL)

        def page_with_firing_alert():
            status, body = self.get("/runbooks/HighErrorRate")
            if status != 200:
                raise ValueError(f"/runbooks/HighErrorRate: HTTP {status}: {body[:200]}")
            page = RunbookPage(body)
            section = page.parts["section"]["text"]
            return page if f'model="{MODEL}"' in section and "firing" in section else None

        page = wait_until(page_with_firing_alert,
                          what=f"HighErrorRate for {MODEL} firing on the runbook page")
        self.assertEqual(page.doctype.lower(), "doctype html")
        self.assertEqual(page.title, "HighErrorRate runbook — herald")
        self.assertEqual(page.sections[0], "active-alerts", "the active alerts come first")

        section = page.parts["section"]
        dashboards = [href for text, href in section["links"] if text == "Dashboard"]
        self.assertTrue(any(href.startswith(DASHBOARD_PREFIX) and f"var-model={MODEL}&" in href
                            for href in dashboards),
                        f"no Dashboard link for {MODEL}: {section['links']}")
        titles = {text for text, _ in section["links"]}
        self.assertLessEqual({"Dashboard", "Logs", "Prometheus graph", "Silence"}, titles)
        graph = next(href for text, href in section["links"] if text == "Prometheus graph")
        self.assertTrue(graph.startswith(self.prom.url + "/graph?g0.expr="), graph)

        article = page.parts["article"]
        self.assertIn("table", article["tags"], "the runbook's GFM table did not render")
        self.assertIn("HighErrorRate", article["text"])
        self.assertNotIn("script", article["tags"] + section["tags"])

    def test_runbook_without_active_alerts_and_unknown_names(self):
        # HighLatency has a runbook but no rule here: nothing can be active.
        status, body = self.get("/runbooks/HighLatency")
        self.assertEqual(status, 200)
        page = RunbookPage(body)
        self.assertIn("No active HighLatency alerts.", page.parts["section"]["text"])
        self.assertTrue(page.parts["article"]["text"].strip())

        for path in ("/runbooks/Nope", "/runbooks/..%2Fetc", "/runbooks/..%2F..%2Fetc%2Fpasswd",
                     "/runbooks/%2Fetc%2Fpasswd", "/runbooks/HighErrorRate.md"):
            with self.subTest(path=path):
                status, body = self.get(path)
                self.assertEqual(status, 404, body)


if __name__ == "__main__":
    unittest.main(verbosity=2)
