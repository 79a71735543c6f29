"""The public search page: public messages and live public campaign pages in the page's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from search.queries import InvalidQuery, query_parse
from search.selectors import SearchUnavailable, public_campaign_search, public_message_search


def public_search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    language = (get_language() or "ar").split("-")[0]
    context: dict[str, object] = {"q": text, "messages": [], "campaigns": [], "error": ""}
    status = 200
    if "q" in request.GET:
        try:
            query = query_parse(text, language)
        except InvalidQuery as error:
            context["error"] = error.message
            status = 400
        else:
            try:
                context["messages"] = public_message_search(query=query)
                context["campaigns"] = public_campaign_search(query=query)
            except SearchUnavailable:
                context["error"] = _("Search is unavailable for a moment; try again shortly.")
                status = 503
    return render(request, "search/public_search.html", context, status=status)
