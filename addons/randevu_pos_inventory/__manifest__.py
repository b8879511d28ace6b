{
    "name": "Randevu POS Inventory",
    "summary": "Randevu's till and stock together: each branch's till sells from the branch's own warehouse, "
    "and checkout writes the visit's products off (tests of the two addons installed together)",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_pos", "randevu_inventory"],
    "auto_install": True,
    "installable": True,
}
