"""herald's deployment files, offline: the kustomize base and overlays render with kubectl, every
object is valid against the Kubernetes and Prometheus Operator schemas (npm kubernetes-models,
tests/deploy/validate.cjs), and what no schema checks holds: the pod's security context and
probes, the data volume, every file herald.yml names mounted from the ConfigMap or Secret that
holds it, `herald check` accepting the rendered configuration, the ServiceMonitor selecting the
Service, the PrometheusRule passing promtool (and each alert firing in promtool's unit tests),
the Dockerfile built from exactly scripts/setup's packages, and the compose file naming only
files that exist (its herald.yml passing `herald check` as mounted, its prometheus.yml promtool).

Needs kubectl, node with tests/deploy/node_modules (scripts/setup), promtool, and HERALD_BIN.
"""

import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml

ROOT = os.environ.get("HERALD_SOURCE_DIR") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
KUSTOMIZE = os.path.join(ROOT, "deploy", "kubernetes")
TARGETS = ["base", "overlays/single", "overlays/sharded", "overlays/ha"]
HERALD = os.environ.get("HERALD_BIN", "herald")
PROMTOOL = os.environ.get("PROMTOOL_BIN", "promtool")


def render(target):
    out = subprocess.run(["kubectl", "kustomize", os.path.join(KUSTOMIZE, target)],
                         capture_output=True, text=True, check=True)
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def find(objects, kind, name=None):
    found = [o for o in objects if o["kind"] == kind and name in (None, o["metadata"]["name"])]
    if len(found) != 1:
        raise AssertionError(f"{len(found)} {kind} {name or ''}")
    return found[0]


def secret_keys():
    with open(os.path.join(KUSTOMIZE, "secret.example.yaml")) as f:
        return set(yaml.safe_load(f)["stringData"])


def referenced_paths(config):
    """Every path herald.yml names: rule_files globs and the values of *_file / *_dir keys."""
    out = list(config.get("rule_files", []))

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, str) and (k.endswith("_file") or k.endswith("_dir")):
                    out.append(v)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(config)
    return out


def setup_packages():
    with open(os.path.join(ROOT, "scripts", "setup")) as f:
        text = f.read()
    body = re.search(r"^packages=\($(.*?)^\)$", text, re.M | re.S).group(1)
    return [w for line in body.splitlines() for w in line.split("#")[0].split()]


def dockerfile_stages():
    """[(base image, [apt packages], [other instructions])] of deploy/Dockerfile."""
    with open(os.path.join(ROOT, "deploy", "Dockerfile")) as f:
        text = re.sub(r"\\\n", " ", f.read())
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("FROM "):
            stages.append((line.split()[1], [], []))
            continue
        stages[-1][2].append(line)
        m = re.search(r"apt-get install ([^&]*)", line)
        if m:
            stages[-1][1].extend(w for w in m.group(1).split() if not w.startswith("-"))
    return stages


class ManifestsTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.rendered = {t: render(t) for t in TARGETS}

    def test_every_object_is_valid_against_the_schemas(self):
        node_modules = os.path.join(HERE, "node_modules")
        self.assertTrue(os.path.isdir(node_modules), "run scripts/setup (npm ci in tests/deploy)")
        for target, objects in self.rendered.items():
            with self.subTest(target):
                out = subprocess.run(["node", os.path.join(HERE, "validate.cjs")],
                                     input=json.dumps(objects), capture_output=True, text=True)
                self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
                self.assertEqual(out.stdout.count(": valid"), len(objects))

    def test_the_validator_refuses_an_invalid_object(self):
        sts = json.loads(json.dumps(find(self.rendered["base"], "StatefulSet")))
        sts["spec"]["replicas"] = "two"
        out = subprocess.run(["node", os.path.join(HERE, "validate.cjs")],
                             input=json.dumps([sts]), capture_output=True, text=True)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("replicas must be integer", out.stdout)

    def test_pod_security_probes_and_volume(self):
        for target, objects in self.rendered.items():
            with self.subTest(target):
                sts = find(objects, "StatefulSet", "herald")
                pod = sts["spec"]["template"]["spec"]
                c = pod["containers"][0]
                self.assertEqual(pod["securityContext"]["runAsNonRoot"], True)
                self.assertGreater(pod["securityContext"]["runAsUser"], 0)
                self.assertIn("fsGroup", pod["securityContext"])
                self.assertEqual(pod["securityContext"]["seccompProfile"]["type"],
                                 "RuntimeDefault")
                self.assertEqual(pod["automountServiceAccountToken"], False)
                sc = c["securityContext"]
                self.assertEqual((sc["readOnlyRootFilesystem"], sc["allowPrivilegeEscalation"],
                                  sc["capabilities"]["drop"]), (True, False, ["ALL"]))
                self.assertEqual(c["livenessProbe"]["httpGet"]["path"], "/-/healthy")
                self.assertEqual(c["readinessProbe"]["httpGet"]["path"], "/-/ready")
                self.assertEqual(c["startupProbe"]["httpGet"]["path"], "/-/healthy")
                # The drain fits in the grace period.
                timeout = next(a for a in c["args"] if a.startswith("--shutdown.timeout="))
                self.assertLess(int(timeout.split("=")[1].rstrip("s")),
                                pod["terminationGracePeriodSeconds"])
                # The database, and SQLite's temporary files, on the claimed volume.
                claim = sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"]
                data = next(m for m in c["volumeMounts"] if m["name"] == claim)
                storage = next(a for a in c["args"] if a.startswith("--storage.path="))
                self.assertTrue(storage.split("=")[1].startswith(data["mountPath"] + "/"))
                env = {e["name"]: e["value"] for e in c.get("env", [])}
                self.assertEqual(env.get("TMPDIR"), data["mountPath"])
                # Every other mount read-only.
                for m in c["volumeMounts"]:
                    if m["name"] != claim:
                        self.assertTrue(m.get("readOnly"), m)

    def mounted(self, objects):
        """{mountPath: ('configMap', keys) | ('secret', keys)} of the herald container."""
        sts = find(objects, "StatefulSet", "herald")
        pod = sts["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod["volumes"]}
        out = {}
        for m in pod["containers"][0]["volumeMounts"]:
            v = volumes.get(m["name"])
            if v is None:
                continue  # the claimed data volume
            if "configMap" in v:
                cm = find(objects, "ConfigMap", v["configMap"]["name"])
                out[m["mountPath"]] = ("configMap", set(cm["data"]))
            elif "secret" in v:
                self.assertEqual(v["secret"]["secretName"], "herald-secrets")
                out[m["mountPath"]] = ("secret", secret_keys())
        return out

    def config_of(self, objects):
        return yaml.safe_load(find(objects, "ConfigMap", "herald-config")["data"]["herald.yml"])

    def test_every_file_herald_yml_names_is_mounted(self):
        for target, objects in self.rendered.items():
            with self.subTest(target):
                mounts = self.mounted(objects)
                sts = find(objects, "StatefulSet", "herald")
                args = sts["spec"]["template"]["spec"]["containers"][0]["args"]
                config_file = next(a for a in args if a.startswith("--config.file="))
                paths = [config_file.split("=", 1)[1]] + referenced_paths(self.config_of(objects))
                self.assertGreater(len(paths), 4)
                for path in paths:
                    directory, name = os.path.split(path)
                    if path in mounts:  # a directory (runbooks, dashboards)
                        self.assertTrue(mounts[path][1], f"{path} is empty")
                        continue
                    self.assertIn(directory, mounts, f"{path} is not in a mounted volume")
                    kind, keys = mounts[directory]
                    self.assertTrue(fnmatch.filter(keys, name),
                                    f"{path}: no {name} in the {kind} mounted at {directory}")

    def test_herald_check_accepts_each_rendered_config(self):
        for target, objects in self.rendered.items():
            with self.subTest(target), tempfile.TemporaryDirectory() as tmp:
                for mount, (kind, keys) in self.mounted(objects).items():
                    os.makedirs(tmp + mount)
                    for key in keys:
                        if kind == "secret":
                            text = "test-secret-value"
                        else:
                            cm = next(o for o in objects if o["kind"] == "ConfigMap" and
                                      key in o.get("data", {}) and
                                      set(o["data"]) == keys)
                            text = cm["data"][key]
                        with open(os.path.join(tmp + mount, key), "w") as f:
                            f.write(text.replace("/etc/herald/", tmp + "/etc/herald/"))
                config = glob.glob(tmp + "/etc/herald/config/herald.yml")[0]
                out = subprocess.run([HERALD, "check", "config", f"--config.file={config}"],
                                     capture_output=True, text=True)
                self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_the_servicemonitor_selects_the_service_port(self):
        for target, objects in self.rendered.items():
            with self.subTest(target):
                svc = find(objects, "Service", "herald")
                sm = find(objects, "ServiceMonitor", "herald")
                labels = svc["metadata"]["labels"]
                for k, v in sm["spec"]["selector"]["matchLabels"].items():
                    self.assertEqual(labels.get(k), v)
                ports = {p["name"] for p in svc["spec"]["ports"]}
                for e in sm["spec"]["endpoints"]:
                    self.assertIn(e["port"], ports)
                    self.assertEqual(e["path"], "/metrics")
                # The Service and PDB select the StatefulSet's pods.
                pod_labels = find(objects, "StatefulSet")["spec"]["template"]["metadata"]["labels"]
                for selector in (svc["spec"]["selector"],
                                 find(objects, "PodDisruptionBudget")["spec"]["selector"][
                                     "matchLabels"]):
                    self.assertLessEqual(selector.items(), pod_labels.items())

    def test_dashboards_are_labelled_for_grafana(self):
        cm = find(self.rendered["base"], "ConfigMap", "herald-dashboards")
        self.assertEqual(cm["metadata"]["labels"]["grafana_dashboard"], "1")
        shipped = sorted(os.listdir(os.path.join(KUSTOMIZE, "base", "dashboards")))
        self.assertEqual(sorted(cm["data"]), shipped)

    def test_overlays(self):
        sharded = find(self.rendered["overlays/sharded"], "StatefulSet")
        args = sharded["spec"]["template"]["spec"]["containers"][0]["args"]
        self.assertIn("--cluster.shard=auto", args)
        self.assertIn(f"--cluster.shards={sharded['spec']['replicas']}", args)
        ha = self.rendered["overlays/ha"]
        self.assertEqual(find(ha, "StatefulSet")["spec"]["replicas"], 2)
        config = self.config_of(ha)
        receivers = config["receivers"]
        # Only forwarding: herald's router must not page on its own beside the cluster's.
        self.assertEqual([sorted(k for k in r if k.endswith("_configs")) for r in receivers],
                         [["alertmanager_configs"]])
        self.assertNotIn("external_labels", config.get("global", {}))

    def test_prometheusrule_passes_promtool_and_each_alert_fires(self):
        rule = find(self.rendered["base"], "PrometheusRule", "herald")
        names = {r["alert"] for g in rule["spec"]["groups"] for r in g["rules"]}
        self.assertEqual(names, {"HeraldDown", "HeraldDatasourceUnreachable",
                                 "HeraldNotificationsFailing", "HeraldRuleEvaluationFailures",
                                 "HeraldConfigReloadFailed", "HeraldOutboxBacklog"})
        runbooks = os.path.join(KUSTOMIZE, "base", "runbooks")
        runbook_cm = set(find(self.rendered["base"], "ConfigMap", "herald-runbooks")["data"])
        for g in rule["spec"]["groups"]:
            for r in g["rules"]:
                self.assertTrue(os.path.exists(os.path.join(runbooks, r["alert"] + ".md")))
                self.assertIn(r["alert"] + ".md", runbook_cm)
                self.assertTrue(r["annotations"]["runbook_url"].endswith("/runbooks/" + r["alert"]))
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "herald-alerts.yml"), "w") as f:
                yaml.safe_dump(rule["spec"], f, sort_keys=False)
            shutil.copy(os.path.join(HERE, "herald-alerts_test.yml"), tmp)
            for args in (["check", "rules", "herald-alerts.yml"],
                         ["test", "rules", "herald-alerts_test.yml"]):
                out = subprocess.run([PROMTOOL] + args, cwd=tmp, capture_output=True, text=True)
                self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            with open(os.path.join(HERE, "herald-alerts_test.yml")) as f:
                tested = {t["alertname"] for case in yaml.safe_load(f)["tests"]
                          for t in case["alert_rule_test"] if t["exp_alerts"]}
            self.assertEqual(tested, names, "an alert no promtool test shows firing")


