from . import booking
from . import portal
from . import payment
