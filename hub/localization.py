"""Creating and syncing translations through wagtail-localize, for pages and snippets alike.

The same path an editor takes in the translation editor: a TranslationSource extracted from the Arabic
source, one StringTranslation per segment, then `save_target` as a draft. Nothing here publishes: a translation
goes live after review, like any revision (`messaging.lifecycle`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import HttpResponse
from django.utils.translation import gettext as _
from wagtail.models import DraftStateMixin, Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.views.submit_translations import SubmitPageTranslationView, SubmitSnippetTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


class MissingStringError(ValueError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"No translation given for {len(missing)} segment(s), e.g. {missing[0][:80]!r}")


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def _lookup(strings: Mapping[str, str], data: str) -> str | None:
    return strings.get(data) or strings.get(_unescape(data))


@transaction.atomic
def translation_sync(instance: Any, *, language_code: str, strings: Mapping[str, str], user: Any = None) -> Any:
    """Create or update the `language_code` translation of `instance` from `strings` (source text → translation),
    as a draft revision by `user` (the translator).

    Strings without Arabic letters (slugs, URLs, numbers) are kept as they are. Raises `MissingStringError`
    before the translation is touched if an Arabic segment has no translation.
    """
    locale = Locale.objects.get(language_code=language_code)
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    segments = list(source.stringsegment_set.select_related("string", "context"))
    missing = [
        s.string.data for s in segments if ARABIC_LETTER.search(s.string.data) and not _lookup(strings, s.string.data)
    ]
    if missing:
        raise MissingStringError(missing)
    for segment in segments:
        text = _lookup(strings, segment.string.data) or segment.string.data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale, defaults={"enabled": True})
    # Models without drafts (topics) cannot be saved as one; they have no lifecycle to keep.
    translation.save_target(user=user, publish=not isinstance(instance, DraftStateMixin))
    return instance.get_translation(locale)


class UpdateTranslationsWithoutPublishing(UpdateTranslationsView):
    """wagtail-localize's "Sync translated …" view without its "Publish immediately" option: syncing updates the
    translation's source text; the translator then submits the translation for review."""

    def get_form(self) -> Form:
        form = super().get_form()
        form.fields.pop("publish_translations", None)
        return form

    def form_valid(self, form: Form) -> Any:
        form.cleaned_data["publish_translations"] = False
        return super().form_valid(form)


class _Refused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


class ReportsRefusedTranslations:
    """wagtail-localize's "Translate" views save each new translation and drop a `ValidationError` from that save
    (`TranslationCreator`); the view then answers 500 looking up the translation it never made. Here nothing is
    kept and the form is shown again with the reasons (the source's own rules, which its copy inherits: an embargo
    ending after the expiry, in data saved before that rule, say)."""

    request: Any
    object: Any

    def form_valid(self, form: Form) -> HttpResponse:
        locales = list(form.cleaned_data["locales"])
        response: HttpResponse | None = None
        try:
            with transaction.atomic():
                try:
                    response = super().form_valid(form)  # type: ignore[misc]
                except ObjectDoesNotExist:  # its lookup of the one locale's translation, unless another was absent
                    if all(self._translated(locale) for locale in locales):
                        raise
                missing = [locale for locale in locales if not self._translated(locale)]
                if missing:  # with several locales the view reported success
                    raise _Refused(self._reasons(missing))
        except _Refused as refused:
            messages.error(self.request, " ".join(refused.reasons))  # the template shows no form-wide errors
            return self.render_to_response(self.get_context_data())  # type: ignore[attr-defined]
        return cast(HttpResponse, response)  # set: nothing was missing

    def _translated(self, locale: Locale) -> bool:
        return type(self.object).objects.filter(translation_key=self.object.translation_key, locale=locale).exists()

    def _reasons(self, locales: list[Locale]) -> list[str]:
        """Why each locale's translation could not be saved: the same save again, its error kept."""
        source, _created = TranslationSource.get_or_create_from_instance(self.object)
        reasons = []
        for locale in locales:
            translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
            try:
                with transaction.atomic():
                    translation.save_target(user=self.request.user, publish=False)
            except ValidationError as error:
                detail = " ".join(error.messages)
            else:
                detail = _("it could not be saved.")
            reasons.append(
                _("The %(language)s translation was not created: %(detail)s Correct the source, then translate it.")
                % {"language": locale.get_display_name(), "detail": detail}
            )
        return reasons


class SubmitSnippetTranslation(ReportsRefusedTranslations, SubmitSnippetTranslationView):
    pass


class SubmitPageTranslation(ReportsRefusedTranslations, SubmitPageTranslationView):
    pass
