{
    "name": "Randevu Inventory",
    "summary": "A warehouse per branch; the products a service uses written off when the appointment is done, "
    "first-expiring lot first, and every client of a lot found for a recall",
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_calendar", "stock", "product_expiry"],
    "data": [
        "security/ir.model.access.csv",
        "security/randevu_service_consumable_security.xml",
        "security/randevu_appointment_consumable_security.xml",
        "data/mail_activity_type.xml",
        "data/ir_cron_data.xml",
        "views/product_product_views.xml",
        "views/randevu_label_wizard_views.xml",
        "views/stock_warehouse_orderpoint_views.xml",
        "views/product_template_views.xml",
        "views/randevu_appointment_views.xml",
        "views/randevu_appointment_consumable_views.xml",
        "views/res_company_views.xml",
        "views/randevu_inventory_menus.xml",
    ],
    "demo": [
        "demo/randevu_inventory_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["randevu_inventory/static/tests/tours/**/*"],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
