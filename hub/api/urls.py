from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from hub.api.errors import api_not_found
from institutions.api import AcknowledgementView, MeView
from messaging.api.changes import ChangeFeedView
from messaging.api.views import CampaignListView, MessageDetailView, MessageListView, TopicListView
from releases.api import CalendarFeedView, ReleaseListView
from search.api import SearchView

app_name = "api"

urlpatterns = [
    path("messages/", MessageListView.as_view(), name="messages"),
    path("messages/<uuid:message_id>/", MessageDetailView.as_view(), name="message"),
    path(
        "messages/<uuid:message_id>/acknowledgements/", AcknowledgementView.as_view(), name="message-acknowledgements"
    ),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("topics/", TopicListView.as_view(), name="topics"),
    path("campaigns/", CampaignListView.as_view(), name="campaigns"),
    path("releases/", ReleaseListView.as_view(), name="releases"),
    path("calendar.ics", CalendarFeedView.as_view(), name="calendar"),
    path("me/", MeView.as_view(), name="me"),
    path("search/", SearchView.as_view(), name="search"),
    path("alignment/", include("alignment.urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"", api_not_found),
]
