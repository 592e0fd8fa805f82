from django.contrib import admin

from . import screening, suggest
from .models import AppealType, Policy, SensitiveWord, SynonymGroup, TopicWord


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reopen_days", "due_soon_days", "duplicate_window_hours", "consultation_min_days"]


@admin.register(AppealType)
class AppealTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_limit_days", "is_active", "sort_order"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["words", "is_active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        suggest.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        suggest.invalidate()


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ["word", "category", "is_active"]
    search_fields = ["word"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        screening.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        screening.invalidate()


@admin.register(TopicWord)
class TopicWordAdmin(admin.ModelAdmin):
    search_fields = ["name"]
