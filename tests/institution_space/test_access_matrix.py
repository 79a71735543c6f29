"""Authorization matrix of the institution space: every view × (own institution's data, another institution's data)
× (anonymous, centre staff without an institution, media officer, media director). Every cell must be as expected.

Each cell runs in a savepoint rolled back afterwards, so cells do not see each other's writes. An "other" cell
aims the request at another institution's object, or, for views without an object, names the other institution
in the request: the answer must never contain the other institution's data nor change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils import translation

from institution_space.models import ActivityUpdate
from institutions.ledger import Acknowledgement
from institutions.models import InstitutionAPIKey
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "officer", "director")
SCOPES = ("own", "other")


@dataclass(frozen=True)
class View:
    name: str
    method: str
    director_only: bool
    target: Callable[[Any], dict[str, Any]] | None = None  # URL kwargs from one side's data; None: no object
    data: Callable[[Any], dict[str, Any]] | None = None
    ok: int = 200


def _key(side: Any) -> dict[str, Any]:
    return {"key": side.message.translation_key}


VIEWS = [
    View("home", "get", False),
    View("changes_seen", "post", False, ok=302),
    View("message", "get", False, target=_key),
    View("acknowledge", "post", False, target=_key, ok=302),
    View("acknowledge_withdrawal", "post", False, target=lambda side: {"key": side.withdrawn.translation_key}, ok=302),
    View("activities", "get", False),
    View(
        "activity_update",
        "post",
        False,
        target=lambda side: {"activity_id": side.activity.pk},
        data=lambda side: {"status": "done", "note": "finished"},
        ok=302,
    ),
    View("keys", "get", True),
    View("keys", "post", True, data=lambda side: {"name": "new key", "scopes": ["read"]}),
    View("key_rotate", "post", True, target=lambda side: {"key_id": side.key.pk}),
    View("key_revoke", "post", True, target=lambda side: {"key_id": side.key.pk}, ok=302),
    View("webhooks", "get", True),
    View("webhooks", "post", True, data=lambda side: {"url": "http://127.0.0.1:9/new-hook"}),
    View("endpoint_rotate", "post", True, target=lambda side: {"endpoint_id": side.endpoint.pk}),
    View("endpoint_revoke", "post", True, target=lambda side: {"endpoint_id": side.endpoint.pk}, ok=302),
]


def expected_status(view: View, role: str, scope: str) -> int:
    if role == "anonymous":
        return 302  # to the sign-in page
    if role == "outsider" or (view.director_only and role == "officer"):
        return 403
    if scope == "other" and view.target is not None:
        return 404
    return view.ok


def _keys(side: Any) -> list[Any]:
    return [side.message.translation_key, side.withdrawn.translation_key]


def _snapshot(side: Any) -> tuple[Any, ...]:
    """Everything of one institution a request could change."""
    key = InstitutionAPIKey.objects.get(pk=side.key.pk)
    endpoint = WebhookEndpoint.objects.get(pk=side.endpoint.pk)
    side.activity.refresh_from_db()
    return (
        key.revoked,
        InstitutionAPIKey.objects.filter(institution=side.institution).count(),
        endpoint.is_active,
        endpoint.secret,
        WebhookEndpoint.objects.filter(institution=side.institution).count(),
        side.activity.status,
        ActivityUpdate.objects.filter(activity=side.activity).count(),
        Acknowledgement.objects.filter(translation_key__in=_keys(side)).exclude(institution=side.institution).count(),
    )


def _markers(side: Any) -> list[str]:
    return [side.message.title, side.withdrawn.title, side.activity.title, side.key.prefix, side.endpoint.url]


def run_cell(client: Any, space: Any, view: View, role: str, scope: str) -> str | None:
    """None when the cell is as expected, else what went wrong."""
    side = space.own if scope == "own" else space.other
    with translation.override("en"):
        url = reverse(f"institution_space:{view.name}", kwargs=view.target(side) if view.target else {})
    data = view.data(side) if view.data else {}
    if scope == "other":
        data = {**data, "institution": side.institution.pk, "institution_id": side.institution.pk}
    before = _snapshot(space.other)
    with transaction.atomic():
        response = getattr(client, view.method)(url, data)
        after = _snapshot(space.other)
        transaction.set_rollback(True)
    expected = expected_status(view, role, scope)
    problems = []
    if response.status_code != expected:
        problems.append(f"status {response.status_code} != {expected}")
    if role == "anonymous" and "/institution/login/" not in response.get("Location", ""):
        problems.append("not sent to the sign-in page")
    body = response.content.decode() if response.status_code == 200 else ""
    leaked = [marker for marker in _markers(space.other) if marker in body]
    if scope == "other" and leaked:
        problems.append(f"shows another institution's data: {leaked}")
    if scope == "other" and after != before:
        problems.append(f"changed another institution's data: {before} -> {after}")
    return "; ".join(problems) or None


@pytest.mark.parametrize("role", ROLES)
def test_institution_space_access_matrix(client, space, role):
    user = {"outsider": space.outsider, "officer": space.officer, "director": space.director}.get(role)
    if user is not None:
        client.force_login(user)
    cells = [(view, scope) for view in VIEWS for scope in SCOPES]
    failures = {
        f"{view.method.upper()} {view.name} × {scope}": problem
        for view, scope in cells
        if (problem := run_cell(client, space, view, role, scope))
    }
    assert not failures, f"{len(cells) - len(failures)}/{len(cells)} cells as expected for {role}: {failures}"
    assert len(cells) == 30


def test_access_matrix_covers_every_view_of_the_institution_space():
    space_views = {
        pattern.name
        for pattern in get_resolver("institution_space.urls").url_patterns
        if pattern.name not in ("login", "logout")
    }
    assert space_views == {view.name for view in VIEWS}
