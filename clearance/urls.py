from django.urls import path

from clearance.views import clearance_page

app_name = "clearance"
urlpatterns = [path("<str:token>/", clearance_page, name="page")]
