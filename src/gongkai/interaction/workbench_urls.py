from django.urls import path

from . import wb_views as v

app_name = "interaction_wb"

urlpatterns = [
    path("", v.index, name="index"),
    path("appeals/", v.appeal_list, name="appeal-list"),
    path("appeals/<int:pk>/", v.appeal_detail, name="appeal-detail"),
    path("appeals/<int:pk>/act/<slug:name>/", v.appeal_act, name="appeal-act"),
    path("faq/", v.faq_list, name="faq-list"),
    path("faq/new/", v.faq_edit, name="faq-new"),
    path("faq/<int:pk>/", v.faq_detail, name="faq-detail"),
    path("faq/<int:pk>/edit/", v.faq_edit, name="faq-edit"),
    path("faq/<int:pk>/act/<slug:name>/", v.faq_act, name="faq-act"),
    path("consultations/", v.consultation_list, name="consultation-list"),
    path("consultations/new/", v.consultation_edit, name="consultation-new"),
    path("consultations/<int:pk>/", v.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit/", v.consultation_edit, name="consultation-edit"),
    path("consultations/<int:pk>/act/<slug:name>/", v.consultation_act, name="consultation-act"),
    path("moderation/", v.moderation, name="moderation"),
    path("comments/<int:pk>/act/<slug:name>/", v.comment_act, name="comment-act"),
    path("stats/", v.stats, name="stats"),
]
