{
    "name": "Randevu Point of Sale",
    "summary": "Check out today's appointments at the till: services with the staff member who performed them",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_account", "point_of_sale", "pos_hr", "pos_loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/randevu_receivable_aging_security.xml",
        "views/randevu_appointment_views.xml",
        "views/pos_order_views.xml",
        "views/pos_payment_method_views.xml",
        "views/randevu_receivable_aging_views.xml",
        "views/res_partner_views.xml",
        "data/loyalty_program_data.xml",
        "security/randevu_commission_security.xml",
        "views/randevu_commission_rule_views.xml",
        "views/randevu_commission_period_views.xml",
        "views/randevu_commission_line_views.xml",
        "views/randevu_commission_menus.xml",
    ],
    "demo": [
        "demo/pos_config_demo.xml",
        "demo/loyalty_program_demo.xml",
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
