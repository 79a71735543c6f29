from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from institutions.enums import ApiScope
from institutions.models import Institution, InstitutionAPIKey


class Command(BaseCommand):
    help = "Issue an API key for an institution. The key is shown once, on the last line; store it safely."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--institution", required=True, help="The institution's slug.")
        parser.add_argument("--scopes", default="read", help="Comma-separated: read, acknowledge.")
        parser.add_argument("--name", default="", help="A label to recognise the key by.")
        parser.add_argument("--expires-in-days", type=int, default=None, help="Expire after this many days.")

    def handle(self, *args: Any, **options: Any) -> None:
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            known = ", ".join(Institution.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No institution with slug {options['institution']!r} (known: {known}).")
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        unknown = sorted(set(scopes) - set(ApiScope.values))
        if unknown or not scopes:
            raise CommandError(f"Unknown scope(s) {unknown or scopes}; choose from {', '.join(ApiScope.values)}.")
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        _, key = InstitutionAPIKey.objects.create_key(
            name=options["name"] or f"{institution.slug} ({', '.join(scopes)})",
            institution=institution,
            scopes=scopes,
            expiry_date=timezone.now() + timedelta(days=days) if days else None,
        )
        self.stderr.write(f"Key for {institution.slug} with scopes {', '.join(scopes)}; it will not be shown again.")
        self.stdout.write(key)
