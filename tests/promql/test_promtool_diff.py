"""herald's PromQL parser against Prometheus's own (promtool check rules, Debian prometheus
2.42) on tests/promql/corpus.json: for every expression the same verdict (accepted or refused),
and when both refuse, herald's error no later in the expression than promtool's; and every
accepted expression's normal form (promql/printer.h) parses back to itself.

Each expression becomes one alerting rule in a file of its own; one promtool run checks them all.
"""

import json
import os
import re
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PROMTOOL = os.environ.get("PROMTOOL_BIN", "promtool")
VERDICT = os.environ.get("HERALD_PROMQL_VERDICT", "herald_promql_verdict")
ERROR = re.compile(r"^(?P<file>[^:]+\.yml): .*could not parse expression: (?P<line>\d+):(?P<col>\d+): "
                   r"parse error: (?P<msg>.*)$")


def offset(expr, line, col):
    lines = expr.split("\n")
    return sum(len(l.encode()) + 1 for l in lines[:line - 1]) + col - 1


def promtool_verdicts(exprs):
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, e in enumerate(exprs):
            path = os.path.join(tmp, f"e{i}.yml")
            with open(path, "w") as f:
                f.write("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: "
                        + json.dumps(e) + "\n")
            files.append(path)
        out = subprocess.run([PROMTOOL, "check", "rules"] + files, capture_output=True, text=True,
                             cwd=tmp)
        errors = {}
        for line in out.stderr.splitlines():
            m = ERROR.match(line.strip())
            if m:
                i = int(os.path.basename(m["file"])[1:-4])
                errors.setdefault(i, (int(m["line"]), int(m["col"]), m["msg"]))
        ok = set(int(os.path.basename(f)[1:-4]) for f in re.findall(
            r"Checking (\S+)\n  SUCCESS", out.stdout))
    verdicts = []
    for i, e in enumerate(exprs):
        if i in errors:
            line, col, msg = errors[i]
            verdicts.append({"ok": False, "pos": offset(e, line, col), "error": msg})
        elif i in ok:
            verdicts.append({"ok": True})
        else:
            verdicts.append({"ok": False, "pos": None, "error": "promtool said neither"})
    return verdicts


class PromtoolDifferentialTest(unittest.TestCase):
    maxDiff = None

    def test_same_verdicts_as_promtool(self):
        with open(os.path.join(HERE, "corpus.json")) as f:
            exprs = json.load(f)
        self.assertGreater(len(exprs), 100)
        theirs = promtool_verdicts(exprs)
        ours = json.loads(subprocess.run([VERDICT], input=json.dumps(exprs), capture_output=True,
                                         text=True, check=True).stdout)
        mismatches = []
        for e, t, o in zip(exprs, theirs, ours):
            if t["ok"] != o["ok"]:
                mismatches.append(f"{e!r}: promtool {'accepts' if t['ok'] else 'refuses: ' + t['error']}"
                                  f"; herald {'accepts' if o['ok'] else 'refuses: ' + o['error']}")
            elif not t["ok"] and t["pos"] is not None and o["pos"] > t["pos"]:
                mismatches.append(f"{e!r}: herald's error at {o['pos']} ({o['error']}) is after "
                                  f"promtool's at {t['pos']} ({t['error']})")
            if o["ok"] and o["reparsed"] != o["printed"]:
                mismatches.append(f"{e!r}: printed {o['printed']!r}, which parses and prints as "
                                  f"{o['reparsed']!r}")
        accepted = sum(t["ok"] for t in theirs)
        print(f"  {len(exprs)} expressions: promtool accepts {accepted}, refuses "
              f"{len(exprs) - accepted}; {len(mismatches)} differ")
        self.assertEqual(mismatches, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
