from . import blacklist, mailing_mailing, randevu_consent, randevu_consent_event, randevu_segment, res_partner
