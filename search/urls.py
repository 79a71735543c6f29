from django.urls import path

from search.views import public_search

app_name = "search"

urlpatterns = [path("", public_search, name="public")]
