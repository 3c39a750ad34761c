"""The tip line, served under the language prefix (none for Indonesian, /en/ for English)."""

from django.urls import path

from . import views

app_name = "tips"

urlpatterns = [
    path("tips/", views.submit, name="submit"),
    path("tips/correction/<slug:slug>/", views.submit, name="correction"),
    path("tips/thanks/", views.thanks, name="thanks"),
]
