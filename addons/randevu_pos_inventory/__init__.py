# Tests only: what randevu_pos and randevu_inventory do together (see README.md).
