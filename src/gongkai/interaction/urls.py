from django.urls import path

from . import feeds, views

app_name = "interaction"

urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("suggest/", views.suggest, name="suggest"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_detail, name="track-detail"),
    path("track/<str:code>/supplement/", views.track_supplement, name="track-supplement"),
    path("track/<str:code>/rate/", views.track_rate, name="track-rate"),
    path("track/<str:code>/reopen/", views.track_reopen, name="track-reopen"),
    path("appeals/", views.appeal_list, name="appeal-list"),
    path("appeals/feed/rss/", feeds.AppealAnswersFeed(), name="appeals-feed-rss"),
    path("appeals/feed/atom/", feeds.AppealAnswersAtomFeed(), name="appeals-feed-atom"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal-detail"),
    path("faq/", views.faq, name="faq"),
    path("faq/<int:pk>/", views.faq_detail, name="faq-detail"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/feed/rss/", feeds.ConsultationsFeed(), name="consultations-feed-rss"),
    path("consultations/feed/atom/", feeds.ConsultationsAtomFeed(), name="consultations-feed-atom"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path(
        "consultations/<int:pk>/attachments/<int:att>/", views.consultation_attachment, name="consultation-attachment"
    ),
]
