"""The harness's pure helpers: test-sized rule files and polling."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import make_test_sized_rules, wait_until  # noqa: E402


class MakeTestSizedRulesTest(unittest.TestCase):

    def convert(self, text, **kwargs):
        with tempfile.TemporaryDirectory() as d:
            src, dst = os.path.join(d, "in.yml"), os.path.join(d, "out.yml")
            with open(src, "w") as f:
                f.write(text)
            make_test_sized_rules(src, dst, **kwargs)
            with open(dst) as f:
                return f.read()

    def test_shortens_windows_and_fors_only(self):
        out = self.convert("expr: rate(x[5m]) > 0 # see [docs]\nfor: 2m\nkeep: 5m\n")
        self.assertEqual(out, "expr: rate(x[20s]) > 0 # see [docs]\nfor: 4s\nkeep: 5m\n")

    def test_unmapped_duration_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "1h30m"):
            self.convert("expr: rate(x[1h30m])\n")

    def test_custom_mapping(self):
        out = self.convert("expr: rate(x[5m])\nfor: 5m\n", windows={"5m": "1m"}, fors={"5m": "10s"})
        self.assertEqual(out, "expr: rate(x[1m])\nfor: 10s\n")


class WaitUntilTest(unittest.TestCase):

    def test_returns_the_first_truthy_value(self):
        calls = iter([0, None, "done"])
        self.assertEqual(wait_until(lambda: next(calls), timeout=5, interval=0.01), "done")

    def test_times_out_naming_what_it_waited_for(self):
        with self.assertRaisesRegex(AssertionError, "the moon"):
            wait_until(lambda: False, timeout=0.05, interval=0.01, what="the moon")


if __name__ == "__main__":
    unittest.main(verbosity=2)
