from . import label_sheet
