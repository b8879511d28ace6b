from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import RandevuAccountCase


@tagged("post_install", "-at_install")
class TestDeposits(RandevuAccountCase):
    """Deposits without the website: the amount rule, the hold decided before create
    (randevu.appointment._randevu_hold_values, any channel), the transaction that pays
    it, the cron that cancels a hold not paid in time. The booking pages' flow:
    randevu_booking's test_deposits.py."""

    # ------------------------------------------------------------------ amounts
    def test_deposit_amounts_fixed_percent_capped_and_noshow(self):
        day = self.day
        fixed = self.book(self.local(day, 9), service=self.deposit)
        self.assertEqual(fixed.randevu_deposit_amount, 50)
        self.deposit.write({"randevu_deposit_type": "percent", "randevu_deposit_value": 25})
        percent = self.book(self.local(day, 11), service=self.deposit)
        self.assertEqual(percent.randevu_deposit_amount, 30, "25% of 120")
        self.deposit.write({"randevu_deposit_type": "fixed", "randevu_deposit_value": 500})
        capped = self.book(self.local(day, 14), service=self.deposit)
        self.assertEqual(capped.randevu_deposit_amount, 120, "never more than the price")
        none = self.book(self.local(day, 9), service=self.haircut, staff=self.bruno)
        self.assertEqual((none.randevu_deposit_amount, none.randevu_deposit_due), (0, 0))
        noshow = self.book(self.local(day, 11), service=self.haircut, staff=self.bruno, noshow_deposit_required=True)
        self.assertEqual(noshow.randevu_deposit_amount, 40, "no branch amount: the service's price")
        self.branch.randevu_noshow_deposit = 15
        noshow_branch = self.book(
            self.local(day, 14), service=self.haircut, staff=self.bruno, noshow_deposit_required=True
        )
        self.assertEqual(noshow_branch.randevu_deposit_amount, 15, "the branch's no-show deposit")
        self.assertEqual(noshow_branch.randevu_deposit_due, 15)

    # ------------------------------------------------------------------ the hold, before create
    def test_hold_values_decide_the_hold_before_create(self):
        Appointment = self.env["randevu.appointment"]
        now = fields.Datetime.now()
        values = Appointment._randevu_hold_values(self.branch, self.deposit, self.customer, staff=self.anna)
        self.assertEqual(values["state"], "booked")
        self.assertAlmostEqual(values["randevu_hold_until"], now + timedelta(minutes=20), delta=timedelta(minutes=1))
        appointment = self.held()
        self.assertTrue(appointment._randevu_is_held())
        self.assertEqual(appointment.randevu_deposit_due, 50)
        self.assertFalse(self.confirmations(appointment), "not confirmed to the customer before the deposit")
        self.assertTrue(appointment.segment_ids, "the held booking keeps its time")
        # Nothing to hold: no deposit, or a price of 0, or no way to pay online.
        self.assertEqual(Appointment._randevu_hold_values(self.branch, self.haircut, self.customer), {})
        self.assertEqual(
            Appointment._randevu_hold_values(self.branch, self.deposit, self.customer, values={"price": 0.0})["state"],
            "booked",
            "a fixed deposit on a free service is not capped",
        )
        noshow = Appointment._randevu_hold_values(
            self.branch, self.haircut, self.customer, values={"noshow_deposit_required": True}
        )
        self.assertIn("randevu_hold_until", noshow, "the no-show policy's deposit: the service's price")
        not_held = self.held(start=self.local(self.day, 14), service=self.haircut, staff=self.bruno)
        self.assertFalse(not_held._randevu_is_held())
        self.assertTrue(self.confirmations(not_held), "confirmed at once")
        self.provider.state = "disabled"
        self.assertEqual(Appointment._randevu_hold_values(self.branch, self.deposit, self.customer), {})

    def test_paid_hold_is_confirmed_once_and_told_once(self):
        appointment = self.held()
        transaction = self.pay_deposit(appointment)
        self.assert_confirmed_once_paid(appointment, transaction)

    def test_unpaid_hold_is_cancelled_by_the_cron_and_frees_the_time(self):
        appointment = self.held()
        Appointment = self.env["randevu.appointment"]
        cron = self.env.ref("randevu_account.ir_cron_randevu_expired_holds")
        self.assertEqual(cron.code, "model._cron_cancel_expired_holds()")
        self.assertEqual(Appointment._cron_cancel_expired_holds(), 0, "not expired yet")
        with freeze_time(appointment.randevu_hold_until + timedelta(minutes=1)):
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 1)
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 0, "idempotent")
        self.assertRecordValues(appointment, [{"state": "cancelled", "cancel_reason": "Deposit not paid in time"}])
        self.assertFalse(appointment.segment_ids, "the time is free again")
        self.assertFalse(self.confirmations(appointment))

    def test_late_payment_on_a_cancelled_hold_is_kept_for_refund(self):
        appointment = self.held()
        with freeze_time(appointment.randevu_hold_until + timedelta(minutes=1)):
            self.env["randevu.appointment"]._cron_cancel_expired_holds()
        self.pay_deposit(appointment, amount=50)
        self.assertRecordValues(
            appointment, [{"state": "cancelled", "payment_state": "not_paid", "randevu_deposit_paid": 50}]
        )
        self.assertIn("refund", appointment.message_ids[0].body)

    # ------------------------------------------------------------------ the till's deposit lines
    def test_deposit_move_lines_are_the_unreconciled_receivable_of_the_payment(self):
        """What the till (randevu_pos) reconciles at checkout: the receivable journal
        item of each posted payment of a done deposit, until something deducts it;
        whoever does the checkout gets them, even without reading transactions."""
        appointment = self.held()
        self.assertFalse(appointment._randevu_deposit_move_lines(), "nothing paid yet")
        failed = self.deposit_transaction(appointment)
        failed._set_canceled()
        failed._post_process()
        self.assertFalse(appointment._randevu_deposit_move_lines(), "a cancelled payment is no deposit")
        transaction = self.pay_deposit(appointment)
        lines = appointment._randevu_deposit_move_lines()
        self.assertRecordValues(
            lines,
            [
                {
                    "move_id": transaction.payment_id.move_id.id,
                    "partner_id": self.customer.commercial_partner_id.id,
                    "company_id": self.branch.id,
                    "credit": 50,
                    "debit": 0,
                    "reconciled": False,
                    "parent_state": "posted",
                }
            ],
        )
        self.assertEqual(lines.account_id.account_type, "asset_receivable")
        receptionist = self.make_user(
            "till_receptionist", "base.group_user,randevu_calendar.group_randevu_user", self.branch
        )
        as_receptionist = appointment.with_user(receptionist)
        self.assertFalse(
            self.env["payment.transaction"].with_user(receptionist).has_access("read"), "transactions are not hers"
        )
        self.assertEqual(as_receptionist._randevu_deposit_move_lines().ids, lines.ids)
        self.assertEqual(as_receptionist._randevu_deposit_move_lines().env.uid, receptionist.id, "in her environment")
        # Deducted by an invoice: no longer offered to the till.
        self.create_invoice(appointment).action_post()
        self.assertFalse(appointment._randevu_deposit_move_lines())
        self.assertTrue(lines.reconciled)
