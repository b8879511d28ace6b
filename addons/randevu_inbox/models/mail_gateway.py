import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.whatsapp_api import DEFAULT_GRAPH_URL, WhatsAppApiError, WhatsAppCloudApi

_logger = logging.getLogger(__name__)


class MailGateway(models.Model):
    _inherit = "mail.gateway"

    randevu_graph_url = fields.Char(
        string="Graph API URL",
        default=DEFAULT_GRAPH_URL,
        help="Where Randevu's WhatsApp adapter sends its requests (Meta's Graph API).",
    )

    @api.model
    def _randevu_whatsapp_gateway(self, branch):
        """The branch's WhatsApp account (its integrated gateway), or an empty recordset."""
        # sudo: gateways hold the account's token; only our own code reads them here.
        return (
            self.sudo()
            .search(
                [
                    ("gateway_type", "=", "whatsapp"),
                    ("company_id", "=", branch.id),
                    ("integrated_webhook_state", "=", "integrated"),
                ],
                order="id",
                limit=1,
            )
            .with_env(self.env)
        )

    # ------------------------------------------------------------------ template sync
    def button_import_whatsapp_template(self):
        """OCA's *Download Templates*, through our adapter: every page of the account's
        templates, statuses updated, templates removed at Meta marked *Deleted*."""
        self.ensure_one()
        if self.gateway_type != "whatsapp":
            return super().button_import_whatsapp_template()
        try:
            counts = self._randevu_sync_whatsapp_templates()
        except WhatsAppApiError as error:
            raise UserError(
                self.env._("WhatsApp refused to list the templates: %(reason)s", reason=str(error))
            ) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("WhatsApp Templates"),
                "type": "success",
                "message": self.env._(
                    "Templates synchronised: %(created)s new, %(updated)s updated, %(removed)s removed at Meta.",
                    **counts,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _randevu_sync_whatsapp_templates(self):
        """Bring the account's message templates (GET /{waba id}/message_templates, every
        page) into mail.whatsapp.template: new ones created, known ones (by Meta's id, else
        by name and language) updated with their status, category and components (OCA's
        import of one template: {{n}} variables become the template's variables, whose
        fields are chosen here once); those no longer listed are marked *Deleted* (kept
        with their Appointment Message, never sent: only approved templates go out).
        Returns the counts {created, updated, removed}. Raises WhatsAppApiError."""
        self.ensure_one()
        if not self.whatsapp_account_id:
            raise UserError(self.env._("WhatsApp Account is required to import templates."))
        listed = WhatsAppCloudApi(self).list_templates(self.whatsapp_account_id)
        Template = self.env["mail.whatsapp.template"].with_context(active_test=False)
        current = Template.search([("gateway_id", "=", self.id)])
        by_uid = {template.template_uid: template for template in current if template.template_uid}
        by_name = {(template.template_name, template.language): template for template in current}
        languages = {key for key, _label in Template._fields["language"].selection}
        seen = Template.browse()
        created = updated = 0
        for data in listed:
            language = data.get("language")
            if not data.get("id") or not data.get("name") or language not in languages:
                _logger.warning("WhatsApp template skipped (unknown language or no id): %s", data)
                continue
            values = Template._randevu_import_values(self, data)
            template = by_uid.get(data["id"]) or by_name.get((data["name"], language))
            if template:
                # The name the business gave it stays; Meta's fields follow Meta.
                values.pop("name", None)
                template.write(values)
                updated += 1
            else:
                values.setdefault("body", "")
                template = Template.create(values)
                created += 1
            seen |= template
        removed = (current - seen).filtered(lambda template: template.template_uid and template.state != "deleted")
        removed.write({"state": "deleted"})
        return {"created": created, "updated": updated, "removed": len(removed)}

    @api.model
    def _cron_randevu_sync_whatsapp_templates(self):
        """Daily: every WhatsApp account's templates synchronised; an account Meta refuses
        is logged and the others go on."""
        # sudo: the cron reads every branch's accounts (their tokens) for the adapter.
        gateways = self.sudo().search([("gateway_type", "=", "whatsapp"), ("whatsapp_account_id", "!=", False)])
        for gateway in gateways:
            try:
                with self.env.cr.savepoint():
                    gateway._randevu_sync_whatsapp_templates()
            except (WhatsAppApiError, UserError) as error:
                _logger.warning("Randevu: WhatsApp templates of %s not synchronised: %s", gateway.name, error)
        return gateways
