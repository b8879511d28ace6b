from . import randevu_label_wizard
from . import randevu_label_wizard_line
