from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from institution_space.views import activities, integrations, messages

app_name = "institution_space"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="institution_space/login.html", redirect_authenticated_user=False),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("institution_space:login")), name="logout"),
    path("", messages.home, name="home"),
    path("changes/seen/", messages.changes_seen, name="changes_seen"),
    path("messages/<uuid:key>/", messages.message_detail, name="message"),
    path("messages/<uuid:key>/acknowledge/", messages.acknowledge, name="acknowledge"),
    path("messages/<uuid:key>/acknowledge-withdrawal/", messages.acknowledge_withdrawal, name="acknowledge_withdrawal"),
    path("activities/", activities.activity_list, name="activities"),
    path("activities/<int:activity_id>/", activities.activity_update_view, name="activity_update"),
    path("keys/", integrations.key_list, name="keys"),
    path("keys/<str:key_id>/rotate/", integrations.key_rotate, name="key_rotate"),
    path("keys/<str:key_id>/revoke/", integrations.key_revoke, name="key_revoke"),
    path("webhooks/", integrations.endpoint_list, name="webhooks"),
    path("webhooks/<int:endpoint_id>/rotate/", integrations.endpoint_rotate, name="endpoint_rotate"),
    path("webhooks/<int:endpoint_id>/revoke/", integrations.endpoint_revoke_view, name="endpoint_revoke"),
]
