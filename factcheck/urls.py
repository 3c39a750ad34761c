from django.contrib import admin
from django.urls import include, path

from factcheck.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api.urls")),
    path("", include("factcheck.web.urls")),
]
