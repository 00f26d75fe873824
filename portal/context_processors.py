from django.conf import settings


def portal(request):
    return {
        "company_name": settings.PORTAL_COMPANY_NAME,
        "support_phone": settings.PORTAL_SUPPORT_PHONE,
        "support_email": settings.PORTAL_SUPPORT_EMAIL,
    }
