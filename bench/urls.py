"""The project's URLs plus the floor of the stack: a view that returns a byte string held in memory."""

from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.urls import path

from hub.urls import urlpatterns as hub_urlpatterns

FLOOR_BODY = b'{"status":"ok","floor":true}'


def floor(request: HttpRequest) -> HttpResponse:
    """The cheapest Django response: the same middleware as every API call, no database, no serialisation."""
    return HttpResponse(FLOOR_BODY, content_type="application/json")


@lru_cache(maxsize=4)
def _body_of(size: int) -> bytes:
    head, tail = b'{"floor":"', b'"}'
    return head + b"x" * max(size - len(head) - len(tail), 0) + tail


def floor_sized(request: HttpRequest, size: int) -> HttpResponse:
    """The floor with a body of `size` bytes (a JSON string, built once): what sending a page of that size costs
    the stack and the load generator, without any of the work of making it."""
    return HttpResponse(_body_of(size), content_type="application/json")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/floor/<int:size>/", floor_sized, name="bench-floor-sized"),
    *hub_urlpatterns,
]
