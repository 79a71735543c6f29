"""The project's URLs plus the floor of the stack: a view that returns a byte string held in memory."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from hub.urls import urlpatterns as hub_urlpatterns

FLOOR_BODY = b'{"status":"ok","floor":true}'


def floor(request: HttpRequest) -> HttpResponse:
    """The cheapest Django response: the same middleware as every API call, no database, no serialisation."""
    return HttpResponse(FLOOR_BODY, content_type="application/json")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *hub_urlpatterns]
