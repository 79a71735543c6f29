"""Wagtail's own admin strings that the project translates differently (docs/arabic-glossary.md).

Never imported: `make messages` (makemessages) reads this file, so these entries stay active in
locale/*/LC_MESSAGES/django.po instead of being set aside as obsolete, and the project's catalogue, searched before
Wagtail's, supplies their Arabic.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

WAGTAIL_STRINGS = [
    gettext_noop("You do not have permission to publish messages."),
    gettext_noop("This %(model_name)s is currently awaiting moderation."),
    gettext_noop("This {model_name} is awaiting <b>'{task_name}'</b> in the <b>'{workflow_name}'</b> workflow."),
    gettext_noop("Reviewers can edit this %(model_name)s – lock it to prevent other reviewers from editing"),
    gettext_noop(
        "This %(model_name)s was marked as needing changes at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."  # noqa: E501
    ),
    gettext_noop("This %(model_name)s is currently at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."),
    gettext_noop("Publishing this %(model_name)s will cancel the current workflow."),
    gettext_noop("Would you still like to publish this %(model_name)s?"),
    gettext_noop("Choose when this %(model_name)s should go live and/or expire"),
    gettext_noop("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    gettext_noop("Anyone can edit this %(model_name)s"),
    ngettext_lazy(
        "This %(model_name)s is referenced %(usage_count)s time.",
        "This %(model_name)s is referenced %(usage_count)s times.",
        "count",
    ),
    gettext_noop("One or more references to this %(model_name)s prevent it from being deleted."),
    gettext_noop("This %(model_name)s hasn't been submitted for moderation yet"),
    gettext_noop("Autosave is <span>paused</span>"),
    gettext_noop("Cancelled by %(cancelled_by)s"),
    gettext_noop("Locked by"),
    gettext_noop("Anyone"),
    gettext_noop("- Select an option -"),
    gettext_noop("%(model_name)s scheduled for publishing at %(go_live_at)s"),
    gettext_noop("%(model_name)s scheduled for publishing"),
    gettext_noop("%(model_name)s unscheduled for publishing at %(go_live_at)s"),
    gettext_noop("%(model_name)s unscheduled from publishing"),
    gettext_noop('You do not have permission to publish pages at "%(page_title)s"'),
    gettext_noop("unknown number"),
    gettext_noop("%(model_name)s '%(object)s' updated."),
    gettext_noop("%(model_name)s '%(object)s' created."),
    gettext_noop("%(model_name)s '%(object)s' deleted."),
    gettext_noop("%(model_name)s '%(object)s' is live and this version has been scheduled for publishing."),
    gettext_noop("%(model_name)s '%(object)s' updated and published."),
    gettext_noop("%(model_name)s '%(object)s' created and published."),
    gettext_noop("%(model_name)s '%(object)s' created and scheduled for publishing."),
    gettext_noop("%(model_name)s '%(object)s' has been submitted for moderation."),
    gettext_noop("%(model_name)s '%(object)s' created and submitted for moderation."),
    gettext_noop("Edit this %(object)s"),
    gettext_noop("Are you sure you want to delete this %(snippet_type_name)s?"),
    gettext_noop("You don't have permission to delete this %(snippet_type_name)s"),
    gettext_noop("0 minutes"),
    ngettext_lazy("%(num)d year", "%(num)d years", "count"),
    ngettext_lazy("%(num)d month", "%(num)d months", "count"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "count"),
    ngettext_lazy("%(num)d day", "%(num)d days", "count"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "count"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "count"),
    gettext_noop("Approve with comment"),
    gettext_noop("Approved"),
    gettext_noop("Request changes"),
]
