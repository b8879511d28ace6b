from . import randevu_segment
