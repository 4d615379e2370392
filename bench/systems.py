"""Systems under test: rule evaluators the benchmark can start, watch and stop.

A SystemUnderTest starts one evaluator process for a rule file and a Prometheus URL, and reads
its own counters in a common shape (Counters). The driver (rule_eval.py) does the rest — the
/proc measurements, the window, the report — identically for every system, so adding vmalert
is one subclass here plus one entry in SYSTEMS.
"""

import dataclasses
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "integration"))
import harness  # noqa: E402  (tests/integration/harness.py: processes, ports, HTTP helpers)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of `pid` in seconds, from /proc/<pid>/stat (fields 14 and 15, in ticks).
    Threads are included; children are not (none of the systems forks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()  # the command name may contain spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_kib(pid):
    """{'VmHWM': peak resident set, 'VmRSS': current resident set} in KiB, from
    /proc/<pid>/status."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0])
    return out


_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Prometheus text exposition → {name: [(labels dict, value), ...]}."""
    out = {}
    for line in text.splitlines():
        m = _SAMPLE.match(line)
        if m:
            labels = dict(_LABEL.findall(m.group(2) or ""))
            out.setdefault(m.group(1), []).append((labels, float(m.group(3))))
    return out


def scrape(url):
    status, body = harness.http("GET", url, timeout=10)
    if status != 200:
        raise ValueError(f"GET {url}: HTTP {status}")
    return parse_metrics(body)


@dataclasses.dataclass
class Counters:
    """One reading of an evaluator's own metrics. Dicts are keyed by rule group name.

    rule_evaluations   cumulative rule evaluations (a group of 20 rules adds 20 per iteration)
    group_evaluations  cumulative group iterations, or None if the system only counts rules
                       (the driver then divides rule evaluations by the group's size)
    failures           cumulative failed rule evaluations, summed over groups
    missed             cumulative skipped iterations (an evaluation overran its interval)
    last_duration      group → (timestamp of its last evaluation, its duration in seconds)
    storage_rows       cumulative rows written to its state store, or None (no store)
    storage_transactions  cumulative write transactions, or None
    """
    rule_evaluations: dict
    group_evaluations: dict | None
    failures: float
    missed: float
    last_duration: dict
    storage_rows: float | None = None
    storage_transactions: float | None = None


@dataclasses.dataclass
class ActiveAlerts:
    """How many rules have at least one pending/firing alert, and how many alerts there are."""
    rules_firing: int
    rules_pending: int
    alerts_firing: int
    alerts_pending: int


class SystemUnderTest:
    """An evaluator process. Subclasses set `name` and implement start/ready/counters/alerts.

    Lifecycle: start() → ready() polled until true → counters() any number of times → stop().
    stop() must be safe to call at any point, also after a failed start()."""
    name = "?"

    def __init__(self, binary):
        self.binary = binary
        self.process = None  # a harness.ManagedProcess once started

    @property
    def pid(self):
        return self.process.proc.pid

    def start(self, workdir, rule_file, datasource_url, interval):
        """Starts the evaluator on 127.0.0.1 with `rule_file`, querying `datasource_url`
        every `interval` (a Prometheus duration string such as "5s")."""
        raise NotImplementedError

    def ready(self):
        """True once every group has been evaluated at least once."""
        raise NotImplementedError

    def counters(self):
        raise NotImplementedError

    def alerts(self):
        raise NotImplementedError

    def running(self):
        return self.process is not None and self.process.running()

    def stop(self):
        if self.process is not None:
            self.process.close()

    def log_tail(self):
        return self.process.log_tail() if self.process else f"({self.name} was not started)"

    def _start_on_free_port(self, workdir, make_args, attempts=3):
        """Starts make_args(port) on a free port, retrying if another process wins the race."""
        for _ in range(attempts):
            self.port = harness.free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.process = harness.ManagedProcess(
                self.name, make_args(self.port), os.path.join(workdir, f"{self.name}.log"))
            try:
                harness.wait_until(lambda: self.running() and harness.http(
                    "GET", self.url + "/-/healthy", timeout=2)[0] == 200, timeout=30,
                    what=f"{self.name} /-/healthy")
                return
            except AssertionError:
                lost_race = "address already in use" in self.process.log_tail().lower()
                self.process.close()
                if not lost_race:
                    raise AssertionError(f"{self.name} did not start\n{self.process.log_tail()}")
        raise AssertionError(f"{self.name}: no free port after {attempts} attempts")


class HeraldRunner(SystemUnderTest):
    """`herald run` with a minimal herald.yml: one datasource, the rule file, no receivers."""
    name = "herald"

    def __init__(self, binary, workers=None):
        super().__init__(binary)
        self.workers = workers

    def start(self, workdir, rule_file, datasource_url, interval):
        config = os.path.join(workdir, "herald.yml")
        with open(config, "w") as f:
            f.write(f"global: {{evaluation_interval: {interval}}}\n"
                    f"datasources: [{{name: prometheus, url: {json.dumps(datasource_url)}}}]\n"
                    f"rule_files: [{json.dumps(os.path.abspath(rule_file))}]\n")
        extra = [f"--evaluation.workers={self.workers}"] if self.workers else []
        self._start_on_free_port(workdir, lambda port: [
            self.binary, "run", f"--config.file={config}",
            f"--storage.path={os.path.join(workdir, 'herald.db')}",
            f"--web.listen-address=127.0.0.1:{port}", "--log.format=json"] + extra)

    def ready(self):
        return harness.http("GET", self.url + "/-/ready", timeout=2)[0] == 200

    def counters(self):
        m = scrape(self.url + "/metrics")

        def by_group(name):  # herald's rule_group label is "<file>;<group>", as Prometheus's
            return {lab["rule_group"].rpartition(";")[2]: v for lab, v in m.get(name, [])}

        last_ts = by_group("herald_rule_group_last_evaluation_timestamp_seconds")
        return Counters(
            rule_evaluations=by_group("herald_rule_evaluations_total"),
            group_evaluations=None,  # herald counts rules per group, not iterations
            failures=sum(by_group("herald_rule_evaluation_failures_total").values()),
            missed=sum(by_group("herald_rule_group_iterations_missed_total").values()),
            last_duration={g: (last_ts.get(g), d) for g, d in
                           by_group("herald_rule_group_last_duration_seconds").items()},
            storage_rows=sum(v for _, v in m.get("herald_storage_rows_written_total", [])),
            storage_transactions=sum(
                v for _, v in m.get("herald_storage_transactions_total", [])))

    def alerts(self):
        return alerts_from_rules_api(harness.get_json(self.url + "/api/v1/rules", timeout=30))


def alerts_from_rules_api(doc):
    """ActiveAlerts from a Prometheus-compatible /api/v1/rules answer."""
    a = ActiveAlerts(0, 0, 0, 0)
    for group in doc["data"]["groups"]:
        for rule in group["rules"]:
            # A rule without an `alerts` list (vmalert 1.79) still reports its own state; its
            # alert counts are then rule counts.
            states = [x.get("state") for x in rule.get("alerts") or []] or [rule.get("state")]
            a.alerts_firing += states.count("firing")
            a.alerts_pending += states.count("pending")
            if "firing" in states:
                a.rules_firing += 1
            elif "pending" in states:
                a.rules_pending += 1
    return a


class VmalertRunner(SystemUnderTest):
    """TODO(benchmarks issue): vmalert, for the herald-vs-vmalert comparison.

    Checked on Debian 12 (unpacked in a scratch dir, not installed): package `victoria-metrics`
    1.79.5 ships /usr/bin/vmalert. Install it for the comparison; it is deliberately not in
    scripts/setup. What 1.79.5 does, and so how to finish this runner:
      start():    self._start_on_free_port(workdir, lambda port: [self.binary,
                    f"-rule={rule_file}", f"-datasource.url={datasource_url}",
                    f"-evaluationInterval={interval}", f"-httpListenAddr=127.0.0.1:{port}",
                    "-notifier.url=http://127.0.0.1:9/"])
                  It refuses to start alerting rules without -notifier.url and has no
                  -notifier.blackhole yet; the closed port makes sends fail fast (check that
                  this does not skew its CPU, or point it at a tiny sink). /-/healthy exists.
      ready():    /-/ready answers 200 before any evaluation, so instead: every group in
                  /api/v1/rules has a lastEvaluation after the start (the field exists).
      counters(): from /metrics (labels {group, file}; parse_metrics handles its spacing):
                  group_evaluations = vmalert_iteration_total{group}; rule_evaluations per
                  group = that × the group's size (vmalert_execution_total is global);
                  failures = vmalert_execution_errors_total; missed =
                  vmalert_iteration_missed_total; last_duration: the group's lastEvaluation
                  and the sum of its rules' evaluationTime from /api/v1/rules (its summary
                  vmalert_iteration_duration_seconds{quantile} is not a last value).
      alerts():   rules in 1.79's /api/v1/rules carry a `state` but no `alerts` list —
                  alerts_from_rules_api then counts rules by state; count alerts from
                  /api/v1/alerts.
    Then add it to SYSTEMS below; `bench/run --systems herald,vmalert` runs both against the
    same exporter and Prometheus, one after the other, and prints one column per system."""
    name = "vmalert"

    def start(self, workdir, rule_file, datasource_url, interval):
        raise NotImplementedError("vmalert runner is a stub: see VmalertRunner's docstring")


def make_system(name, herald_binary, workers=None):
    """The SystemUnderTest called `name` (one of SYSTEMS)."""
    if name == "herald":
        return HeraldRunner(herald_binary, workers=workers)
    if name == "vmalert":
        return VmalertRunner(shutil.which("vmalert") or "vmalert")
    raise ValueError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")


SYSTEMS = ("herald", "vmalert")  # vmalert: a stub until the benchmarks issue
