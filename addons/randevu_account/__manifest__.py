{
    "name": "Randevu Deposits and Invoicing",
    "summary": "Deposits and prepayment of appointments, payment links, invoices with the deposit deducted",
    "version": "18.0.1.0.0",
    "category": "Services/Appointment",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_calendar", "account_payment"],
    "data": [
        "data/ir_cron_data.xml",
        "views/randevu_appointment_views.xml",
        "views/res_company_views.xml",
        "views/product_template_views.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "installable": True,
    "auto_install": False,
}
