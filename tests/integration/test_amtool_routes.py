"""Differential test: `herald routes test` against `amtool config routes test` (Debian's
prometheus-alertmanager 0.25) on the same routing tree.

The tree exercises nesting, `continue`, regex and negative matchers, legacy match/match_re,
inheritance of receiver/group_by/timers, an explicit empty group_by and `...`. For 500 seeded
random label sets, herald must name exactly the receivers amtool names, in the same order (the
first output line), and print the same matching tree with --tree; `--verify.receivers` must give
the same exit codes; `herald routes show` must print amtool's full tree. Malformed label
arguments fail in both with exit code 1.
"""
import concurrent.futures
import os
import random
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import IntegrationTestCase, herald_bin  # noqa: E402

AMTOOL = os.environ.get("AMTOOL_BIN", "amtool")
SEED = int(os.environ.get("HERALD_ROUTES_SEED", "7"))
CASES = 500

ROUTING = """\
route:
  receiver: default
  group_by: [alertname, cluster]
  group_wait: 10s
  routes:
    - matchers: ['team="ml"']
      receiver: ml
      continue: true
      group_by: [alertname, model]
      routes:
        - matchers: ['severity=~"crit.*|page"']
          receiver: ml-pager
          group_interval: 1m
        - matchers: ['model!~"llama.*"', 'env!="dev"']
          receiver: ml-other
          group_by: []
    - match: {team: web}
      match_re: {service: "api|frontend"}
      receiver: web
      routes:
        - matchers: ['env="prod"']
          continue: true
          receiver: web-prod
        - matchers: ['env=~"prod|staging"', 'severity!="info"']
          receiver: web-oncall
          group_by: ['...']
    - matchers: ['severity="critical"', 'team!="ml"']
      receiver: pager
      repeat_interval: 1h
      continue: true
    - matchers: ['alertname=~"Gpu.*|ModelNotLoaded"']
      receiver: gpu
      routes:
        - matchers: ['cluster=""']
          receiver: gpu-unknown-cluster
    - matchers: ['service=~".+"', 'env!~"dev|test"']
      receiver: services
receivers:
  - name: default
  - name: ml
  - name: ml-pager
  - name: ml-other
  - name: web
  - name: web-prod
  - name: web-oncall
  - name: pager
  - name: gpu
  - name: gpu-unknown-cluster
  - name: services
"""

VOCABULARY = {
    "alertname": ["HighErrorRate", "HighLatency", "GpuOomRisk", "ModelNotLoaded", "PodDown"],
    "team": ["ml", "web", "db", "mlops"],
    "severity": ["critical", "warning", "info", "page", "crit"],
    "model": ["llama3-8b", "mistral-7b", "llama", "qwen2-72b"],
    "env": ["prod", "staging", "dev", "test", "prod-kr"],
    "service": ["api", "frontend", "db", "api-v2", ""],
    "cluster": ["a", "b"],
}


def label_sets(rng):
    for _ in range(CASES):
        names = rng.sample(sorted(VOCABULARY), k=rng.randint(0, len(VOCABULARY)))
        yield {n: rng.choice(VOCABULARY[n]) for n in sorted(names)}


def args_of(labels):
    return [f"{k}={v}" for k, v in labels.items()]


