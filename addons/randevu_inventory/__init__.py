from . import models
from . import report
from . import wizard


def post_init_hook(env):
    """Branches that existed before this addon get their warehouse and consumption location."""
    env["res.company"].search([])._randevu_ensure_warehouses()
