"""Building releases as people do: members approved on their own (and so held), a release created in the admin."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from campaigns.models import CampaignIndexPage, CampaignPage, HomePage
from releases.models import Release
from tests.factories import locale


def url(name: str, *args: object) -> str:
    return reverse(f"wagtailsnippets_releases_release:{name}", args=args)


def release_form(
    *,
    title: str = "إطلاق حملة التواصل",
    messages: tuple[Any, ...] = (),
    pages: tuple[Any, ...] = (),
    go_live_at: datetime.datetime | None = None,
    embargo_until: datetime.datetime | None = None,
) -> dict[str, Any]:
    def local(moment: datetime.datetime | None) -> str:
        from django.utils import timezone

        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    return nested_form_data(
        {
            "title": title,
            "description": "",
            "go_live_at": local(go_live_at),
            "embargo_until": local(embargo_until),
            "message_members": inline_formset([{"message": message.pk} for message in messages]),
            "page_members": inline_formset([{"page": page.pk} for page in pages]),
        }
    )


def create_and_submit(client: Any, user: Any, **form: Any) -> Release:
    client.force_login(user)
    response = client.post(url("add"), {**release_form(**form), "action-submit": "Submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Release.objects.order_by("-pk").first()  # type: ignore[return-value]


def approve(client: Any, user: Any, release: Release) -> Any:
    release = Release.objects.get(pk=release.pk)
    task_state = release.current_workflow_state.current_task_state
    client.force_login(user)
    return client.post(url("workflow_action", release.pk, "approve", task_state.pk), {"comment": ""})


def campaign_page(title: str = "حملة الإطلاق") -> CampaignPage:
    root = Page.get_first_root_node()
    home = HomePage(title="تواصل", slug="home-ar", locale=locale("ar"))
    root.add_child(instance=home)
    index = CampaignIndexPage(title="الحملات", slug="campaigns", locale=locale("ar"))
    home.add_child(instance=index)
    page = CampaignPage(
        title=title,
        slug="launch",
        locale=locale("ar"),
        summary="ملخص الحملة",
        start_date=datetime.date(2026, 1, 1),
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision()
    return page


def approve_page(page: CampaignPage, people: dict[str, Any]) -> CampaignPage:
    """The page's own two-person approval ("Campaign approval"); a member of a pending release is then held."""
    page = CampaignPage.objects.get(pk=page.pk)
    page.get_workflow().start(page, people["author"])
    for role in ("reviewer", "approver"):
        task_state = CampaignPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
        task_state.task.specific.on_action(task_state, people[role], "approve")
    return CampaignPage.objects.get(pk=page.pk)
