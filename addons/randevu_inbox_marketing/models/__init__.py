from . import randevu_consent_record, randevu_conversation, randevu_inbox_event
