import hashlib

from odoo import api, fields, models


class RandevuCustomerKey(models.Model):
    """One row per normalised phone number or email address customers were looked up
    by (a 32-bit hash of it: no personal data), locked while a customer is found or
    created for it (`res.partner._randevu_find_or_create`).

    Why rows and not an advisory lock: Odoo's transactions are REPEATABLE READ, and
    their snapshot is taken at their first query, long before the lookup. A lock
    makes the second of two simultaneous first bookings wait, but once the first
    commits, the second still does not see the customer it created, and creates
    another. A row tells it: PostgreSQL refuses to lock (or insert over) a row that a
    transaction committed after the snapshot was taken, with a serialization failure,
    and Odoo's request loop (`odoo.service.model.retrying`) runs the request again on
    a new snapshot, where the customer is found. A hash collision only serialises two
    lookups that did not need it.
    """

    _name = "randevu.customer.key"
    _description = "Customer Lookup Key"
    _log_access = False

    key = fields.Integer(required=True, readonly=True, help="32-bit hash of 'phone:<E.164>' or 'email:<normalised>'.")
    version = fields.Integer(
        default=0, readonly=True, help="Bumped by each transaction that creates a customer with this key."
    )

    _sql_constraints = [("key_unique", "UNIQUE(key)", "A lookup key is recorded once.")]

    @api.model
    def _hash(self, value):
        return int.from_bytes(hashlib.sha256(value.encode()).digest()[:4], "big", signed=True)

    @api.model
    def _lock(self, values):
        """Lock the rows of `values` (strings) until the end of the transaction, in one
        order (no deadlock between two lookups by the same phone and email); rows are
        created when missing. Raises psycopg2's SerializationFailure when another
        transaction created a customer with one of them after this one's snapshot:
        the request is then run again."""
        hashes = sorted({self._hash(value) for value in values})
        if not hashes:
            return hashes
        self.flush_model()
        # A row inserted by a transaction committed after our snapshot: serialization failure.
        # Expected under simultaneous bookings and retried by Odoo: not logged as a bad query.
        self.env.cr.execute(
            """INSERT INTO randevu_customer_key (key, version)
                    SELECT key, 0 FROM unnest(%s::int[]) AS key ORDER BY key
               ON CONFLICT (key) DO NOTHING""",
            [hashes],
            log_exceptions=False,
        )
        # A row updated (a customer created) after our snapshot: serialization failure.
        self.env.cr.execute(
            "SELECT id FROM randevu_customer_key WHERE key = ANY(%s) ORDER BY key FOR UPDATE",
            [hashes],
            log_exceptions=False,
        )
        return hashes

    @api.model
    def _mark_created(self, hashes):
        """Record that this transaction creates a customer with these (locked) keys:
        transactions waiting for them, or started before this one commits, retry."""
        if hashes:
            self.env.cr.execute("UPDATE randevu_customer_key SET version = version + 1 WHERE key = ANY(%s)", [hashes])
