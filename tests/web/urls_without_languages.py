"""The reader pages without the language prefix: a URLconf for tests that change ROOT_URLCONF."""

from django.urls import include, path

urlpatterns = [path("reader/", include("factcheck.web.urls"))]
