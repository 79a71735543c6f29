"""Two institutions with the same kinds of data each: the one whose users sign in ("own") and another ("other")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from wagtail.models import Page

from campaigns.models import CampaignActivity, CampaignIndexPage, CampaignPage, HomePage
from institution_space.enums import MemberRole
from institution_space.models import InstitutionMember
from institutions.services import api_key_issue
from tests.factories import InstitutionFactory, MessageFactory, UserFactory, locale
from webhooks.services import endpoint_create


@dataclass
class Side:
    institution: Any
    message: Any
    withdrawn: Any
    activity: Any
    key: Any
    endpoint: Any


@dataclass
class Space:
    own: Side
    other: Side
    officer: Any
    director: Any
    outsider: Any


def campaign_with_activities(*owners_and_titles: tuple[Any, str]) -> CampaignPage:
    ar = locale("ar")
    root = Page.objects.get(depth=1)
    home = root.add_child(instance=HomePage(title="الرئيسية", slug="home-space", locale=ar))
    index = home.add_child(instance=CampaignIndexPage(title="الحملات", slug="campaigns-space", locale=ar))
    page = CampaignPage(
        title="حملة التواصل",
        slug="campaign-space",
        summary="ملخص",
        locale=ar,
        activities=[
            CampaignActivity(title=title, owner=owner, due_date=datetime.date(2026, 1, 31), locale=ar)
            for owner, title in owners_and_titles
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _side(institution: Any, label: str, activity: Any) -> Side:
    message = MessageFactory.create_published(title=f"{label} line", audience_of=[institution])
    withdrawn = MessageFactory.create_published(title=f"{label} withdrawn line", audience_of=[institution])
    withdrawn.unpublish()
    key, _raw = api_key_issue(institution=institution, name=f"{label} mirror", scopes=["read"])
    endpoint = endpoint_create(institution=institution, url=f"http://127.0.0.1:9/{label.lower()}-hook")
    return Side(institution, message, withdrawn, activity, key, endpoint)


@pytest.fixture
def space(db: None, approver) -> Space:
    own, other = InstitutionFactory(slug="moi", name_en="MOI"), InstitutionFactory(slug="gcc", name_en="GCC")
    page = campaign_with_activities((own, "Own activity"), (other, "Other activity"))
    own_activity, other_activity = (page.activities.get(title=t) for t in ("Own activity", "Other activity"))
    officer = UserFactory(username="moi-officer", first_name="Huda")
    director = UserFactory(username="moi-director", first_name="Khalid")
    InstitutionMember.objects.create(user=officer, institution=own, role=MemberRole.OFFICER)
    InstitutionMember.objects.create(user=director, institution=own, role=MemberRole.DIRECTOR)
    return Space(
        own=_side(own, "Own", own_activity),
        other=_side(other, "Other", other_activity),
        officer=officer,
        director=director,
        outsider=approver,
    )
