from . import controllers, models, wizard


def uninstall_hook(env):
    """Drop the frequency cap's lock table (made by mailing.trace.init, not by the ORM)."""
    env.cr.execute("DROP TABLE IF EXISTS randevu_marketing_cap_mark")
