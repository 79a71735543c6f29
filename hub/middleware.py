from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware

UNPREFIXED = ("/api/", "/admin/", "/health/", "/documents/", "/static/", "/media/", "/i18n/", "/sitemap.xml")


class TawasulLocaleMiddleware(LocaleMiddleware):
    """Django's locale middleware, minus its redirect of 404s to a language-prefixed URL outside the public site:
    an API 404 must stay a JSON 404, not become a redirect into Wagtail's page tree."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path_info.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)
