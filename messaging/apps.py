from django.apps import AppConfig
from django.db.models.signals import post_init, pre_save
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from messaging.models.workflow_names import name_edited, name_localize

        # Every Task subclass is its own sender, so these listen to all models and pick workflows and tasks.
        post_init.connect(name_localize, dispatch_uid="workflow_name_localize")
        pre_save.connect(name_edited, dispatch_uid="workflow_name_edited")

        # Imported here, not at the top: models and selectors load after the app registry is ready.
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail_localize.models import TranslationSource

        from campaigns.models import CampaignPage
        from hub.api.state import api_state_instants_register, api_state_watch
        from messaging import tasks  # noqa: F401 - registers the Celery tasks that services send by name
        from messaging.actions import PublishMessageAction, UnpublishMessageAction
        from messaging.api.media import media_resolved
        from messaging.lifecycle import release_hold, translation_extract_follows_held_update
        from messaging.models import Message, MessageEvent, Topic
        from messaging.selectors import next_visibility_change, public_messages_for_campaign

        Message.publish_action = PublishMessageAction
        Message.unpublish_action = UnpublishMessageAction
        CampaignPage.key_messages_selector = staticmethod(public_messages_for_campaign)
        CampaignPage.publish_hold = staticmethod(release_hold)
        CampaignPage.media_resolver = staticmethod(media_resolved)
        # Images and documents too: a message's media in the API name their files (a replaced file has new renditions).
        for model in (Message, Message.audience.through, Topic, get_image_model(), get_document_model()):
            api_state_watch(model)
        api_state_watch(MessageEvent, operations=("INSERT", "DELETE"))  # the relay's bookkeeping changes nothing
        api_state_instants_register(next_visibility_change)
        pre_save.connect(
            translation_extract_follows_held_update, sender=TranslationSource, dispatch_uid="held_update_extract"
        )
