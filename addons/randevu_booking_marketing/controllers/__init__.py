from . import booking, campaign_qr
