"""Demo content shipped with the project (`content.json`), loaded idempotently through the real services.

Stable translation keys (uuid5 of each item's slug) let a second run find what the first one created.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import DraftStateMixin, Locale, Page, Site

from campaigns.models import CampaignActivity, CampaignIndexPage, CampaignPage, HomePage
from hub.localization import translation_sync
from institutions.enums import DeliveryChannel
from institutions.models import Acknowledgement, Delivery, Institution
from institutions.services import acknowledgement_record, deliveries_record
from messaging.models import Message, Topic
from messaging.selectors import visible_messages_for
from messaging.services.messages import message_approve_step, message_draft_save, message_submit

CONTENT_PATH = Path(__file__).with_name("content.json")
DEMO_NAMESPACE = uuid.UUID("5d1d0e8c-7a52-4c55-9a39-3c7f1d2b8f10")
DEMO_PASSWORD = "tawasul-demo-2026"  # noqa: S105 - printed for local development only
DEMO_USERS = [
    ("admin", None, True),
    ("communicator", "Communicators", False),
    ("translator", "Translators", False),
    ("reviewer", "Reviewers", False),
    ("approver", "Approvers", False),
]
# A first and a last name each: the admin's account settings require both, so a user without a last name could
# not save any other setting (the admin's language among them).
DEMO_NAMES = {
    "admin": ("مدير", "النظام"),
    "communicator": ("سارة", "البلوشية"),
    "translator": ("خالد", "الهنائي"),
    "reviewer": ("مريم", "الحارثية"),
    "approver": ("أحمد", "الرواحي"),
}


def demo_key(kind: str, slug: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{slug}")


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.created.append(what)


class DemoLoader:
    def __init__(self, content: dict[str, Any], report: DemoReport) -> None:
        self.content = content
        self.report = report
        self.strings = dict(_pairs(content))
        self.ar, _ = Locale.objects.get_or_create(language_code="ar")
        self.en, _ = Locale.objects.get_or_create(language_code="en")

    def load(self) -> None:
        users = self.users()
        institutions = self.institutions()
        topics = self.topics()
        campaign = self.pages(institutions)
        self.messages(users, institutions, topics, campaign)
        self.ledger(institutions)

    # People and institutions -------------------------------------------------------------------------------
    def users(self) -> dict[str, Any]:
        user_model = get_user_model()
        users = {}
        for username, group_name, superuser in DEMO_USERS:
            first_name, last_name = DEMO_NAMES[username]
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model.objects.create_user(
                    username=username,
                    email=f"{username}@tawasul.example",
                    password=DEMO_PASSWORD,
                    is_staff=superuser,
                    is_superuser=superuser,
                    first_name=first_name,
                    last_name=last_name,
                )
                self.report.add(f"user {username}")
            elif not user.last_name:  # demo users made before they had last names
                user.first_name, user.last_name = first_name, last_name
                user.save(update_fields=["first_name", "last_name"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            users[username] = user
        return users

    def institutions(self) -> dict[str, Institution]:
        result = {}
        for item in self.content["institutions"]:
            institution, created = Institution.objects.get_or_create(
                slug=item["slug"],
                defaults={
                    "name_ar": item["name"]["ar"],
                    "name_en": item["name"]["en"],
                    "kind": item["kind"],
                    "contact_email": item.get("contact_email", ""),
                },
            )
            if created:
                self.report.add(f"institution {institution.slug}")
            result[item["slug"]] = institution
        return result

    def topics(self) -> dict[str, Topic]:
        result = {}
        for item in self.content["topics"]:
            key = demo_key("topic", item["slug"])
            topic = Topic.objects.filter(translation_key=key, locale=self.ar).first()
            if topic is None:
                topic = Topic.objects.create(
                    translation_key=key,
                    locale=self.ar,
                    name=item["name"]["ar"],
                    slug=item["slug"],
                    description=item["description"]["ar"],
                )
                self.report.add(f"topic {item['slug']}")
            self._translate(topic)
            result[item["slug"]] = topic
        return result

    # Pages ---------------------------------------------------------------------------------------------------
    def pages(self, institutions: dict[str, Institution]) -> CampaignPage:
        home = self._home()
        index_content = self.content["campaign_index"]
        index = CampaignIndexPage.objects.filter(translation_key=demo_key("page", "campaigns"), locale=self.ar).first()
        if index is None:
            index = CampaignIndexPage(
                translation_key=demo_key("page", "campaigns"),
                locale=self.ar,
                slug="campaigns",
                title=index_content["title"]["ar"],
                intro=index_content["intro"]["ar"],
            )
            home.add_child(instance=index)
            index.save_revision().publish()
            self.report.add("campaign index page")
        self._translate(index)

        item = self.content["campaign"]
        key = demo_key("page", item["slug"])
        campaign = CampaignPage.objects.filter(translation_key=key, locale=self.ar).first()
        if campaign is None:
            campaign = CampaignPage(
                translation_key=key,
                locale=self.ar,
                slug=item["slug"],
                title=item["title"]["ar"],
                summary=item["summary"]["ar"],
                body=[_body_block(b) for b in item["body"]],
                start_date=datetime.date.fromisoformat(item["start_date"]),
                end_date=datetime.date.fromisoformat(item["end_date"]) if item.get("end_date") else None,
            )
            campaign.activities = [
                CampaignActivity(
                    locale=self.ar,
                    title=a["title"]["ar"],
                    owner=institutions[a["owner"]],
                    due_date=datetime.date.fromisoformat(a["due_date"]),
                    status=a["status"],
                )
                for a in item["activities"]
            ]
            index.add_child(instance=campaign)
            campaign.save_revision().publish()
            self.report.add("campaign page")
        self._translate(campaign)
        return campaign

    def _home(self) -> HomePage:
        key = demo_key("page", "home")
        home = HomePage.objects.filter(translation_key=key, locale=self.ar).first()
        if home is None:
            root = Page.get_first_root_node()
            home = HomePage(
                translation_key=key,
                locale=self.ar,
                slug="home-ar",
                title="تواصل",
                intro="منصة الرسائل الحكومية الموحدة.",
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            site = Site.objects.filter(is_default_site=True).first()
            placeholder = site.root_page if site else None
            Site.objects.update_or_create(
                is_default_site=True,
                defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Tawasul"},
            )
            if placeholder and placeholder.pk != home.pk and not isinstance(placeholder.specific, HomePage):
                placeholder.delete()
            self.report.add("home page")
        self.strings.setdefault(home.title, "Tawasul")
        self.strings.setdefault(home.intro, "The platform for unified government messages.")
        self.strings.setdefault(home.slug, "home-en")
        self._translate(home)
        return home

    # Messages ------------------------------------------------------------------------------------------------
    def messages(
        self,
        users: dict[str, Any],
        institutions: dict[str, Institution],
        topics: dict[str, Topic],
        campaign: CampaignPage,
    ) -> None:
        for item in self.content["messages"]:
            key = demo_key("message", item["slug"])
            message = Message.objects.filter(translation_key=key, locale=self.ar).first()
            if message is not None:
                continue
            message = Message(
                translation_key=key,
                locale=self.ar,
                title=item["title"]["ar"],
                key_message=item["key_message"]["ar"],
                body=_message_body(item),
                topic=topics[item["topic"]],
                campaign=campaign if item.get("in_campaign") else None,
                is_public=item.get("public", False),
                audience_all=item["audience"] == "all",
                owner=institutions[item["owner"]],
                clearing_authority=item["clearing_authority"]["ar"],
                spokesperson=item["spokesperson"]["ar"],
                due_date=timezone.localdate() + datetime.timedelta(days=30),
            )
            message_draft_save(message=message, user=users["communicator"])
            if item["audience"] != "all":
                message.audience.set([institutions[slug] for slug in item["audience"]])
                message_draft_save(message=message, user=users["communicator"])
            if item["workflow_state"] == "published":
                self._release_with_translation(message, users)
            else:
                message_submit(message=message, user=users["communicator"])
            self.report.add(f"message {item['slug']} ({item['workflow_state']})")

    def ledger(self, institutions: dict[str, Institution]) -> None:
        """A little history for the compliance reports: the ministry has read and acknowledged everything, the
        authority has read everything addressed to it and acknowledged one message. Recorded through the same
        services as the API, so repeats change nothing."""
        before = Delivery.objects.count() + Acknowledgement.objects.count()
        for slug, acknowledged in (("moi", None), ("part", 1)):
            institution = institutions[slug]
            rows = list(visible_messages_for(institution).select_related("locale").order_by("pk"))
            deliveries_record(institution_id=institution.pk, rows=rows, channel=DeliveryChannel.API)
            sources = [row for row in rows if row.locale_id == self.ar.pk]
            for row in sources[:acknowledged] if acknowledged is not None else sources:
                acknowledgement_record(
                    institution_id=institution.pk,
                    translation_key=row.translation_key,
                    message=row,
                    version=row.version,
                    acknowledged_by=f"{slug} media office",
                )
        if Delivery.objects.count() + Acknowledgement.objects.count() > before:
            self.report.add("demo deliveries and acknowledgements")

    def _release_with_translation(self, message: Message, users: dict[str, Any]) -> None:
        """The lifecycle as people walk it: the translator translates and submits, two people approve the English
        (it waits for its source), the communicator submits the Arabic, two people approve it, and both languages
        go live together."""
        english = translation_sync(message, language_code="en", strings=self.strings, user=users["translator"])
        for row, author in ((english, users["translator"]), (message, users["communicator"])):
            message_submit(message=row, user=author)
            message_approve_step(message=row, user=users["reviewer"])
            message_approve_step(message=row, user=users["approver"])
        self.report.add(f"English translation of message {message.pk}")

    def _translate(self, instance: Any, user: Any = None) -> None:
        """Campaign pages: translated and published by the loading user (pages have their own workflow)."""
        if instance.get_translations().filter(locale=self.en).exists():
            return
        translation = translation_sync(instance, language_code="en", strings=self.strings, user=user)
        if isinstance(translation, DraftStateMixin):
            translation.get_latest_revision().publish(user=user)
        self.report.add(f"English translation of {instance._meta.verbose_name} {instance.pk}")


def _body_block(block: dict[str, Any]) -> tuple[str, str]:
    if block["type"] == "paragraph":
        return ("paragraph", f"<p>{escape(block['value']['ar'])}</p>")
    return (block["type"], block["value"]["ar"])


def _message_body(item: dict[str, Any]) -> list[tuple[str, Any]]:
    body: list[tuple[str, Any]] = [
        ("pillar", {"title": p["title"]["ar"], "talking_points": [t["ar"] for t in p["talking_points"]]})
        for p in item["pillars"]
    ]
    body += [("qa", {"question": q["question"]["ar"], "answer": q["answer"]["ar"]}) for q in item["qa"]]
    body += [
        (
            "fact",
            {
                "statement": f["statement"]["ar"],
                "source_title": f["source_title"]["ar"],
                "source_url": f.get("source_url", ""),
            },
        )
        for f in item["facts"]
    ]
    body += [("avoid", line["ar"]) for line in item["lines_to_avoid"]]
    return body


def _pairs(node: Any) -> Iterator[tuple[str, str]]:
    """Every {"ar": ..., "en": ...} pair in the content, for the translation memory."""
    if isinstance(node, dict):
        if set(node) == {"ar", "en"} and all(isinstance(v, str) for v in node.values()):
            yield node["ar"], node["en"]
            if escape(node["ar"]) != node["ar"]:  # an escaped English for an Arabic with nothing to escape
                yield escape(node["ar"]), escape(node["en"])  # showed "Society&#x27;s" in the editor
            return
        for value in node.values():
            yield from _pairs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _pairs(value)


def demo_load(progress: Callable[[str], None] | None = None) -> DemoReport:
    report = DemoReport()
    content = json.loads(CONTENT_PATH.read_text(encoding="utf-8"))
    # No enclosing transaction: wagtail-localize publishes translations on commit, so each step commits on its
    # own; every step is idempotent, so a run that stops half-way is completed by the next one.
    DemoLoader(content, report).load()
    if progress:
        for line in report.created:
            progress(line)
    return report
