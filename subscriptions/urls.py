from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("<str:kind>/<uuid:key>/", views.subscribe, name="subscribe"),
    path("pending/", views.pending, name="pending"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
