from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "tawasul_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from search.signals import signals_connect

        signals_connect()
