"""herald's PromQL normal form against Prometheus's own: every expression of
tests/promql/corpus.json that promtool accepts becomes an alerting rule in one file, loaded by a
real Prometheus 2.42 and by herald; for every rule, the `query` herald's /api/v1/rules shows is
exactly the one Prometheus's shows (Prometheus prints its parsed expression, herald its own
parse of it through promql/printer.h).
"""

import json
import os
import sys

import harness

sys.path.insert(0, os.path.join(harness.SOURCE_DIR, "tests", "promql"))
from test_promtool_diff import promtool_verdicts  # noqa: E402


class PromqlPrinterTest(harness.IntegrationTestCase):
    def test_queries_print_as_prometheus_prints_them(self):
        with open(os.path.join(harness.SOURCE_DIR, "tests", "promql", "corpus.json")) as f:
            corpus = json.load(f)
        valid = [e for e, v in zip(corpus, promtool_verdicts(corpus)) if v["ok"]]
        self.assertGreater(len(valid), 200)
        rules = os.path.join(self.tmp, "corpus-rules.yml")
        with open(rules, "w") as f:
            f.write("groups:\n  - name: corpus\n    interval: 1h\n    rules:\n")
            for i, e in enumerate(valid):
                f.write(f"      - alert: E{i}\n        expr: {json.dumps(e)}\n")
        prom = self.start_prometheus([], rule_files=[rules])
        herald = self.start_herald(prom.url, [rules], evaluation_interval="1h")

        def queries(url):
            groups = harness.api_v1(url, "rules")["groups"]
            return {r["name"]: r["query"] for g in groups for r in g["rules"]}

        theirs = harness.wait_until(lambda: (q := queries(prom.url)) and len(q) == len(valid) and q,
                                    timeout=30, what="Prometheus's rules loaded")
        ours = queries(herald.url)
        differ = [(valid[int(name[1:])], theirs[name], ours.get(name)) for name in theirs
                  if ours.get(name) != theirs[name]]
        print(f"  {len(valid)} expressions, {len(differ)} printed differently", file=sys.stderr)
        self.assertEqual(differ, [])


if __name__ == "__main__":
    import unittest
    unittest.main(verbosity=2)
