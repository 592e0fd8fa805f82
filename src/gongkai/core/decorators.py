from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import permissions


def staff_required(view):
    """Logged-in staff only (a user with at least one role, or a superuser)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.is_staff_user(request.user):
            raise PermissionDenied(_("该账号未分配任何单位角色"))
        return view(request, *args, **kwargs)

    return wrapper
