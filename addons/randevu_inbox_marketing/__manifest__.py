{
    "name": "Randevu Inbox Marketing Consent",
    "summary": "Marketing consent in the inbox: EVET / STOP replies by SMS and WhatsApp confirm or withdraw it, "
    "the conversation shows the customer's consents and asks for one; WhatsApp campaigns (approved marketing "
    "templates) to consented customers, and WhatsApp as a marketing automation's channel",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    # AGPL-3: randevu_inbox is built on OCA's mail_gateway_* addons (AGPL-3).
    "license": "AGPL-3",
    "depends": ["randevu_inbox", "randevu_marketing"],
    "data": [
        "views/randevu_conversation_views.xml",
        "views/mailing_mailing_views.xml",
        "views/res_company_views.xml",
        "views/randevu_marketing_automation_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
