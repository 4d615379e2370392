"""Sharding rule groups over three herald processes, as a StatefulSet's replicas run them.

30 groups in two rule files (one always-true rule per group, one alert per model of the demo
exporter) run on an unsharded herald and on three shards (--cluster.shard=i/3) against one real
Prometheus. Every group is evaluated by exactly one shard, each shard's /api/v1/rules names the
others' groups and their shard, the union of the shards' alerts equals the unsharded herald's,
and after the shards restart with the rule files copied to another directory each evaluates the
same groups as before (the hash takes the file's base name, not its path).
"""

import os

import harness

FILES = {"serving.yml": 15, "gpus.yml": 15}
SHARDS = 3


def rule_file(name, groups):
    lines = ["groups:"]
    for g in range(groups):
        lines += [f"  - name: {name.split('.')[0]}-{g}",
                  "    rules:",
                  f"      - alert: Shard{name.split('.')[0].title()}{g}",
                  "        expr: sum by (model) (llm_model_loaded) >= 0"]
    return "\n".join(lines) + "\n"


def write_rules(directory):
    os.makedirs(directory, exist_ok=True)
    paths = []
    for name, groups in FILES.items():
        path = os.path.join(directory, name)
        with open(path, "w") as f:
            f.write(rule_file(name, groups))
        paths.append(path)
    return paths


def alert_set(herald):
    return {tuple(sorted(a["labels"].items())) for a in herald.alerts()
            if a["state"] == "firing" and not a["labels"]["alertname"].startswith("Herald")}


class ShardingTest(harness.IntegrationTestCase):
    def setUp(self):
        super().setUp()
        self.exporter = self.start_exporter(seed=3)
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()

    def start_shards(self, rule_paths, tag):
        shards = []
        for i in range(SHARDS):
            h = self.start_herald(self.prom.url, rule_paths, name=f"shard{i}-{tag}",
                                  evaluation_interval="1s",
                                  extra_args=[f"--cluster.shard={i}/{SHARDS}"])
            shards.append(h)
        for h in shards:
            h.wait_ready()
        return shards

    def owned(self, herald):
        data = harness.api_v1(herald.url, "rules")
        return data, {(os.path.basename(g["file"]), g["name"]) for g in data["groups"]
                      if not g["name"].startswith("herald")}

    def test_each_group_on_exactly_one_shard_and_the_same_alerts(self):
        paths = write_rules(os.path.join(self.tmp, "rules"))
        every = {(name, f"{name.split('.')[0]}-{g}") for name, n in FILES.items()
                 for g in range(n)}
        whole = self.start_herald(self.prom.url, paths, name="unsharded",
                                  evaluation_interval="1s")
        whole.wait_ready()
        shards = self.start_shards(paths, "a")

        assignment = {}
        for i, h in enumerate(shards):
            data, owned = self.owned(h)
            self.assertEqual(data["shard"], f"{i}/{SHARDS}")
            elsewhere = {(os.path.basename(g["file"]), g["name"]): g["shard"]
                         for g in data["groupsElsewhere"]}
            self.assertEqual(set(elsewhere) | owned, every)
            self.assertEqual(set(elsewhere) & owned, set())
            for group in owned:
                self.assertNotIn(group, assignment, f"{group} on two shards")
                assignment[group] = i
            for group, shard in elsewhere.items():
                self.assertNotEqual(shard, f"{i}/{SHARDS}")
            self.assertEqual(h.metric("herald_shard", index=str(i), count=str(SHARDS)), 1)
        self.assertEqual(set(assignment), every)
        self.assertEqual(set(assignment.values()), set(range(SHARDS)), "a shard got nothing")
        # What shard i says of the others' groups is where they are.
        for h in shards:
            for g in harness.api_v1(h.url, "rules")["groupsElsewhere"]:
                key = (os.path.basename(g["file"]), g["name"])
                self.assertEqual(g["shard"], f"{assignment[key]}/{SHARDS}")
        self.assertNotIn("shard", harness.api_v1(whole.url, "rules"), "unsharded says no shard")

        names = {f"Shard{f.split('.')[0].title()}{g.split('-')[1]}" for f, g in every}

        def all_fired():
            alerts = alert_set(whole)
            return {dict(a)["alertname"] for a in alerts} == names and alerts

        expected = harness.wait_until(all_fired, timeout=30, what="every rule firing, unsharded")

        def union():
            got = set().union(*(alert_set(h) for h in shards))
            return got == expected and got

        harness.wait_until(union, timeout=30, what="the shards' alerts to equal the unsharded's")

        # Same groups per shard with the files elsewhere.
        for h in shards:
            h.stop()
        moved = write_rules(os.path.join(self.tmp, "moved", "elsewhere"))
        for i, h in enumerate(self.start_shards(moved, "b")):
            _, owned = self.owned(h)
            self.assertEqual(owned, {g for g, s in assignment.items() if s == i})


if __name__ == "__main__":
    import unittest
    unittest.main(verbosity=2)
