from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    label = "releases"
    verbose_name = _("Releases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from messaging.lifecycle import release_membership_register
        from releases.actions import PublishReleaseAction, WithdrawReleaseAction
        from releases.models import Release
        from releases.selectors import pending_releases_holding, release_preview_members

        release_membership_register(pending_releases_holding)
        Release.publish_action = PublishReleaseAction
        Release.withdraw_action = WithdrawReleaseAction
        Release.preview_members = staticmethod(release_preview_members)
