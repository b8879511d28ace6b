{
    "name": "Randevu Inbox",
    "summary": "WhatsApp, Instagram and SMS conversations with customers beside their appointments; "
    "WhatsApp reminders; SMS through a gateway of the business's choice",
    "version": "18.0.1.0.0",
    "category": "Services/Appointment",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    # AGPL-3: built on OCA's mail_gateway, mail_gateway_whatsapp and mail_gateway_instagram (AGPL-3).
    "license": "AGPL-3",
    "depends": ["randevu_calendar", "randevu_account", "mail_gateway_whatsapp", "mail_gateway_instagram"],
    "data": [
        "security/ir.model.access.csv",
        "security/randevu_inbox_security.xml",
        "data/ir_cron_data.xml",
        "views/randevu_conversation_views.xml",
        "views/mail_gateway_views.xml",
        "views/res_company_views.xml",
        "views/res_company_llm_views.xml",
        "views/mail_whatsapp_template_views.xml",
        "views/product_template_views.xml",
        "views/randevu_appointment_views.xml",
        "views/randevu_assistant_faq_views.xml",
        "wizards/randevu_send_document_views.xml",
        "views/randevu_inbox_menus.xml",
    ],
    "demo": ["demo/randevu_inbox_demo.xml"],
    "external_dependencies": {"python": ["dateparser", "rapidfuzz", "py3langid"]},
    "assets": {
        "web.assets_tests": ["randevu_inbox/static/tests/tours/**/*"],
    },
    "installable": True,
}
