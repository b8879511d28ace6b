from . import loyalty_program, pos_order, randevu_segment, res_partner
