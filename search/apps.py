from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "tawasul_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Imported here, not at the top: an app's modules that use models load after the app registry is ready.
        from messaging.services.relay import outbox_consumer_register
        from search import tasks  # noqa: F401 - registers the Celery tasks that services send by name
        from search.indexing import event_index
        from search.signals import signals_connect

        outbox_consumer_register("search", event_index, order=20)
        signals_connect()
