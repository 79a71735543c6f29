"""Loose side effects: ask for an index update when indexed content changes. Messages are not here: they
follow the event outbox (`search.indexing.event_index`)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from campaigns.models import CampaignPage
from messaging.models import Message
from search.indexing import index_models, label_of, update_enqueue


def page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    update_enqueue(model_label=label_of(type(instance)), object_id=instance.pk)


def object_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        update_enqueue(model_label=label_of(type(instance)), object_id=instance.pk)


def object_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    update_enqueue(model_label=label_of(type(instance)), object_id=instance.pk)


def signals_connect() -> None:
    page_published.connect(page_changed, sender=CampaignPage, dispatch_uid="search_campaign_published")
    page_unpublished.connect(page_changed, sender=CampaignPage, dispatch_uid="search_campaign_unpublished")
    for model in index_models():
        uid = f"search_{label_of(model)}"
        post_delete.connect(object_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
        if not issubclass(model, Message | CampaignPage):
            post_save.connect(object_saved, sender=model, dispatch_uid=f"{uid}_saved")
