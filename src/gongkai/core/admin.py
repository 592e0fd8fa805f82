"""Django admin for reference data only (calendar, organisation register). Staff work happens in the workbench.

Admin edits go through the services, so they are validated and audited like any other change.
"""

from django.contrib import admin

from . import services
from .models import AuditEvent, CalendarYear, Holiday, Membership, Organisation, User


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        saved = services.holiday_save(actor=request.user, date=obj.date, kind=obj.kind, name=obj.name)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.holiday_delete(actor=request.user, holiday=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.holiday_delete(actor=request.user, holiday=obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "updated_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "credit_code", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "short_name", "credit_code"]
    readonly_fields = ["path", "depth"]

    def has_add_permission(self, request):
        return False  # created in the workbench (services validate the tree)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "full_name", "unit", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fields = ["username", "full_name", "unit", "email", "is_active"]
    readonly_fields = ["username"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
