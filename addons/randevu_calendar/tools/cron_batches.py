"""The one batch-and-commit loop of Randevu's crons.

Every cron works in batches, reports its progress to the cron runner
(`ir.cron._notify_progress`) and, in a cron worker, commits each batch, so that a
run cut short (timeout, crash, deploy) keeps what it did and the next run goes on
from there. Committing is safe because each unit is idempotent: what a batch
handled leaves the cron's search, so a batch is never done twice.

In tests, nothing is committed (the test's transaction must stay whole, as Odoo's
own `account.move.send` does): each batch runs in a savepoint instead, so that an
error undoes that batch only, as a crash would outside tests.

Two shapes:

- `run_batches(env, ids, process, ...)`: the work is known up front (a list of
  ids); a batch that fails is rolled back, then its records are tried one by one,
  and a record that fails alone is logged and left for the next run: one bad
  record never holds back the others.
- `run_steps(env, steps, ...)`: each step selects its own next batch from what is
  due (`step(size) -> (handled, more)`); a batch that fails is rolled back and the
  error stops the run (the same batch would be selected again), the batches before
  it are kept.

A serialization failure (another worker took the same rows) rolls the batch back
and retries it on a fresh snapshot, up to MAX_RETRIES times.
"""

import logging
import threading

from odoo import modules
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# How many times a batch that lost a race with another worker is tried again.
MAX_RETRIES = 5


def commits_allowed(auto_commit=None):
    """Whether to commit each batch: `auto_commit` when given (a test that plays a
    cron worker on its own cursor), else only outside tests.

    A test is known by Odoo's `current_test` or by the test runner's thread (`testing`,
    set by `odoo.tests.loader.run_suite`): Odoo's own mail test helpers
    (`mock_smtplib_connection`, under mass_mailing's and mail's test mixins) patch
    `current_test` to False while they run, so that flag alone let a test commit."""
    if auto_commit is None:
        return not (modules.module.current_test or getattr(threading.current_thread(), "testing", False))
    return auto_commit


def _run_unit(env, work, auto_commit):
    """work() as one unit, rolled back as a whole when it fails (the savepoint in
    tests, the uncommitted transaction outside them); retried on a serialization
    failure outside tests. Returns what work() returns; commits nothing."""
    retries = 0
    while True:
        try:
            if auto_commit:
                result = work()
                # Written here, not at the commit: a row another transaction changed
                # meanwhile fails now, inside the unit, and the unit is tried again.
                env.flush_all()
                return result
            with env.cr.savepoint():
                return work()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            if not auto_commit or retries >= MAX_RETRIES:
                raise
            retries += 1
            env.cr.rollback()


def _commit(env, auto_commit):
    if auto_commit:
        # Safe: a batch is complete in itself and idempotent (see the module's docstring);
        # a run stopped after this commit resumes with the next batch and redoes nothing.
        env.cr.commit()  # pylint: disable=invalid-commit


def run_unit(env, work, on_error, auto_commit=None):
    """work() as one unit of its own: committed alone (a savepoint in tests); when it
    fails it is undone and `on_error(error)` records why (a retry date, a failed
    state), which is committed in its place. For crons whose units are not plain ids
    (a branch and a day, say) and whose failures are kept on their queue rows."""
    auto_commit = commits_allowed(auto_commit)
    try:
        _run_unit(env, work, auto_commit)
    except Exception as error:  # one unit must never block the others: recorded, not raised
        if auto_commit:
            env.cr.rollback()
        on_error(error)
    _commit(env, auto_commit)


def lock_due(env, table, now, limit, log_exceptions=True):
    """Ids of the next `limit` rows of the queue `table` (``state`` 'queued', due from
    ``next_try``) due at `now`, oldest first, locked for this transaction: rows another
    worker holds are skipped, so that workers running at once share the queue out."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            SELECT id FROM %(table)s
             WHERE state = 'queued' AND next_try <= %(now)s
             ORDER BY next_try, id
             LIMIT %(limit)s
               FOR UPDATE SKIP LOCKED
            """,
            table=SQL.identifier(table),
            now=now,
            limit=limit,
        ),
        log_exceptions=log_exceptions,
    )
    return [row[0] for row in env.cr.fetchall()]


def run_batches(env, ids, process, batch_size=200, total=None, auto_commit=None, name="cron"):
    """Call `process(ids)` on `ids` in batches of `batch_size`, each batch one unit.

    :param ids: the ids to handle in this run (already cut to the run's limit)
    :param total: how many are due in all (default: len(ids)), for the progress report
    :param name: what the log calls this work
    :return: how many ids were handled without error
    """
    auto_commit = commits_allowed(auto_commit)
    ids = list(ids)
    total = len(ids) if total is None else total
    done = handled = 0
    for batch_ids in split_every(batch_size, ids):
        try:
            _run_unit(env, lambda batch_ids=batch_ids: process(batch_ids), auto_commit)
            handled += len(batch_ids)
        except Exception:
            if auto_commit:
                env.cr.rollback()
            _logger.exception("%s: a batch of %s failed and was undone; trying its records one by one", name, batch_ids)
            for record_id in batch_ids:
                try:
                    _run_unit(env, lambda record_id=record_id: process([record_id]), auto_commit)
                    handled += 1
                except Exception:
                    if auto_commit:
                        env.cr.rollback()
                    _logger.exception("%s: record %s failed, left for the next run", name, record_id)
                    continue
                _commit(env, auto_commit)
        done += len(batch_ids)
        env["ir.cron"]._notify_progress(done=done, remaining=total - done)
        _commit(env, auto_commit)
    return handled


def run_steps(env, steps, batch_size=500, limit=None, auto_commit=None):
    """Run each step (a callable(size) -> (handled, more)) batch after batch until it
    has nothing more, at most `limit` handled in all; each batch is one unit.

    :return: how many were handled
    :raise: the error of a failing batch, once that batch is undone
    """
    auto_commit = commits_allowed(auto_commit)
    done = 0
    for step in steps:
        while limit is None or done < limit:
            size = batch_size if limit is None else min(batch_size, limit - done)
            handled, more = _run_unit(env, lambda step=step, size=size: step(size), auto_commit)
            done += handled
            env["ir.cron"]._notify_progress(done=done, remaining=size if more else 0)
            _commit(env, auto_commit)
            if not more:
                break
        if limit is not None and done >= limit:
            # Let ir.cron run us again right away for the rest.
            env["ir.cron"]._notify_progress(done=done, remaining=1)
            break
    return done
