from . import randevu_recurrence_wizard
from . import randevu_recurrence_wizard_line
from . import randevu_recurrence_wizard_slot
from . import randevu_series_edit_wizard
from . import randevu_staff_week_wizard
