from django.urls import path

from campaigns.feeds import CampaignFeed, PublicFeed, TopicFeed

app_name = "feeds"

urlpatterns = [
    path("", PublicFeed(), name="site"),
    path("campaigns/<uuid:key>/", CampaignFeed(), name="campaign"),
    path("topics/<uuid:key>/", TopicFeed(), name="topic"),
]