class DockerfileTest(unittest.TestCase):
    def test_the_build_stage_installs_exactly_scripts_setups_packages(self):
        build = dockerfile_stages()[0]
        self.assertEqual(sorted(build[1]), sorted(setup_packages()))
        self.assertEqual(len(build[1]), len(set(build[1])))

    def test_the_runtime_stage(self):
        stages = dockerfile_stages()
        self.assertEqual(len(stages), 2)
        image, packages, lines = stages[1]
        self.assertTrue(image.startswith("debian:12"))
        self.assertEqual([p for p in packages if p.endswith("-dev")], [])
        self.assertIn("sqlite3", packages)  # deploy/README.md's online backup
        user = [line.split()[1] for line in lines if line.startswith("USER ")]
        self.assertEqual(len(user), 1)
        uid = user[0].split(":")[0]
        self.assertTrue(uid.isdigit() and int(uid) > 0, user)
        self.assertFalse([line for line in lines if line.startswith("HEALTHCHECK")])
        self.assertIn("ENV TMPDIR=/var/lib/herald", lines)

    def test_dockerignore_keeps_build_trees_out(self):
        with open(os.path.join(ROOT, ".dockerignore")) as f:
            ignored = f.read().split()
        for entry in (".git", "build*/"):
            self.assertIn(entry, ignored)


