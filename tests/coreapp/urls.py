"""URLs for the core action-layer tests: the workbench action view and the API routes."""

from django.shortcuts import get_object_or_404
from django.urls import include, path
from rest_framework import serializers, viewsets

from gongkai.core import permissions
from gongkai.core.actions import action_view, add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission, Router

from .actions import TICKET_ACTIONS
from .models import Ticket


class TicketSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = ["id", "title", "status", "note", "reason", "actions"]

    def get_actions(self, obj) -> list[dict]:
        return api_links(TICKET_ACTIONS, self.context["request"], obj, url_name="ticket-act-{action}")


class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TicketSerializer
    permission_classes = [OrgScopedPermission]

    def get_queryset(self):
        return permissions.scope(Ticket.objects.all(), self.request.user)


add_api_actions(TicketViewSet, TICKET_ACTIONS, response_serializer=TicketSerializer)

router = Router()
router.register("tickets", TicketViewSet, basename="ticket")


def _get(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    permissions.require_view(request.user, ticket.unit)
    return ticket


act = action_view(TICKET_ACTIONS, get_object=_get, success_url=lambda t: f"/tickets/{t.pk}/")

urlpatterns = [
    path("tickets/<int:pk>/act/<slug:name>/", act, name="ticket-wb-act"),
    path("api/", include(router.urls)),
    path("", include("gongkai.urls")),  # the shells' navigation and the rest of the product
]
