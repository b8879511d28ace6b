import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.randevu_calendar.tools.cron_batches import commits_allowed, lock_due, run_unit

_logger = logging.getLogger(__name__)

# After a failed try: wait this long before the next one; once they are used up, the row fails.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
# Another transaction held what a unit needed: tried again this soon, not counted as an attempt.
CONCURRENCY_DELAY = timedelta(seconds=30)
# Handled rows are kept this long for the record (then cleaned by Odoo's autovacuum).
KEEP_DONE = timedelta(days=7)


class RandevuWaitlistFreed(models.Model):
    """Time freed at a branch on a day with waiting entries: the waitlist's work queue.

    A cancellation, a move or a deletion (randevu.appointment.write/unlink) only writes
    one row per freed time and triggers the cron *Randevu: offer freed time to the
    waitlist* (`_cron_offer_freed`), which makes the offers right after that commit, in
    its own transaction: the change is fast and never fails because an offer could not
    be made. The rows of one branch and day are one unit (the offers of a day are made
    in one pass, nearest to the earliest time freed); a unit that fails is rolled back
    and tried again after `RETRY_DELAYS`, then marked failed and logged, never blocking
    the other units.
    """

    _name = "randevu.waitlist.freed"
    _description = "Waitlist Freed Time"
    _order = "id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", string="Branch", required=True, index=True, readonly=True)
    day = fields.Date(required=True, readonly=True, help="The day the time freed on, in the branch's time zone.")
    start = fields.Datetime(required=True, readonly=True, help="The start of the time freed.")
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done"), ("failed", "Failed")],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    next_try = fields.Datetime(readonly=True, default=fields.Datetime.now, help="Queued rows are handled from then on.")
    attempts = fields.Integer(readonly=True)
    error = fields.Char(readonly=True, help="Why the last try failed.")

    def init(self):
        # The queue: queued rows by due time.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS randevu_waitlist_freed_queued_idx "
            "ON randevu_waitlist_freed (next_try) WHERE state = 'queued'"
        )

    @api.depends("company_id.name", "start")
    def _compute_display_name(self):
        for row in self:
            row.display_name = f"{row.company_id.name} - {row.start}"

    # ------------------------------------------------------------------ queue
    @api.model
    def _randevu_queue(self, freed):
        """Queue the time freed on `freed` ({(branch id, local day): [freed starts]}) for
        the cron, triggered to run once the current transaction commits."""
        rows = [
            {"company_id": branch_id, "day": day, "start": start}
            for (branch_id, day), starts in freed.items()
            for start in starts
        ]
        if not rows:
            return self.browse()
        queued = self.create(rows)
        self._randevu_trigger()
        return queued

    @api.model
    def _randevu_trigger(self, at=None):
        cron = self.env.ref("randevu_booking.ir_cron_randevu_waitlist_offer_freed", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at)

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_offer_freed(self, batch_size=50, limit=None, auto_commit=None):
        """Offer the queued freed time to the waitlist, one unit (branch and day) at a
        time, each in its own transaction (committed per unit outside tests; in tests,
        a savepoint per unit stands in). Idempotent: a unit marks its rows done in the
        transaction of its offers, and an entry is offered once (waiting entries are
        locked and leave the waiting state). Returns the number of rows handled."""
        auto_commit = commits_allowed(auto_commit)
        # Superuser: the cron offers at every branch, whoever runs it.
        Freed = self.sudo()
        done = 0
        while limit is None or done < limit:
            now = fields.Datetime.now()
            size = batch_size if limit is None else min(batch_size, limit - done)
            batch = Freed._randevu_due(now, size)
            if not batch:
                break
            for (branch, day), rows in batch.grouped(lambda row: (row.company_id, row.day)).items():
                rows._randevu_run_unit(branch, day, now, auto_commit)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=size if len(batch) == size else 0)
            if len(batch) < size:
                break
        return done

    @api.model
    def _randevu_due(self, now, size):
        """The next `size` queued rows due at `now`, locked (rows another worker holds
        are skipped)."""
        return self.browse(lock_due(self.env, "randevu_waitlist_freed", now, size))

    def _randevu_run_unit(self, branch, day, now, auto_commit):
        """Make the offers for the time `self` (queued rows of `branch` and `day`) freed,
        in a unit of its own: a failure is undone and recorded on the rows."""
        run_unit(
            self.env,
            lambda: self._randevu_offer(branch, day),
            lambda error: self._randevu_failed(error, now),
            auto_commit,
        )

    def _randevu_offer(self, branch, day):
        self.env["randevu.waitlist"]._randevu_offer_freed({(branch.id, day): self.mapped("start")})
        self.write({"state": "done", "error": False, "next_try": False})
        self.env.flush_all()  # a constraint fails here, inside the unit

    def _randevu_failed(self, error, now):
        """A try of these rows failed with `error`: queue them again after the next
        delay or, once the delays are used up, mark them failed (logged)."""
        if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            # Another transaction (an offer made by hand, a booking) held the day: soon again.
            self.write({"next_try": now + CONCURRENCY_DELAY})
            self._randevu_trigger(now + CONCURRENCY_DELAY)
            return
        attempts = max(self.mapped("attempts")) + 1
        values = {"attempts": attempts, "error": str(error)[:500]}
        if attempts > len(RETRY_DELAYS):
            _logger.error(
                "Randevu: the waitlist offers for the time freed at branch %s on %s failed %s times, given up: %s",
                self.company_id.id,
                self[:1].day,
                attempts,
                error,
            )
            self.write(dict(values, state="failed", next_try=False))
            return
        _logger.warning(
            "Randevu: the waitlist offers for the time freed at branch %s on %s failed (try %s): %s",
            self.company_id.id,
            self[:1].day,
            attempts,
            error,
        )
        next_try = now + RETRY_DELAYS[attempts - 1]
        self.write(dict(values, next_try=next_try))
        self._randevu_trigger(next_try)

    @api.autovacuum
    def _gc_done(self):
        """Forget the rows handled more than a week ago."""
        self.sudo().search([("state", "=", "done"), ("write_date", "<", fields.Datetime.now() - KEEP_DONE)]).unlink()
