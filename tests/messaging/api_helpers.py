"""Helpers shared by the API tests: keys and a client per key."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from institutions.models import InstitutionAPIKey


def issue_key(institution: Any, scopes: tuple[str, ...] = ("read", "acknowledge"), **kwargs: Any) -> str:
    _, raw = InstitutionAPIKey.objects.create_key(
        name=f"{institution.slug} test", institution=institution, scopes=list(scopes), **kwargs
    )
    return raw


def expired_key(institution: Any) -> str:
    return issue_key(institution, expiry_date=timezone.now() - timedelta(days=1))


def revoked_key(institution: Any) -> str:
    raw = issue_key(institution)
    InstitutionAPIKey.objects.filter(prefix=raw.split(".")[0]).update(revoked=True)
    return raw


def client_for(raw_key: str | None) -> APIClient:
    client = APIClient()
    if raw_key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    return client
