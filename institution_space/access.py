"""Who may enter the institution space, and as what. Every view takes the member it is given: scope comes from
the signed-in user's membership, never from the address, so no address can reach another institution."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from institution_space.models import InstitutionMember

MemberView = Callable[..., HttpResponse]


def member_of(user: Any) -> InstitutionMember | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        InstitutionMember.objects.select_related("institution", "user")
        .filter(user=user, institution__is_active=True)
        .first()
    )


def member_required(*, director: bool = False) -> Callable[[MemberView], Callable[..., HttpResponse]]:
    """Anonymous callers go to the sign-in page; signed-in users who are not (active) institution users, and
    officers at a director's view, are refused with 403."""

    def decorator(view: MemberView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("institution_space:login"))
            member = member_of(request.user)
            if member is None or (director and not member.may_manage_integrations):
                raise PermissionDenied
            return view(request, member, *args, **kwargs)

        return wrapped

    return decorator
