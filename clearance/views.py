"""The page an outside authority opens from its e-mail. No account: the signed token in the address is the only
credential, so the page sends no referrer (the token must not leak to another site), is never indexed or cached,
and refuses every link that cannot decide with a page that says why, changing nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clearance.enums import LinkState
from clearance.forms import ClearanceDecisionForm
from clearance.selectors import clearance_context, clearance_link_for
from clearance.services import ClearanceRefused, clearance_decide

REFUSAL_STATUS = {LinkState.INVALID: 404}  # every other refusal: 410 Gone, the link existed and is spent


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Cache-Control"] = "no-store, private"
    return response


def _refusal(request: HttpRequest, state: LinkState, link: Any = None) -> HttpResponse:
    return _private(
        TemplateResponse(
            request,
            "clearance/refused.html",
            {"state": state, "link": link},
            status=REFUSAL_STATUS.get(state, 410),
        )
    )


# No CSRF token: the page authenticates nothing by cookie. What authorises a decision is the signed token in the
# address, which a forging site cannot know; and with no referrer the browser sends `Origin: null`, which Django's
# CSRF check would refuse.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def clearance_page(request: HttpRequest, token: str) -> HttpResponse:
    state, link = clearance_link_for(token=token)
    if link is None or state != LinkState.OPEN:
        return _refusal(request, state, link)
    form = ClearanceDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = clearance_decide(
                token=token, decision=form.cleaned_data["decision"], comment=form.cleaned_data["comment"]
            )
        except ClearanceRefused as refused:
            return _refusal(request, refused.state, refused.link)
        return _private(TemplateResponse(request, "clearance/decided.html", {"link": link}))
    status = 400 if request.method == "POST" else 200
    return _private(
        TemplateResponse(request, "clearance/page.html", {**clearance_context(link), "form": form}, status=status)
    )
