from . import randevu_consent_export, randevu_consent_record
