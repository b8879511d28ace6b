"""The frequency cap's lock table was made by mailing.trace.init (partner_id its primary
key); it is now the table of the model randevu.marketing.cap.mark (an id, partner_id
unique). Its rows are locks, meaningful only while a mailing's batch is being sent: the
old table is dropped and the ORM makes the model's."""


def migrate(cr, version):
    cr.execute("DROP TABLE IF EXISTS randevu_marketing_cap_mark")
