from django.urls import path

from . import wb_views as v

app_name = "interaction_wb"

urlpatterns = [
    path("", v.index, name="index"),
    path("appeals/", v.appeal_list, name="appeal-list"),
    path("appeals/<int:pk>/", v.appeal_detail, name="appeal-detail"),
    path("appeals/<int:pk>/accept/", v.appeal_accept, name="appeal-accept"),
    path("appeals/<int:pk>/reject/", v.appeal_reject, name="appeal-reject"),
    path("appeals/<int:pk>/assign/", v.appeal_assign, name="appeal-assign"),
    path("appeals/<int:pk>/start/", v.appeal_start, name="appeal-start"),
    path("appeals/<int:pk>/send-back/", v.appeal_send_back, name="appeal-send-back"),
    path("appeals/<int:pk>/note/", v.appeal_note, name="appeal-note"),
    path("appeals/<int:pk>/answer/", v.appeal_answer, name="appeal-answer"),
    path("appeals/<int:pk>/close/", v.appeal_close, name="appeal-close"),
    path("appeals/<int:pk>/publish/", v.appeal_publish, name="appeal-publish"),
    path("appeals/<int:pk>/unpublish/", v.appeal_unpublish, name="appeal-unpublish"),
    path("appeals/<int:pk>/promote/", v.appeal_promote, name="appeal-promote"),
    path("faq/", v.faq_list, name="faq-list"),
    path("faq/new/", v.faq_edit, name="faq-new"),
    path("faq/<int:pk>/", v.faq_detail, name="faq-detail"),
    path("faq/<int:pk>/edit/", v.faq_edit, name="faq-edit"),
    path("faq/<int:pk>/review/", v.faq_review, name="faq-review"),
    path("faq/<int:pk>/status/", v.faq_status, name="faq-status"),
    path("consultations/", v.consultation_list, name="consultation-list"),
    path("consultations/new/", v.consultation_edit, name="consultation-new"),
    path("consultations/<int:pk>/", v.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit/", v.consultation_edit, name="consultation-edit"),
    path("consultations/<int:pk>/open/", v.consultation_open, name="consultation-open"),
    path("consultations/<int:pk>/close/", v.consultation_close, name="consultation-close"),
    path("consultations/<int:pk>/report/", v.consultation_report, name="consultation-report"),
    path("consultations/<int:pk>/attach/", v.consultation_attach, name="consultation-attach"),
    path("moderation/", v.moderation, name="moderation"),
    path("comments/<int:pk>/moderate/", v.comment_moderate, name="comment-moderate"),
    path("comments/<int:pk>/adoption/", v.comment_adoption, name="comment-adoption"),
    path("stats/", v.stats, name="stats"),
]
