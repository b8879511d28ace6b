from . import randevu_label_wizard
from . import randevu_label_wizard_line
from . import randevu_transfer_wizard
from . import randevu_transfer_wizard_line
from . import randevu_scan_wizard
from . import randevu_scan_wizard_line
