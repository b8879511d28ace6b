from . import booking
from . import portal
from . import payment
from . import waitlist
from . import classes
from . import website_blocks
