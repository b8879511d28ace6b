from . import gateway, sms_gateway
