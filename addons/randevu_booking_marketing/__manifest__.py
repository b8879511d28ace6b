{
    "name": "Randevu Booking Marketing Consent",
    "summary": "Marketing consent boxes on the website booking form, recorded with their proof; "
    "bookings attributed to the campaign of the link or QR code the visitor came by",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_booking", "randevu_marketing", "loyalty"],
    "external_dependencies": {"python": ["qrcode"]},
    "data": [
        "data/utm_data.xml",
        "views/randevu_booking_templates.xml",
        "views/utm_campaign_views.xml",
        "views/loyalty_program_views.xml",
        "views/randevu_appointment_views.xml",
        "views/res_partner_views.xml",
        "views/randevu_marketing_automation_views.xml",
    ],
    "demo": ["demo/randevu_marketing_automation_demo.xml"],
    "assets": {
        "web.assets_frontend": ["randevu_booking_marketing/static/src/**/*"],
        "web.assets_tests": ["randevu_booking_marketing/static/tests/tours/**/*"],
    },
    "installable": True,
    "auto_install": True,
}