class AmtoolRoutesTest(IntegrationTestCase):
    def setUp(self):
        super().setUp()
        self.am_config = os.path.join(self.tmp, "alertmanager.yml")
        self.herald_config = os.path.join(self.tmp, "herald.yml")
        with open(self.am_config, "w") as f:
            f.write(ROUTING)
        with open(self.herald_config, "w") as f:  # the sections pasted in unchanged
            f.write(ROUTING)

    def amtool(self, *args):
        return subprocess.run([AMTOOL, "config", "routes", *args,
                               f"--config.file={self.am_config}"],
                              capture_output=True, text=True, timeout=60)

    def herald(self, *args):
        return subprocess.run([herald_bin(), "routes", *args,
                               f"--config.file={self.herald_config}"],
                              capture_output=True, text=True, timeout=60)

    def test_receivers_match_amtool_for_generated_label_sets(self):
        rng = random.Random(SEED)
        differences = []
        distinct = set()
        cases = list(label_sets(rng))

        def both(labels):
            return self.amtool("test", *args_of(labels)), self.herald("test", *args_of(labels))

        # The runs are independent processes that mostly wait on start-up: eight at a time.
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(both, cases))
        for labels, (want, got) in zip(cases, results):
            self.assertEqual(want.returncode, 0, want.stderr)
            self.assertEqual(got.returncode, 0, got.stderr)
            first = got.stdout.splitlines()[0] if got.stdout else ""
            distinct.add(want.stdout.strip())
            if first != want.stdout.strip():
                differences.append(f"{labels}: amtool {want.stdout.strip()!r}, herald {first!r}")
        self.assertEqual(differences, [], "\n".join(differences[:20]))
        # The tree and the label vocabulary are meant to reach many outcomes.
        self.assertGreaterEqual(len(distinct), 12, sorted(distinct))
        print(f"\n  {CASES} label sets (seed {SEED}), {len(distinct)} distinct receiver lists",
              file=sys.stderr)

    def test_matching_tree_and_verify_receivers_match_amtool(self):
        rng = random.Random(SEED + 1)
        for labels in list(label_sets(rng))[:25]:
            want = self.amtool("test", "--tree", *args_of(labels))
            got = self.herald("test", "--tree", *args_of(labels))
            want_tree = want.stdout.split("\n\n\n")[0]
            self.assertEqual(got.stdout.split("\n\n\n")[0], want_tree, labels)
            receivers = want.stdout.strip().splitlines()[-1]
            for expected in (receivers, "nobody"):
                w = self.amtool("test", f"--verify.receivers={expected}", *args_of(labels))
                g = self.herald("test", f"--verify.receivers={expected}", *args_of(labels))
                self.assertEqual(g.returncode, w.returncode, (labels, expected, g.stdout))
                self.assertEqual("WARNING: Expected receivers did not match resolved receivers."
                                 in g.stdout,
                                 "WARNING: Expected receivers did not match resolved receivers."
                                 in w.stdout)

    def test_full_tree_matches_amtool(self):
        want = self.amtool("show")
        got = self.herald("show")
        self.assertEqual(want.returncode, 0, want.stderr)
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(got.stdout, want.stdout)

    def test_bad_label_arguments_fail_like_amtool(self):
        for bad in (["foo"], ["a=~b"], ["a!=b"]):
            want = self.amtool("test", *bad)
            got = self.herald("test", *bad)
            self.assertEqual(want.returncode, 1)
            self.assertEqual(got.returncode, 1, got.stdout + got.stderr)
            self.assertTrue(got.stderr.strip(), "herald explains the error")

    def test_herald_adds_group_by_and_timers_per_matched_route(self):
        got = self.herald("test", "team=ml", "severity=critical", "alertname=HighErrorRate",
                          "model=mistral-7b", "env=prod", "service=api")
        lines = got.stdout.splitlines()
        self.assertEqual(lines[0], "ml-pager,services")
        self.assertEqual(len(lines), 3, got.stdout)
        self.assertTrue(lines[1].lstrip().startswith("ml-pager: "), lines[1])
        self.assertIn("group_by=[alertname,model]", lines[1])
        self.assertIn("group_wait=10s group_interval=1m repeat_interval=4h", lines[1])
        self.assertIn('group={alertname="HighErrorRate", model="mistral-7b"}', lines[1])
        self.assertTrue(lines[2].lstrip().startswith("services: "), lines[2])
        self.assertIn("group_by=[alertname,cluster]", lines[2])
        self.assertIn("group_wait=10s group_interval=5m repeat_interval=4h", lines[2])

        pager = self.herald("test", "team=db", "severity=critical", "alertname=GpuOomRisk")
        lines = pager.stdout.splitlines()
        self.assertEqual(lines[0], "pager,gpu-unknown-cluster")
        self.assertIn("repeat_interval=1h", lines[1])
        self.assertIn("group_by=[alertname,cluster]", lines[2])

        everything = self.herald("test", "team=web", "service=api", "env=staging",
                                 "severity=warning", "alertname=PodDown")
        lines = everything.stdout.splitlines()
        self.assertEqual(lines[0], "web-oncall")
        self.assertIn("group_by=[...]", lines[1])


if __name__ == "__main__":
    unittest.main()
