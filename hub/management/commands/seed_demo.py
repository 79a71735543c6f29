from typing import Any

from django.core.management.base import BaseCommand

from hub.demo.loader import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Create the demo campaign, messages, institutions and one user per role. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_load(progress=lambda line: self.stdout.write(f"  created {line}"))
        if not report.created:
            self.stdout.write("Demo content already present; nothing created.")
        self.stdout.write(self.style.SUCCESS(f"Demo users (development password for all: {DEMO_PASSWORD}):"))
        for username, group, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<13} {group or 'superuser'}")
