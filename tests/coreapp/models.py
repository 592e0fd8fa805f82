"""A ticket with a guarded state machine: the core action layer's test subject."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role
from gongkai.core.transitions import condition


def is_reviewer(ticket, user) -> bool:
    return permissions.has_role(user, Role.REVIEWER, ticket.unit)


def is_editor(ticket, user) -> bool:
    return permissions.has_role(user, Role.EDITOR, ticket.unit)


@condition("请先填写处理意见")
def has_note(ticket) -> bool:
    return bool(ticket.note)


class Ticket(ConcurrentTransitionMixin, models.Model):
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100)
    note = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    status = FSMField(default="new", protected=True)

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source="new", target="open", permission=is_editor)
    def open(self):
        pass

    @transition(field=status, source="open", target="done", permission=is_reviewer, conditions=[has_note])
    def finish(self):
        pass

    @transition(field=status, source=["new", "open"], target="rejected", permission=is_reviewer)
    def reject(self):
        pass
