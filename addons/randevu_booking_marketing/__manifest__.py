{
    "name": "Randevu Booking Marketing Consent",
    "summary": "Marketing consent boxes on the website booking form, recorded with their proof",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_booking", "randevu_marketing"],
    "data": ["views/randevu_booking_templates.xml"],
    "assets": {
        "web.assets_tests": ["randevu_booking_marketing/static/tests/tours/**/*"],
    },
    "installable": True,
    "auto_install": True,
}
