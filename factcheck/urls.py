from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from factcheck import health
from factcheck.web import views as web_views
from factcheck.web.sitemaps import sitemap_index, sitemap_section

urlpatterns = [
    path("healthz", health.ready, name="healthz"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("healthz/live", health.live, name="healthz-live"),
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api.urls")),
    # Addresses that are the same in every language.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", web_views.robots_txt, name="robots_txt"),
    path("ratings.css", web_views.ratings_css, name="ratings_css"),
    path("favicon.ico", web_views.favicon, name="favicon"),
]

# The public site: Indonesian (the default) without a prefix, English under /en/.
# API errors are JSON even when the view failed unexpectedly; the site answers with its 500 page.
handler500 = "factcheck.api.exceptions.server_error"
handler404 = "factcheck.api.exceptions.not_found"
handler400 = "factcheck.api.exceptions.bad_request"
handler403 = "factcheck.api.exceptions.permission_denied"

urlpatterns += i18n_patterns(
    path("", include("factcheck.web.urls")),
    path("", include("factcheck.tips.urls")),
    prefix_default_language=False,
)
