from odoo import api, models, tools


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    def _randevu_essential_root_menus(self):
        """XML ids of the apps every Randevu user keeps (extend to add one): Randevu,
        Discuss, the calendar their appointments are synced to, and Time Off."""
        return [
            "randevu_calendar.randevu_menu_root",
            "mail.menu_root_discuss",
            "calendar.mail_menu_calendar",
            "hr_holidays.menu_hr_holidays_root",
        ]

    @api.model
    @tools.ormcache("frozenset(self.env.user.groups_id.ids)", "debug", "self.env.user._randevu_works_as_staff()")
    def _visible_menu_ids(self, debug=False):
        """Randevu staff and receptionists (not managers, not administrators) see only the
        apps they need: the essential ones, and those whose menu asks for a group they hold
        beyond what every employee and every Randevu user has (a receptionist who is also
        a salesman keeps Sales). Apps, Website, Employees, Dashboards... are hidden.

        "My Day" is shown only to users who take appointments (a bookable employee of
        theirs): a stylist, or an owner who also works in a chair; not to a receptionist
        or a manager who never does."""
        visible = super()._visible_menu_ids(debug)
        user = self.env.user
        if not user._randevu_works_as_staff():
            my_day = self.env["ir.model.data"]._xmlid_to_res_id(
                "randevu_calendar.randevu_my_day_menu", raise_if_not_found=False
            )
            visible = set(visible) - {my_day}  # a copy: super's result is cached
        if not user._randevu_is_restricted():
            return visible
        Groups = self.env["res.groups"]
        generic = Groups
        for xmlid in ("base.group_user", "randevu_calendar.group_randevu_user"):
            group = self.env.ref(xmlid)
            generic |= group | group.trans_implied_ids
        app_groups = set(user.groups_id.ids) - set(generic.ids)
        essential = {
            menu_id
            for xmlid in self._randevu_essential_root_menus()
            if (menu_id := self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=False))
        }
        # Menus are technical data every user may list; sudo to read their groups whatever the user's rights.
        roots_sudo = (
            self.sudo()
            .with_context(**{"ir.ui.menu.full_list": True})
            .browse(visible)
            .filtered(lambda menu: not menu.parent_id)
        )
        hidden_sudo = roots_sudo.filtered(
            lambda menu: menu.id not in essential and app_groups.isdisjoint(menu.groups_id.ids)
        )
        if not hidden_sudo:
            return visible
        hidden_tree_sudo = roots_sudo.search([("id", "child_of", hidden_sudo.ids)])  # the hidden apps' submenus
        return set(visible) - set(hidden_tree_sudo.ids)
