from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.views import healthz

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("persons/", include("cases.urls")),
    path("families/", include("families.urls")),
    path("conversations/", include("conversations.urls")),
    path("meetings/", include("meetings.urls")),
    path("exit/", include("exitprogram.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("reminders.urls")),
    path("inbox/", include("inbox.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]
