{
    "name": "Randevu Point of Sale",
    "summary": "Check out today's appointments at the till: services with the staff member who performed them",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_account", "point_of_sale", "pos_hr"],
    "data": [
        "views/randevu_appointment_views.xml",
        "views/pos_order_views.xml",
        "views/pos_order_refund_views.xml",
        "views/pos_order_line_tip_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "randevu_pos/static/src/**/*",
        ],
        "web.assets_tests": [
            "randevu_pos/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "auto_install": False,
}
