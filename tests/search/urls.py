from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from hub.urls import urlpatterns as hub_urlpatterns

urlpatterns = [
    *i18n_patterns(path("search/", include("search.urls")), prefix_default_language=True),
    *hub_urlpatterns,
]
