"""Staff workbench shell: the landing page lists the user's units, roles and what needs attention."""

from __future__ import annotations

from django.apps import apps
from django.shortcuts import render

from gongkai.core.decorators import staff_required


@staff_required
def home(request):
    memberships = request.user.memberships.select_related("unit").order_by("unit__path", "role")
    panels = []
    for config in apps.get_app_configs():
        provider = getattr(config, "workbench_panels", None)
        if provider:
            panels.extend(provider(request.user))
    return render(request, "workbench/home.html", {"memberships": memberships, "panels": panels})
