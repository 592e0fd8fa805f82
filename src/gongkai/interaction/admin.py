from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import screening, services, suggest
from .models import AppealType, Policy, SensitiveWord, SynonymGroup, TopicWord


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "due_soon_days", "duplicate_window_hours", "open311_require_api_key"]


class AppealTypeForm(forms.ModelForm):
    time_limit_days = forms.IntegerField(
        label=_("办理时限（工作日）"),
        min_value=1,
        max_value=365,
        help_text=_("保存后修改对应的法定期限（工作台 › 法定期限），并重新计算在办留言的办理期限"),
    )

    class Meta:
        model = AppealType
        fields = ["code", "name", "description", "sort_order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["time_limit_days"].initial = self.instance.time_limit_days
            self.fields["code"].disabled = True  # the period's code is derived from it


@admin.register(AppealType)
class AppealTypeAdmin(admin.ModelAdmin):
    """Types go through the services, so a type's time limit is its legal period (audited)."""

    form = AppealTypeForm
    list_display = ["code", "name", "time_limit_days", "period", "is_active", "sort_order"]

    @admin.display(description=_("办理时限（工作日）"))
    def time_limit_days(self, obj):
        return obj.time_limit_days

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.appeal_type_update(
                actor=request.user,
                appeal_type=obj,
                time_limit_days=data["time_limit_days"],
                name=data["name"],
                description=data["description"],
                sort_order=data["sort_order"],
                is_active=data["is_active"],
            )
        else:
            created = services.appeal_type_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                time_limit_days=data["time_limit_days"],
                sort_order=data["sort_order"],
                is_active=data["is_active"],
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # appeals keep their type; deactivate instead


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
