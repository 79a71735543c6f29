import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from health_check.views import HealthCheckView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from campaigns.sitemaps import SITEMAPS
from campaigns.views import message_detail
from hub.api.v2 import api_router
from hub.localization import SubmitPageTranslation, SubmitSnippetTranslation, UpdateTranslationsWithoutPublishing

urlpatterns = [
    # Ahead of wagtail-localize's own view at the same address: syncing never publishes.
    path(
        "admin/localize/update/<int:translation_source_id>/",
        require_admin_access(UpdateTranslationsWithoutPublishing.as_view()),
        name="update_translations_without_publishing",
    ),
    # Ahead of wagtail-localize's own "Translate" views: a translation its save refused is reported, not a 500.
    path(
        "admin/localize/submit/page/<int:page_id>/",
        require_admin_access(SubmitPageTranslation.as_view()),
        name="submit_page_translation_reporting_refusals",
    ),
    path(
        "admin/localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
        require_admin_access(SubmitSnippetTranslation.as_view()),
        name="submit_snippet_translation_reporting_refusals",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("hub.api.urls")),
    path("api/v2/", api_router.urls),
    path(
        "health/",
        HealthCheckView.as_view(checks=["health_check.checks.Database", "health_check.checks.Cache"]),
        name="health",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", RedirectView.as_view(url=f"/{settings.LANGUAGE_CODE}/", permanent=False)),
]


def image_urlpatterns() -> list[URLPattern]:
    """Uploaded images (originals and renditions) under `MEDIA_URL`, where no web server serves them. Never the
    rest of `MEDIA_ROOT`: documents go through Wagtail's view (their extension's content type, attachment,
    collection privacy), and a document's file read from `media/documents/` would bypass all of it."""
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [
        re_path(rf"^{prefix}(?P<path>(?:original_images|images)/[^/]+)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]


if settings.DEBUG or getattr(settings, "TAWASUL_SERVE_MEDIA", False):
    urlpatterns += image_urlpatterns()

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("clearance/", include("clearance.urls")),
    path("institution/", include("institution_space.urls")),
    path("feeds/", include("campaigns.feed_urls")),
    path("messages/<uuid:key>/", message_detail, name="public-message"),
    path("subscriptions/", include("subscriptions.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "hub.error_pages.bad_request"
handler403 = "hub.error_pages.permission_denied"
handler404 = "hub.error_pages.page_not_found"
handler500 = "hub.error_pages.server_error"
