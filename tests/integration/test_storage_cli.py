"""`herald run` and its SQLite file, without a Prometheus: a corrupt database stops start-up with
a message naming it; --storage.move-corrupt-aside moves it aside and starts empty; a database
locked by another process makes evaluations fail visibly and retry, losing nothing; a clean stop
exits 0 and the next start reads the same file."""
import glob
import os
import sqlite3

from harness import IntegrationTestCase, ManagedProcess, free_port, herald_bin, wait_until


class StorageCliTest(IntegrationTestCase):
    def herald(self, **kwargs):
        # A datasource nobody listens on, queried by one rule: its failures are what
        # HeraldDatasourceUnreachable reports.
        rules = os.path.join(self.tmp, "rules.yml")
        with open(rules, "w") as f:
            f.write("groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: up\n")
        return self.start_herald(f"http://127.0.0.1:{free_port()}", [rules], **kwargs)

    def test_corrupt_database_is_refused_then_moved_aside_on_request(self):
        db = os.path.join(self.tmp, "herald.db")
        with open(db, "wb") as f:
            f.write(os.urandom(8192))
        config = os.path.join(self.tmp, "herald.yml")
        with open(config, "w") as f:
            f.write(f"datasources: [{{name: p, url: 'http://127.0.0.1:{free_port()}'}}]\n")
        refused = ManagedProcess(
            "refused", [herald_bin(), "run", f"--config.file={config}", f"--storage.path={db}",
                        "--web.listen-address=127.0.0.1:0"],
            os.path.join(self.tmp, "refused.log"))
        self.track(refused)
        wait_until(lambda: not refused.running(), what="herald to refuse the corrupt database")
        self.assertEqual(refused.proc.returncode, 1)
        log = refused.log_tail()
        self.assertIn(db, log)
        self.assertIn("--storage.move-corrupt-aside", log)
        with open(db, "rb") as f:
            self.assertEqual(len(f.read()), 8192, "a refused file is left untouched")

        herald = self.herald(storage_path=db, extra_args=["--storage.move-corrupt-aside"])
        moved = glob.glob(db + ".corrupt-*")
        self.assertEqual(len(moved), 1, moved)
        self.assertEqual(os.path.getsize(moved[0]), 8192)
        self.assertTrue(herald.log_lines(
            "corrupt database moved aside; starting with empty state"))
        self.assertEqual(herald.alerts(), [])

    def test_clean_stop_then_restart_reads_the_same_file(self):
        herald = self.herald()
        wait_until(lambda: herald.history(alertname="HeraldDatasourceUnreachable") is not None,
                   what="history API")
        self.assertEqual(herald.stop(), 0)
        herald.start()
        restored = herald.log_lines("restored alerts", current_run=True)
        self.assertEqual(len(restored), 1)
        self.assertNotEqual(restored[0]["downtime"], "unknown")  # the heartbeat of the first run

    def test_locked_database_fails_evaluations_visibly_and_they_retry(self):
        # The meta-alert HeraldDatasourceUnreachable needs writes: it goes pending, then firing.
        herald = self.herald(unreachable_after="1s")
        lock = sqlite3.connect(herald.storage_path, timeout=30, isolation_level=None)
        self.addCleanup(lock.close)
        lock.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        meta = "HeraldDatasourceUnreachable"

        def failing():
            if herald.metric("herald_storage_write_failures_total") < 1:
                return None
            rule = herald.group("herald")["rules"][0]
            return rule if rule["health"] == "err" else None

        # herald waits out its busy timeout (5 s) before a write fails.
        rule = wait_until(failing, timeout=60, what="a failed write reported")
        self.assertTrue(rule["lastError"].startswith("storage: "), rule["lastError"])
        self.assertIn("locked", rule["lastError"])
        self.assertEqual(herald.alerts(), [], "nothing that is not on disk is shown as happened")
        self.assertTrue(herald.log_lines(
            "alert state not persisted; evaluation discarded, will retry"))

        lock.execute("ROLLBACK")
        alert = wait_until(lambda: [a for a in herald.alerts() if a["state"] == "firing"],
                           timeout=60, what=f"{meta} firing once the lock is gone")[0]
        self.assertEqual(alert["labels"]["alertname"], meta)
        self.assertEqual(herald.group("herald")["rules"][0]["health"], "ok")
        states = [(t["from"], t["to"]) for t in herald.history(alertname=meta)]
        self.assertEqual(states, [("inactive", "pending"), ("pending", "firing")])
