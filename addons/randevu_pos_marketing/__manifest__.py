{
    "name": "Randevu POS Marketing",
    "summary": "Customer segments by what customers spent at the till, their account credit and the sessions "
    "left on their courses; appointments paid with a campaign's code attributed to the campaign",
    "version": "18.0.1.0.0",
    "category": "Marketing",
    "author": "Randevu",
    "website": "https://github.com/randevu/randevu",
    "license": "LGPL-3",
    "depends": ["randevu_pos", "randevu_marketing"],
    "data": ["views/randevu_segment_views.xml"],
    "assets": {
        "point_of_sale._assets_pos": ["randevu_pos_marketing/static/src/**/*"],
        "web.assets_tests": ["randevu_pos_marketing/static/tests/tours/**/*"],
    },
    "installable": True,
    "auto_install": True,
}
