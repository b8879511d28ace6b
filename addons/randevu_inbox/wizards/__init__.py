from . import randevu_send_document
