from . import blacklist, mailing_mailing, randevu_consent, randevu_consent_event, res_partner
