{
    "name": "Randevu Marketing",
    "summary": "Marketing consent per channel with its proof, double opt-in, one-click withdrawal, "
    "consent checked when mailings are sent, export for the consent register (IYS), "
    "bookings and revenue attributed to campaigns (utm)",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_calendar", "utm", "mass_mailing", "mass_mailing_sms", "phone_validation"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/randevu_marketing_security.xml",
        "views/randevu_consent_views.xml",
        "views/randevu_consent_export_views.xml",
        "views/randevu_consent_record_views.xml",
        "views/res_partner_views.xml",
        "views/randevu_segment_views.xml",
        "views/mailing_mailing_views.xml",
        "views/res_company_views.xml",
        "views/randevu_marketing_menus.xml",
        "views/randevu_appointment_views.xml",
        "views/utm_campaign_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/randevu_consent_demo.xml",
        "demo/randevu_segment_demo.xml",
    ],
    "assets": {"web.assets_tests": ["randevu_marketing/static/tests/tours/**/*"]},
    "installable": True,
}
