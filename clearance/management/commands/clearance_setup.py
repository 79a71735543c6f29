"""Adds an outside clearance step to a workflow (by default between the message workflow's two internal steps)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from wagtail.models import Workflow, WorkflowTask

from clearance.models import OutsideClearanceTask
from messaging.models.workflow_names import name_set


class Command(BaseCommand):
    help = "Create an outside clearance task and insert it into a workflow after a given step (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workflow", default="Message approval")
        parser.add_argument("--after", default="Editorial review", help="the step it follows")
        parser.add_argument("--name", default="Outside clearance")
        parser.add_argument("--name-ar", default="الاعتماد من جهة خارجية", help="the step's name in the Arabic admin")
        parser.add_argument("--group", action="append", dest="groups", help="groups that send links (repeatable)")
        parser.add_argument("--hours", type=int, default=72, help="how long a link stays valid")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        workflow = Workflow.objects.filter(name=options["workflow"]).first()
        if workflow is None:
            raise CommandError(f"No workflow named {options['workflow']!r}.")
        task, _created = OutsideClearanceTask.objects.get_or_create(
            name=options["name"], defaults={"validity_hours": options["hours"]}
        )
        if options["name_ar"]:
            name_set(task, "ar", options["name_ar"])
        task.groups.add(*Group.objects.filter(name__in=options["groups"] or ["Reviewers", "Approvers"]))
        steps = list(workflow.workflow_tasks.order_by("sort_order").select_related("task"))
        if any(step.task_id == task.pk for step in steps):
            self.stdout.write(f"{task.name!r} is already a step of {workflow.name!r}.")
            return
        position = next((i + 1 for i, step in enumerate(steps) if step.task.name == options["after"]), len(steps))
        steps.insert(position, WorkflowTask(workflow=workflow, task=task))
        for order, step in enumerate(steps):
            step.sort_order = order
            step.save()
        self.stdout.write(f"{task.name!r} is step {position + 1} of {workflow.name!r}.")
