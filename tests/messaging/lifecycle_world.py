"""What every example of the lifecycle model (`tests/messaging/test_lifecycle_model.py`) starts from: the people
of every role, logged in, a topic, two institutions with a key and a webhook endpoint each. Made once per run;
each example runs in a savepoint and is rolled back to it. Also the model's means of looking: tables read by
plain SQL statements (its fingerprints), and an institution's mirror fed by the change feed or the webhooks."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model
from django.test import Client
from rest_framework.test import APIClient
from wagtail.models import Locale

from tests.factories import InstitutionFactory, TopicFactory, UserFactory
from tests.messaging.api_helpers import client_for, issue_key
from tests.messaging.lifecycle_oracle import ROLES
from webhooks.models import WebhookEndpoint

GROUPS = {
    "communicator": ["Communicators"],
    "translator": ["Translators"],
    "reviewer": ["Reviewers"],
    "approver": ["Approvers"],
    "approver2": ["Approvers"],
}
INSTITUTIONS = ("moi", "part")


@dataclass
class World:
    users: dict[str, Any]
    clients: dict[str, Client]  # one per role, logged in as it
    topic: Any
    institutions: dict[str, Any]
    keys: dict[str, str]
    endpoints: dict[str, WebhookEndpoint]
    en: Locale
    public: Client = field(default_factory=Client)  # anonymous: the public's pages
    start_checked: dict[str, str] = field(default_factory=dict)  # the start's fingerprints, once checked
    api_clients: dict[str, APIClient] = field(default_factory=dict)

    def api(self, raw_key: str) -> APIClient:
        """The API client of a key, made once (it keeps no state but the key's header)."""
        if raw_key not in self.api_clients:
            self.api_clients[raw_key] = client_for(raw_key)
        return self.api_clients[raw_key]

    @classmethod
    def create(cls) -> World:
        users = {role: UserFactory(username=role, groups=GROUPS.get(role, [])) for role in ROLES}
        users["boss"].is_superuser = True
        users["boss"].save()
        clients = {}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        institutions = {slug: InstitutionFactory(slug=slug) for slug in INSTITUTIONS}
        return cls(
            users=users,
            clients=clients,
            topic=TopicFactory(),
            institutions=institutions,
            keys={slug: issue_key(institution) for slug, institution in institutions.items()},
            endpoints={
                slug: WebhookEndpoint.objects.create(institution=institution, url=f"https://{slug}.example/hooks")
                for slug, institution in institutions.items()
            },
            en=Locale.objects.get(language_code="en"),
        )


def tables_read(*parts: tuple[type[Model], tuple[str, ...], bool]) -> list[tuple[Any, ...]]:
    """Rows of several tables read by one plain SQL statement: for each `(model, fields, summary)` the `fields` of
    every row (`summary`: the largest first field and the number of rows), each row as its part's number, its
    primary key and its values, all as text, in that order. The model reads them after every step, where building the
    ORM's queries cost more than running them, and on PostgreSQL each statement is a round trip."""
    with connection.cursor() as cursor:
        cursor.execute(_select(parts))
        return cursor.fetchall()


@functools.cache
def _select(parts: tuple[tuple[type[Model], tuple[str, ...], bool], ...]) -> str:
    quote = connection.ops.quote_name
    width = max(2 if summary else len(fields) for _model, fields, summary in parts)
    selects = []
    for number, (model, fields, summary) in enumerate(parts):
        meta = model._meta
        names = [quote((meta.pk if name == "pk" else meta.get_field(name)).column) for name in fields]  # type: ignore[union-attr]
        pk = quote(meta.pk.column)  # type: ignore[union-attr]
        if summary:
            values, order = [f"MAX({names[0]})", "COUNT(*)"], "''"
        else:
            values, order = names, f"CAST({pk} AS TEXT)"  # one type for every part's key
        texts = [f"CAST({value} AS TEXT)" for value in values] + ["NULL"] * (width - len(values))
        selects.append(f"SELECT {number}, {order}, {', '.join(texts)} FROM {quote(meta.db_table)}")  # noqa: S608 - names from the models, no input
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2"


Mirror = dict[tuple[str, str], int]  # (message id, language) -> version: what an institution's copy holds


def mirror_apply(item: dict[str, Any], mirror: Mirror) -> None:
    """One change (a change feed item, a webhook's data) applied as an institution's mirror applies it: a
    tombstone deletes, anything else upserts."""
    key = (item["message_id"], item["locale"])
    if item["tombstone"]:
        mirror.pop(key, None)
    else:
        mirror[key] = item["version"]


def feed_read(client: APIClient, cursor: int, *mirrors: Mirror) -> int:
    """Every page of the change feed after `cursor`, applied to each mirror given; the new cursor."""
    while True:
        page = client.get(f"/api/v1/changes/?after={cursor}").json()
        for item in page["results"]:
            for mirror in mirrors:
                mirror_apply(item, mirror)
        cursor = page["next_after"]
        if not page["has_more"]:
            return cursor
