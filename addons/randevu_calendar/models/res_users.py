from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    # The screen each Randevu role lands on, most powerful group first.
    _RANDEVU_HOME_ACTIONS = (
        ("randevu_calendar.group_randevu_manager", "randevu_calendar.randevu_overview_action"),
        ("randevu_calendar.group_randevu_user", "randevu_calendar.randevu_day_planner_action"),
        ("randevu_calendar.group_randevu_staff", "randevu_calendar.randevu_my_day_action"),
    )

    def _randevu_home_action(self):
        """The action the web client opens after login: the user's own Home Action when
        one is set, else the landing screen of their Randevu role (owner overview, Day
        planner, My day), else none (Odoo's first app)."""
        self.ensure_one()
        if self.action_id:
            return self.action_id
        for group, action in self._RANDEVU_HOME_ACTIONS:
            if self.has_group(group):
                return self.env.ref(action, raise_if_not_found=False) or self.env["ir.actions.actions"]
        return self.env["ir.actions.actions"]

    def _randevu_is_restricted(self):
        """Randevu staff and receptionists who do not run the system or Randevu: they see
        only the apps they need (see ir.ui.menu._visible_menu_ids)."""
        self.ensure_one()
        return (
            self.has_group("randevu_calendar.group_randevu_staff")
            and not self.has_group("randevu_calendar.group_randevu_manager")
            and not self.has_group("base.group_system")
        )

    def _randevu_works_as_staff(self):
        """Whether this user takes appointments: one of their employees (in any branch)
        is bookable. Only they are shown "My Day"."""
        self.ensure_one()
        # Superuser: receptionists and staff cannot read employees of every branch (and are
        # not HR officers); only whether one of the user's own is bookable comes out.
        employees_sudo = self.env["hr.employee"].sudo()
        return bool(employees_sudo.search_count([("user_id", "=", self.id), ("randevu_bookable", "=", True)], limit=1))
