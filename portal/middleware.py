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


class MethodNotAllowedPageMiddleware:
    """Give an empty 405 (Django's `require_http_methods`, a class view without the method) a page.

    The response keeps its status and its Allow header; only the body is added,
    so a person who opened a form's address directly learns where to go.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        from portal.errors import error_page

        page = error_page(request, "405.html", 405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
