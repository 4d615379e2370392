"""The reliability suite's own yardstick: reliability.Comparison on hand-made notifications, so a
loss is never excused as a flap and a flap the victim could not see never fails the kills test."""

import unittest

from reliability import Comparison, Note, unseen_flaps

GROUP = (("alertname", "HighErrorRate"), ("model", "llama3-8b"))
FP = "0123456789abcdef"


def note(kind, decided, at=None, integration="webhook"):
    firing, resolved = ((FP,), ()) if kind == "F" else ((), (FP,))
    return Note(integration, GROUP, firing, resolved, decided + 0.5 if at is None else at,
                decided)


# The reference resolved at 100 (a one-evaluation dip) and fired again at 106.
REFERENCE = [note("F", 90), note("R", 100), note("F", 106), note("R", 130)]
VICTIM_MISSED_DIP = [note("F", 90), note("R", 130)]


class ComparisonTest(unittest.TestCase):
    def test_identical_sequences_agree(self):
        c = Comparison("webhook", REFERENCE, REFERENCE)
        self.assertTrue(c.caught_up(), c.describe())
        self.assertEqual((c.duplicate_count, c.flaps_unseen), (0, 0))

    def test_a_flap_decided_while_the_victim_was_down_is_excused_and_counted(self):
        unseen = unseen_flaps(REFERENCE, [(99.0, 101.0)])
        self.assertEqual(unseen, {GROUP: {1}})
        c = Comparison("webhook", REFERENCE, VICTIM_MISSED_DIP, unseen)
        self.assertTrue(c.caught_up(), c.describe())
        self.assertEqual(c.flaps_unseen, 1)

    def test_a_fire_then_resolve_at_a_missed_evaluation_is_excused(self):
        reference = [note("F", 90), note("R", 95)]
        c = Comparison("webhook", reference, [], unseen_flaps(reference, [(89.5, 91.0)]))
        self.assertTrue(c.caught_up(), c.describe())
        self.assertEqual(c.flaps_unseen, 1)

    def test_the_same_gap_is_a_loss_when_the_victim_was_up(self):
        unseen = unseen_flaps(REFERENCE, [(110.0, 112.0)])
        self.assertEqual(unseen, {})
        c = Comparison("webhook", REFERENCE, VICTIM_MISSED_DIP, unseen)
        self.assertFalse(c.caught_up())
        self.assertEqual(len(c.lost), 2)

    def test_a_lost_last_resolve_is_never_excused(self):
        unseen = unseen_flaps(REFERENCE, [(129.0, 131.0)])
        c = Comparison("webhook", REFERENCE, REFERENCE[:3], unseen)
        self.assertEqual(c.lost, [(GROUP, ((), (FP,)))])
        self.assertEqual(c.flaps_unseen, 0)

    def test_an_excused_flap_that_the_victim_did_see_is_not_dropped(self):
        unseen = unseen_flaps(REFERENCE, [(99.0, 101.0)])
        c = Comparison("webhook", REFERENCE, REFERENCE, unseen)
        self.assertTrue(c.caught_up())
        self.assertEqual(c.flaps_unseen, 0)

    def test_duplicates_are_counted_around_an_excused_flap(self):
        got = [note("F", 90), note("F", 90, at=92.0), note("R", 130)]
        c = Comparison("webhook", REFERENCE, got, unseen_flaps(REFERENCE, [(99.0, 101.0)]))
        self.assertTrue(c.caught_up(), c.describe())
        self.assertEqual((c.duplicate_count, c.flaps_unseen), (1, 1))
        self.assertEqual(c.unexplained_duplicates([(91.0, 91.5)]), [])
        self.assertEqual(len(c.unexplained_duplicates([(95.0, 96.0)])), 1)

    def test_three_copies_need_two_kills(self):
        got = [note("F", 90), note("F", 90, at=92.0), note("F", 90, at=94.0), note("R", 130),
               note("F", 106, at=107.0), note("R", 130, at=131.0)]
        reference = [note("F", 90), note("R", 130)]
        c = Comparison("webhook", reference + [], got[:4])
        self.assertEqual(c.duplicate_count, 2)
        self.assertEqual(len(c.unexplained_duplicates([(91.0, 91.5)])), 1, "one kill, two copies")
        self.assertEqual(c.unexplained_duplicates([(91.0, 91.5), (93.0, 93.5)]), [])
        self.assertEqual(c.most_from_one_kill([(91.0, 91.5), (93.0, 93.5)]), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
