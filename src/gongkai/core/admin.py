"""Django admin for reference data only (calendar, organisation register). Staff work happens in the workbench.

Admin edits go through the services, so they are validated and audited like any other change.
"""

from django.contrib import admin

from . import permissions, services
from .models import AuditEvent, CalendarYear, Holiday, Membership, Organisation, User


class SysadminReferenceData:
    """Reference data is maintained by system administrators (role or Django superuser)."""

    def has_module_permission(self, request):
        return permissions.is_configuration_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_configuration_admin(request.user)

    def has_add_permission(self, request):
        return permissions.is_configuration_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_configuration_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_configuration_admin(request.user)


class SysadminReadOnly(SysadminReferenceData):
    """Visible to system administrators; changed only in the workbench (through the services)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(SysadminReferenceData, admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # The date identifies the row; to move a holiday, delete it and add the new date.
        return ["date"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.holiday_save(actor=request.user, date=obj.date, kind=obj.kind, name=obj.name)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.holiday_delete(actor=request.user, holiday=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.holiday_delete(actor=request.user, holiday=obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(SysadminReadOnly, admin.ModelAdmin):
    """Years become known by importing or entering their holidays (audited services)."""

    list_display = ["year", "source", "updated_at"]


@admin.register(Organisation)
class OrganisationAdmin(SysadminReadOnly, admin.ModelAdmin):
    """The organisation register is maintained in the workbench (services validate the tree)."""

    list_display = ["name", "kind", "level", "credit_code", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "short_name", "credit_code"]
    readonly_fields = ["path", "depth"]


@admin.register(User)
class UserAdmin(SysadminReadOnly, admin.ModelAdmin):
    """Staff accounts are managed in the workbench (工作人员), so every change is audited."""

    list_display = ["username", "full_name", "unit", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fields = ["username", "full_name", "unit", "email", "is_active", "last_login"]


@admin.register(Membership)
class MembershipAdmin(SysadminReadOnly, admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]


@admin.register(AuditEvent)
class AuditEventAdmin(SysadminReadOnly, admin.ModelAdmin):
    list_display = ["id", "created_at", "actor_name", "action", "object_type", "object_id", "chain_seq"]
    list_filter = ["action"]

    def has_delete_permission(self, request, obj=None):
        # Never, for anyone (superusers included): events are kept at least 180 days (网络安全法 art. 21)
        # and leave only through `gongkai audit purge`, which archives them and moves the chain anchor.
        return False
