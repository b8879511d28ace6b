from . import randevu_report_wizard
