"""A corpus of bad input sent to every endpoint: the API (v1 and Wagtail's v2), the public pages, the admin's
searches and forms, and the webhook URL guard. Malformed and deeply nested JSON, wrong types, overflowing numbers
and dates, tampered cursors, NUL and other control characters, lone surrogates, bidi overrides and oversized bodies
must each get a 4xx (or an ordinary answer): never a 5xx, and under /api/ the JSON error shape
(`{"code": ..., "message": ...}`).

Each test sends its whole share of the corpus and reports every request that failed, not only the first.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

import orjson
import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from tests.factories import InstitutionFactory, MessageFactory, UserFactory
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db

BIDI = "\u202eevil\u202c\u2066x\u2069"
# Text values, sent percent-encoded in the query string and in form fields.
TEXTS: dict[str, str] = {
    "empty": "",
    "blank": "   ",
    "nul": "\x00",
    "nul-inside": "a\x00b",
    "controls": "\x01\x08\x1b\x7f",
    "newlines": "a\r\nb",
    "bidi-override": BIDI,
    "zero-width": "\u200b\ufeff",
    "long-digits": "9" * 5000,
    "huge-integer": str(2**70),
    "negative": "-1",
    "float": "1.5e308",
    "overflowing-float": "1e999",
    "nan": "NaN",
    "minimum-date": "0001-01-01T00:00:00",
    "minimum-date-east": "0001-01-01T00:00:00+14:00",
    "maximum-date-west": "9999-12-31T23:59:59.999999-12:00",
    "year-zero": "0000-00-00",
    "not-a-date": "2026-13-45T25:61:61",
    "uuid-ish": "00000000-0000-0000-0000-00000000000g",
    "sql": "' OR 1=1 --",
    "percent": "%",
    "wildcards": "*?[]{}()^~:\\",
    "markup": "<script>alert(1)</script>",
    "path": "../../../../etc/passwd",
    "arabic-digits": "١٢٣٤٥٦٧٨٩٠",
    "very-long": "ب" * 20_000,
}
# The values most likely to break a page that renders HTML (slower than the API: sent to fewer parameters).
PAGE_TEXTS = {
    name: TEXTS[name]
    for name in (
        "empty",
        "nul",
        "controls",
        "bidi-override",
        "long-digits",
        "huge-integer",
        "negative",
        "minimum-date-east",
        "sql",
        "percent",
        "wildcards",
        "very-long",
    )
}
# Raw query-string fragments the test client would refuse to encode: a lone surrogate (as CESU-8 bytes), an
# overlong UTF-8 sequence, invalid UTF-8, a broken percent-escape.
RAW: dict[str, str] = {
    "lone-surrogate": "%ED%A0%80",
    "overlong-utf8": "%C0%AF",
    "invalid-utf8": "%FF%FE",
    "broken-escape": "%zz%",
}
CURSORS = {
    "not-base64": "!!!",
    "empty-position": base64.b64encode(b"p=").decode(),
    "garbage-position": base64.b64encode(b"r=1&p=yesterday").decode(),
    "minimum-position": base64.b64encode(b"p=0001-01-01T00:00:00+05:00").decode(),
    "maximum-position": base64.b64encode(b"r=1&p=9999-12-31T23:59:59-05:00").decode(),
    "huge-offset": base64.b64encode(f"o={2**70}&p=2026-01-01T00:00:00Z".encode()).decode(),
    "negative-offset": base64.b64encode(b"o=-5").decode(),
    "nul": base64.b64encode(b"p=\x00").decode(),
    "lone-surrogate-bytes": base64.b64encode(b"p=\xed\xa0\x80").decode(),
}
NESTED_ARRAYS = b"[" * 3000 + b"]" * 3000
NESTED_OBJECTS = b'{"a":' * 3000 + b"1" + b"}" * 3000
# Whole bodies for the JSON endpoints.
BODIES: dict[str, bytes] = {
    "empty": b"",
    "nested-arrays": NESTED_ARRAYS,
    "nested-objects": NESTED_OBJECTS,
    "truncated": b'{"text": "a',
    "not-json": b"text=hello",
    "lone-surrogate-escape": b'{"text": "\\ud800", "version": 1}',
    "lone-surrogate-bytes": b'{"text": "\xed\xa0\x80", "version": 1}',
    "invalid-utf8": b'{"text": "\xff"}',
    "nan": b'{"text": NaN, "version": NaN}',
    "infinity": b'{"version": 1e999}',
    "nul-escape": b'{"text": "a\\u0000b", "locale": "en", "kind": "version", "version": 1, "note": "\\u0000"}',
    "array": b"[1, 2, 3]",
    "string": b'"text"',
    "number": b"42",
    "null": b"null",
    "duplicate-keys": b'{"version": 1, "version": "x"}',
    "utf16": '{"text": "x"}'.encode("utf-16"),
    "oversized": b'{"text": "' + b"x" * (3 * 1024 * 1024) + b'"}',
}
# Wrong and extreme values for each field of a JSON body.
FIELD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**64,
    10**400,
    1.5,
    "9" * 5000,
    "",
    "\x00",
    BIDI,
    "x" * 100_000,
    [],
    [[[[[]]]]],
    {},
    {"a": {"b": {"c": None}}},
    "00000000-0000-0000-0000-000000000000",
]


def _api_error_shape(response: Any) -> str | None:
    if not response["Content-Type"].startswith("application/json"):
        return f"not JSON but {response['Content-Type']}"
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return "invalid JSON"
    if not (isinstance(body, dict) and isinstance(body.get("code"), str) and isinstance(body.get("message"), str)):
        return f"not the error shape: {response.content[:120]!r}"
    return None


def _judge(response: Any, *, api: bool) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code}: {response.content[:200]!r}"
    if api and response.status_code >= 400:
        return _api_error_shape(response)
    return None


class Corpus:
    """Sends requests, collecting every failure with what was sent."""

    def __init__(self, client: Client, *, api: bool) -> None:
        self.client = client
        self.client.raise_request_exception = False
        self.api = api
        self.failures: list[str] = []
        self.sent = 0

    def send(self, label: str, call: Callable[[], Any]) -> Any:
        self.sent += 1
        try:
            response = call()
        except Exception as error:  # the test client re-raises nothing here; this is the client refusing
            self.failures.append(f"{label}: raised {type(error).__name__}: {error}")
            return None
        if problem := _judge(response, api=self.api):
            self.failures.append(f"{label}: {problem}")
        return response

    def get_each(self, path: str, parameters: Iterable[str], *, values: dict[str, str] = TEXTS) -> None:
        """Every text value, then every raw fragment, in each parameter (the others absent)."""
        for name in parameters:
            for label, value in values.items():
                query = f"{name}={quote(value, safe='')}"
                self.send(f"GET {path}?{name}=<{label}>", lambda q=query: self.client.get(f"{path}?{q}"))
            for label, raw in RAW.items():
                query = f"{name}={raw}"
                self.send(f"GET {path}?{name}=<{label}>", lambda q=query: self.client.get(f"{path}?{q}"))

    def post_bodies(self, path: str) -> None:
        for label, body in BODIES.items():
            self.send(
                f"POST {path} <{label}>",
                lambda b=body: self.client.generic("POST", path, b, content_type="application/json"),
            )

    def post_fields(self, path: str, valid: dict[str, Any]) -> None:
        for name in valid:
            for value in FIELD_VALUES:
                body = json.dumps({**valid, name: value})
                self.send(
                    f"POST {path} {name}={str(value)[:40]!r}",
                    lambda b=body: self.client.generic("POST", path, b, content_type="application/json"),
                )

    def check(self) -> None:
        assert self.sent > 0
        assert self.failures == [], f"{len(self.failures)} of {self.sent} requests failed:\n" + "\n".join(
            self.failures[:60]
        )


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    institution = InstitutionFactory(slug="moi")
    message = MessageFactory.create_published(audience_of=[institution])
    MessageFactory()  # a draft
    return {"institution": institution, "message": message, "key": issue_key(institution)}


# API v1 ----------------------------------------------------------------------------------------------------

API_V1_READS = {
    "/api/v1/messages/": ["locale", "topic", "campaign", "updated_since", "cursor", "page_size"],
    "/api/v1/messages/{id}/": ["locale"],
    "/api/v1/messages/{id}/acknowledgements/": ["x"],
    "/api/v1/changes/": ["after", "limit"],
    "/api/v1/topics/": ["locale"],
    "/api/v1/campaigns/": ["locale"],
    "/api/v1/me/": ["x"],
    "/api/v1/search/": ["q", "locale"],
}


@pytest.mark.parametrize("path", sorted(API_V1_READS))
def test_api_v1_reads_answer_bad_query_values_with_json_4xx(world, path):
    corpus = Corpus(client_for(world["key"]), api=True)
    url = path.format(id=world["message"].translation_key)
    corpus.get_each(url, API_V1_READS[path])
    corpus.check()


def test_api_v1_messages_refuse_tampered_cursors(world):
    corpus = Corpus(client_for(world["key"]), api=True)
    for label, cursor in CURSORS.items():
        corpus.send(f"cursor <{label}>", lambda c=cursor: corpus.client.get("/api/v1/messages/", {"cursor": c}))
    corpus.check()


def test_api_v1_paths_with_bad_ids_and_headers(world):
    corpus = Corpus(client_for(world["key"]), api=True)
    for label, value in {**TEXTS, "huge": "9" * 40}.items():
        segment = quote(value, safe="")[:3000]
        corpus.send(f"GET /messages/<{label}>/", lambda s=segment: corpus.client.get(f"/api/v1/messages/{s}/"))
    for label, raw in RAW.items():
        corpus.send(f"GET /messages/<{label}>/", lambda r=raw: corpus.client.get(f"/api/v1/messages/{r}/"))
    headers = {
        "HTTP_AUTHORIZATION": [
            "Api-Key \x00",
            f"Api-Key {BIDI}",
            "Api-Key " + "k" * 10_000,
            "Api-Key a.b.c",
            "Api-Key",
        ],
        "HTTP_IF_NONE_MATCH": ["*", '"\x00"', "W/", ",,,", '"' + "e" * 10_000 + '"'],
        "HTTP_ACCEPT_LANGUAGE": ["\x00", "ar;q=NaN", "x" * 5000],
        "HTTP_ACCEPT": ["\x00/\x00", "application/json; indent=99999999"],
    }
    anonymous = Client()
    for header, values in headers.items():
        for value in values:
            target = anonymous if header == "HTTP_AUTHORIZATION" else corpus.client
            corpus.send(
                f"{header}={value[:30]!r}", lambda t=target, h=header, v=value: t.get("/api/v1/messages/", **{h: v})
            )
    corpus.check()


@pytest.mark.parametrize(
    ("path", "valid"),
    [
        ("/api/v1/alignment/", {"text": "نص للمقارنة", "locale": "ar", "message": None}),
        ("/api/v1/messages/{id}/acknowledgements/", {"kind": "version", "version": 1, "note": "تم"}),
    ],
)
def test_api_v1_writes_answer_bad_bodies_with_json_4xx(world, path, valid):
    corpus = Corpus(client_for(world["key"]), api=True)
    url = path.format(id=world["message"].translation_key)
    corpus.post_bodies(url)
    corpus.post_fields(url, valid)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "\x00"):
        corpus.send(
            f"POST {url} as {content_type!r}",
            lambda c=content_type: corpus.client.generic("POST", url, b"text=a", content_type=c),
        )
    corpus.check()


# API v2 (Wagtail) --------------------------------------------------------------------------------------------

API_V2_NUMBERS = ["offset", "limit", "child_of", "descendant_of", "ancestor_of", "translation_of", "id"]
API_V2_TEXTS = ["search", "search_operator", "type", "fields", "order", "locale", "title", "slug", "show_in_menus"]


def test_api_v2_pages_answer_bad_query_values_with_json_4xx(world):
    corpus = Corpus(Client(), api=True)
    corpus.get_each("/api/v2/pages/", API_V2_NUMBERS)
    corpus.get_each("/api/v2/pages/", API_V2_TEXTS, values=PAGE_TEXTS)
    corpus.get_each("/api/v2/pages/find/", ["html_path"])
    corpus.get_each("/api/v2/images/", ["offset", "search", "id", "fields"])
    page_id = Page.get_first_root_node().pk
    corpus.get_each(f"/api/v2/pages/{page_id}/", ["fields"])
    for label, segment in {"huge": "9" * 40, "overflow": str(2**63), "zero": "0"}.items():
        corpus.send(f"GET /api/v2/pages/<{label}>/", lambda s=segment: corpus.client.get(f"/api/v2/pages/{s}/"))
    corpus.check()


# Public pages --------------------------------------------------------------------------------------------------


def test_public_pages_answer_bad_query_values_without_a_server_error(world):
    corpus = Corpus(Client(), api=False)
    for path in ("/ar/search/", "/en/search/"):
        corpus.get_each(path, ["q"])
    corpus.get_each("/ar/", ["page", "q"])
    for label, value in TEXTS.items():
        segment = quote(value, safe="")[:2000]
        corpus.send(f"GET /ar/<{label}>/", lambda s=segment: corpus.client.get(f"/ar/{s}/"))
        corpus.send(
            f"POST /i18n/setlang/ <{label}>",
            lambda v=value: corpus.client.post("/i18n/setlang/", {"language": v, "next": v}),
        )
    corpus.check()


# Admin: searches and forms ------------------------------------------------------------------------------------


@pytest.fixture
def admin(world: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


ADMIN_LISTINGS = {
    "/admin/snippets/messaging/message/": ["q", "topic", "live", "ordering", "p"],
    "/admin/snippets/messaging/topic/": ["q"],
    "/admin/webhooks/endpoints/": ["q", "is_active", "institution"],
    "/admin/pages/search/": ["q"],
}


@pytest.mark.parametrize("path", sorted(ADMIN_LISTINGS))
def test_admin_searches_answer_bad_queries_without_a_server_error(admin, path):
    corpus = Corpus(admin, api=False)
    corpus.get_each(path, ADMIN_LISTINGS[path], values=PAGE_TEXTS)
    corpus.check()


def test_admin_reports_answer_bad_filters_without_a_server_error(admin):
    corpus = Corpus(admin, api=False)
    corpus.get_each(reverse("tawasul_reports:compliance"), ["kind", "p", "export"], values=PAGE_TEXTS)
    corpus.check()


def test_admin_forms_answer_bad_fields_with_form_errors(admin, world):
    corpus = Corpus(admin, api=False)
    forms = {
        "/admin/alignment/": {"text": "نص", "language": "ar", "message": ""},
        reverse("webhooks_endpoint:add"): {"institution": world["institution"].pk, "url": "https://8.8.8.8/hooks"},
    }
    for path, valid in forms.items():
        for name in valid:
            for label, value in PAGE_TEXTS.items():
                data = {**valid, name: value}
                corpus.send(f"POST {path} {name}=<{label}>", lambda p=path, d=data: corpus.client.post(p, d))
    anonymous = Corpus(Client(), api=False)
    for name in ("username", "password"):
        for label, value in PAGE_TEXTS.items():
            data = {"username": "someone", "password": "secret", name: value}
            anonymous.send(
                f"POST /admin/login/ {name}=<{label}>", lambda d=data: anonymous.client.post("/admin/login/", d)
            )
    corpus.check()
    anonymous.check()


# Webhooks: the URL guard a receiver's address goes through --------------------------------------------------


def test_webhook_url_guard_refuses_bad_urls_with_a_reason(settings):
    from webhooks.destinations import RefusedDestination, destination_resolve

    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    urls = [
        "https://exa\x00mple.com/",
        "https://\u202eexample.com/",
        "https://[::1%25eth0]/",
        "https://[64:ff9b::7f00:1]:443/",
        "https://8.8.8.8:99999/",
        "https://8.8.8.8:-1/",
        "https://" + "a" * 300 + ".example/",
        "https://" + "a." * 200 + "example/",
        "https://[zzzz::1]/",
        "https://user:pass@8.8.8.8/",
        "ftp://8.8.8.8/",
        "https:///nohost",
        "https://%00/",
        "https://\ud800.example/",
        "",
    ]
    unexpected = []
    for url in urls:
        try:
            destination_resolve(url)
        except RefusedDestination as refused:
            assert str(refused)
        except Exception as error:
            unexpected.append(f"{url!r}: {type(error).__name__}: {error}")
        else:
            unexpected.append(f"{url!r}: accepted")
    assert unexpected == []
