from . import pos_make_payment
from . import randevu_pos_refund_wizard
from . import randevu_report_wizard
from . import randevu_tip_payout_wizard
from . import randevu_tip_payout_wizard_line
