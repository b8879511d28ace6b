from . import label_sheet
from . import randevu_consumption_report
