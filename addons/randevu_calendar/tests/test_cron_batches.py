"""The crons' one batch-and-commit loop (tools/cron_batches.py)."""

import ast
import os
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tools import cron_batches
from odoo.addons.randevu_calendar.tools.cron_batches import run_batches, run_steps


@tagged("post_install", "-at_install")
class TestCronBatches(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create([{"name": f"Batch {index}"} for index in range(5)])

    def setUp(self):
        super().setUp()
        self.progress = []
        patcher = patch.object(
            type(self.env["ir.cron"]),
            "_notify_progress",
            lambda cron, done, remaining, deactivate=False: self.progress.append((done, remaining)),
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def mark(self, ids):
        """The unit of work: each partner handled is marked (a write the rollback must undo)."""
        self.env["res.partner"].browse(ids).write({"ref": "handled"})

    def handled(self):
        self.env.invalidate_all()
        return self.partners.filtered(lambda partner: partner.ref == "handled")

    def test_batches_progress_and_no_commit_in_tests(self):
        calls = []

        def process(ids):
            calls.append(list(ids))
            self.mark(ids)

        with patch.object(self.env.cr, "commit", side_effect=AssertionError("commit in a test")):
            self.assertEqual(run_batches(self.env, self.partners.ids, process, batch_size=2, total=7), 5)
        self.assertEqual(calls, [self.partners.ids[:2], self.partners.ids[2:4], self.partners.ids[4:]])
        self.assertEqual(self.progress, [(2, 5), (4, 3), (5, 2)], "remaining counts what is due beyond this run")
        self.assertEqual(self.handled(), self.partners)

    def test_commit_per_batch_in_a_cron_worker(self):
        with patch.object(self.env.cr, "commit") as commit:
            run_batches(self.env, self.partners.ids, self.mark, batch_size=2, auto_commit=True)
        self.assertEqual(commit.call_count, 3, "one commit per batch")
        self.assertTrue(cron_batches.commits_allowed(True))
        self.assertFalse(cron_batches.commits_allowed(), "never in tests")

    def test_a_failing_record_does_not_hold_back_the_others(self):
        bad = self.partners[3]

        def process(ids):
            self.mark(ids)
            if bad.id in ids:
                raise ValueError("bad record")

        with self.assertLogs("odoo.addons.randevu_calendar.tools.cron_batches", level="ERROR") as logs:
            handled = run_batches(self.env, self.partners.ids, process, batch_size=2, name="Marking")
        self.assertEqual(handled, 4)
        self.assertEqual(self.handled(), self.partners - bad, "its batch mate and the other batches are kept")
        self.assertEqual(len(logs.records), 2, "the batch, then the record alone")
        self.assertIn(f"Marking: record {bad.id} failed", logs.output[1])
        self.assertEqual(self.progress[-1], (5, 0))

    def test_steps_limit_and_progress(self):
        queue = list(self.partners.ids)

        def step(size):
            batch, queue[:] = queue[:size], queue[size:]
            self.mark(batch)
            return len(batch), bool(queue)

        self.assertEqual(run_steps(self.env, [step], batch_size=2, limit=3), 3)
        self.assertEqual(self.progress, [(2, 2), (3, 1), (3, 1)], "the limit asks ir.cron to run again")
        self.progress.clear()
        self.assertEqual(run_steps(self.env, [step, lambda size: (0, False)], batch_size=2), 2)
        self.assertEqual(self.progress, [(2, 0), (2, 0)])
        self.assertEqual(self.handled(), self.partners)

    def test_failing_step_batch_is_undone_and_stops_the_run(self):
        queue = list(self.partners.ids)

        def step(size):
            batch, queue[:] = queue[:size], queue[size:]
            self.mark(batch)
            if len(queue) < 2:
                raise RuntimeError("worker killed")
            return len(batch), bool(queue)

        # Not assertRaises: Odoo's rolls back everything done inside it.
        died = None
        try:
            run_steps(self.env, [step], batch_size=2)
        except RuntimeError as error:
            died = error
        self.assertEqual(str(died), "worker killed")
        self.assertEqual(self.handled(), self.partners[:2], "the first batch kept, the second undone")

    def test_serialization_failure_retried_in_a_worker(self):
        attempts = []

        def step(size):
            attempts.append(size)
            if len(attempts) == 1:
                raise SerializationFailure("another worker took them")
            self.mark(self.partners.ids)
            return 5, False

        with patch.object(self.env.cr, "commit"), patch.object(self.env.cr, "rollback") as rollback:
            self.assertEqual(run_steps(self.env, [step], batch_size=10, auto_commit=True), 5)
        self.assertEqual(len(attempts), 2)
        self.assertEqual(rollback.call_count, 1, "rolled back, then tried again")
        with self.assertRaises(SerializationFailure), self.env.cr.savepoint():
            run_steps(self.env, [lambda size: (_ for _ in ()).throw(SerializationFailure())], batch_size=10)

    def test_only_the_helper_commits(self):
        """No cron of a Randevu addon commits by itself: cr.commit() is called in
        tools/cron_batches.py only."""
        calls = []
        for module in ("randevu_calendar", "randevu_booking"):
            root = get_module_path(module)
            if not root:
                continue
            for folder, _dirs, files in os.walk(root):
                for file_name in files:
                    if not file_name.endswith(".py") or "tests" in folder.split(os.sep):
                        continue
                    path = os.path.join(folder, file_name)
                    with open(path, encoding="utf-8") as source:
                        tree = ast.parse(source.read())
                    calls += [
                        os.path.relpath(path, root)
                        for node in ast.walk(tree)
                        if isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "commit"
                    ]
        self.assertEqual(set(calls), {"tools/cron_batches.py"})