class ComposeTest(unittest.TestCase):
    COMPOSE = os.path.join(ROOT, "deploy", "compose")

    def setUp(self):
        with open(os.path.join(self.COMPOSE, "compose.yaml")) as f:
            self.compose = yaml.safe_load(f)

    def bind_mounts(self, service):
        """[(absolute source, target)] of a service's bind mounts (named volumes skipped)."""
        out = []
        for v in self.compose["services"][service].get("volumes", []):
            source, target = v.split(":")[:2]
            if source.startswith((".", "/")):
                out.append((os.path.normpath(os.path.join(self.COMPOSE, source)), target))
        return out

    def test_every_file_it_names_exists(self):
        mounts = 0
        for name, service in self.compose["services"].items():
            for source, target in self.bind_mounts(name):
                self.assertTrue(os.path.exists(source), f"{name}: {source} -> {target}")
                mounts += 1
            if "build" in service:
                context = os.path.join(self.COMPOSE, service["build"]["context"])
                self.assertTrue(os.path.isfile(os.path.join(context,
                                                            service["build"]["dockerfile"])))
        self.assertGreaterEqual(mounts, 7)
        for path in ("rules/llm-serving.yml", "runbooks", "dashboards"):  # the base's own files
            self.assertIn(os.path.join(KUSTOMIZE, "base", path),
                          [s for s, _ in self.bind_mounts("herald")])

    def test_herald_check_accepts_its_config_as_mounted(self):
        args = self.compose["services"]["herald"]["command"]
        config = next(a for a in args if a.startswith("--config.file=")).split("=", 1)[1]
        with tempfile.TemporaryDirectory() as tmp:
            for source, target in self.bind_mounts("herald"):
                os.makedirs(os.path.dirname(tmp + target), exist_ok=True)
                if os.path.isdir(source):
                    os.symlink(source, tmp + target)
                else:
                    with open(source) as f:
                        text = f.read().replace("/etc/herald/", tmp + "/etc/herald/")
                    with open(tmp + target, "w") as f:
                        f.write(text)
            out = subprocess.run([HERALD, "check", "config", f"--config.file={tmp + config}"],
                                 capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_prometheus_config_is_valid(self):
        source = dict((t, s) for s, t in self.bind_mounts("prometheus"))[
            "/etc/prometheus/prometheus.yml"]
        out = subprocess.run([PROMTOOL, "check", "config", source], capture_output=True,
                             text=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
