from django.contrib import admin

from .models import IndexFailure, SearchLog


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ("day", "query", "count")
    list_filter = ("day",)
    search_fields = ("query",)
    date_hierarchy = "day"


@admin.register(IndexFailure)
class IndexFailureAdmin(admin.ModelAdmin):
    list_display = ("doc_id", "operation", "attempts", "updated_at")
    readonly_fields = ("doc_id", "operation", "error", "attempts", "updated_at")
