from django.urls import path

from . import feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.index, name="index"),
    path("policies/", views.policies, name="policies"),
    path("interpretations/", views.interpretations, name="interpretations"),
    path("library/", views.library, name="library"),
    path("types/<slug:doc_type>/", views.by_type, name="type"),
    path("units/<int:unit_id>/", views.by_unit, name="unit"),
    path("domains/<int:domain_id>/", views.by_domain, name="domain"),
    path("<int:pk>/", views.detail, name="detail"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("feed/rss/", feeds.PublicationsFeed(), name="feed-rss"),
    path("feed/atom/", feeds.PublicationsAtomFeed(), name="feed-atom"),
]
