from django.urls import path

from alignment.api import AlignmentView

app_name = "alignment"

urlpatterns = [
    path("", AlignmentView.as_view(), name="check"),
]
