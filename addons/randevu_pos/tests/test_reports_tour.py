from odoo.tests import HttpCase, tagged

from .common import RandevuPosCase


@tagged("post_install", "-at_install")
class TestReportsTour(HttpCase, RandevuPosCase):
    """In the browser, as the accountant of Salon Paris (no POS or Randevu group): the
    Randevu app's Reporting menu, the revenue pivot with the performer and the
    utilisation pivot of this month."""

    browser_size = "1440x900"

    def test_reports_tour(self):
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(self.cut_appt))
        self.env["pos.order"].with_user(self.desk).sync_from_ui([data])
        # A no-show of Bruno's today: his utilisation line exists whatever the weekday.
        late = self.book(self.local(17), staff=self.bruno, service=self.blow_dry, hours_override=True, price=20)
        late.action_no_show()
        accountant = self.make_user("tour_acc", "base.group_user,randevu_pos.group_randevu_accountant", self.branch)
        self.start_tour("/odoo", "randevu_pos_reports_tour", login=accountant.login)
        lines = self.env["randevu.utilisation.report"].search([("create_uid", "=", accountant.id)])
        self.assertEqual(sum(lines.filtered(lambda line: line.employee_id == self.bruno).mapped("no_show_cost")), 20)
