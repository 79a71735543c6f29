"""The site's URLs with uploaded images served, for browser tests (the test settings serve no media)."""

from hub.urls import *  # noqa: F403
from hub.urls import image_urlpatterns, urlpatterns

urlpatterns = [*image_urlpatterns(), *urlpatterns]
