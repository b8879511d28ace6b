{
    "name": "Randevu Inventory Purchase",
    "summary": "A branch's low-stock alert proposes a purchase: Odoo's reordering rules with the Buy route "
    "make a draft RFQ in the branch's company, named in the alert and listed under Purchase Proposals",
    "version": "18.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_inventory", "purchase_stock"],
    "data": [
        "security/ir.model.access.csv",
        "views/stock_warehouse_orderpoint_views.xml",
        "views/purchase_order_views.xml",
    ],
    "demo": [
        "demo/randevu_inventory_purchase_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
