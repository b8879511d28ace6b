{
    "name": "Randevu Online Booking",
    "summary": "Book appointments on the website without an account; customer portal",
    "version": "18.0.1.0.0",
    "category": "Services/Appointment",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_calendar", "website", "portal"],
    "external_dependencies": {"python": ["phonenumbers", "qrcode"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "data/website_menu_data.xml",
        "views/res_company_views.xml",
        "views/randevu_booking_templates.xml",
        "views/randevu_portal_templates.xml",
        "views/snippets/s_randevu_booking.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "randevu_booking/static/src/booking/**/*",
            "randevu_booking/static/src/snippets/s_randevu_booking/000.js",
        ],
        "website.assets_wysiwyg": ["randevu_booking/static/src/snippets/s_randevu_booking/options.js"],
        "web.assets_tests": ["randevu_booking/static/tests/tours/**/*"],
    },
    "installable": True,
}
