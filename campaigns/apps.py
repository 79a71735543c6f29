from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # Imported here, not at the top: models load after the app registry is ready.
        from wagtail.models import Page

        from campaigns.models import CampaignPage
        from hub.api.state import api_state_watch

        api_state_watch(CampaignPage)
        api_state_watch(Page)  # a campaign page's title and translation key live in Wagtail's page table
