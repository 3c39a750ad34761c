"""The reader pages, served under the language prefix (none for Indonesian, /en/ for English)."""

from django.urls import path

from . import feeds, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("claims/<slug:slug>/card-<int:version>.png", views.claim_card_view, name="claim_card"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections/", views.corrections, name="corrections"),
    path("feeds/verdicts.rss", feeds.VerdictsFeed(), name="feed_verdicts_rss"),
    path("feeds/verdicts.atom", feeds.VerdictsAtomFeed(), name="feed_verdicts_atom"),
    path("feeds/corrections.rss", feeds.CorrectionsFeed(), name="feed_corrections_rss"),
    path("feeds/corrections.atom", feeds.CorrectionsAtomFeed(), name="feed_corrections_atom"),
]
