class ExplicitLanguageMiddleware:
    """Russian unless the person chose otherwise with the language switch.

    The portal is Russian first: a browser that merely prefers English (a
    common default even in Russia) must not switch staff and customers to
    English. Only the switch's cookie counts, so LocaleMiddleware, which runs
    next, is not shown the browser's Accept-Language header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
