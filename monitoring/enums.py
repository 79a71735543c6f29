from django.db import models
from django.utils.translation import gettext_lazy as _

STATEMENT_FLAGGED = "statement.flagged"


class SourceKind(models.TextChoices):
    FEED = "feed", _("News feed (RSS or Atom)")
    PAGE = "page", _("Page")


class SourceErrorKind(models.TextChoices):
    REFUSED = "refused", _("Address refused")
    ROBOTS = "robots", _("Disallowed by robots.txt")
    HTTP_STATUS = "http_status", _("Error status")
    TIMEOUT = "timeout", _("Too slow")
    TOO_LARGE = "too_large", _("Too large")
    REDIRECTS = "redirects", _("Too many redirects")
    MALFORMED = "malformed", _("Malformed content")
    NETWORK = "network", _("Network error")
    INTERNAL = "internal", _("Processing error")


class FindingKind(models.TextChoices):
    CARRIES = "carries", _("Carries an approved line")
    RETIRED_LINE = "retired_line", _("Uses a withdrawn or superseded line")
    LINE_TO_AVOID = "line_to_avoid", _("Uses a line to avoid")
    FIGURE_MISMATCH = "figure_mismatch", _("Figure differs from the approved fact")


class RetiredReason(models.TextChoices):
    WITHDRAWN = "message.withdrawn", _("Message withdrawn")
    EXPIRED = "message.expired", _("Message expired")
    SUPERSEDED = "message.superseded", _("Message superseded")
    OLDER_VERSION = "older_version", _("Line of an older version")
