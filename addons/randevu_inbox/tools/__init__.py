from .whatsapp_api import WhatsAppApiError, WhatsAppCloudApi
