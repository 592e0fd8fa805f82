from django import forms
from django.db import transaction

from gongkai.core import permissions, transitions
from gongkai.core.actions import Action, ActionForm, ActionSet
from gongkai.core.models import Role


def _run(name, **extra):
    @transaction.atomic
    def execute(*, actor, obj, data):
        def update(ticket):
            for key, value in {**extra, **data}.items():
                setattr(ticket, key, value)

        return transitions.run(obj, name, actor=actor, action=f"coreapp.ticket.{name}", update=update)

    return execute


class RejectForm(ActionForm):
    reason = forms.CharField(label="理由", max_length=200)

    def clean_reason(self):
        if "测试" in self.cleaned_data["reason"] and self.obj is not None and self.obj.title == "拒收":
            raise forms.ValidationError("此工单不接受测试理由")
        return self.cleaned_data["reason"]


class NoteForm(ActionForm):
    note = forms.CharField(label="处理意见", max_length=200)


@transaction.atomic
def _note(*, actor, obj, data):
    from .models import Ticket

    ticket = Ticket.objects.select_for_update().get(pk=obj.pk)
    ticket.note = data["note"]
    ticket.save(update_fields=["note"])
    return ticket


TICKET_ACTIONS = ActionSet(
    "ticket",
    [
        Action("open", "开始处理", transition="open", execute=_run("open"), style="primary"),
        Action(
            "note",
            "填写意见",
            form_class=NoteForm,
            allowed=lambda user, obj: permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], obj.unit),
            execute=_note,
        ),
        Action("finish", "办结", transition="finish", execute=_run("finish")),
        Action("reject", "驳回", transition="reject", form_class=RejectForm, execute=_run("reject"), style="danger"),
    ],
)
