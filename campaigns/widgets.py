from __future__ import annotations

from typing import Any

from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Locale

from campaigns.models import CampaignIndexPage


class CampaignChooser(AdminPageChooser):
    """Wagtail's page chooser for a campaign page that opens at the campaign index (of the reader's language when
    there is one), not at the root of the page tree three clicks away."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("target_models", ["campaigns.CampaignPage"])
        super().__init__(**kwargs)

    def get_js_init_options(self, id_: str, name: str, value_data: Any) -> dict[str, Any]:
        options = super().get_js_init_options(id_, name, value_data)
        if "parentId" not in options:
            index = campaign_index_for_chooser()
            if index is not None:
                options["parentId"] = index
        return options


def campaign_index_for_chooser() -> int | None:
    indexes = CampaignIndexPage.objects.order_by("path")
    try:
        in_language = indexes.filter(locale=Locale.get_active()).values_list("pk", flat=True).first()
    except Locale.DoesNotExist:
        in_language = None
    return in_language or indexes.values_list("pk", flat=True).first()
