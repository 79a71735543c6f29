"""Groups for each role, their permissions, and the "Message approval" and "Campaign approval" workflows.

Communicators draft and submit; Reviewers do the editorial step; Approvers clear and publish. Translators
translate. Only Approvers hold the publish permission, and the two-person rule binds every step.
"""

from django.db import migrations

ROLE_MODEL_PERMISSIONS = {
    "Communicators": [
        ("messaging", "message", ["add", "change", "lock", "unlock"]),
        ("messaging", "topic", ["add", "change"]),
        ("wagtail_localize", "translation", ["submit"]),
    ],
    "Translators": [
        ("messaging", "message", ["change"]),
        ("messaging", "topic", ["change"]),
        ("wagtail_localize", "translation", ["submit"]),
    ],
    "Reviewers": [
        ("messaging", "message", ["change"]),
        ("messaging", "topic", ["change"]),
    ],
    "Approvers": [
        ("messaging", "message", ["change", "publish", "lock", "unlock"]),
        ("messaging", "topic", ["add", "change", "delete"]),
        ("institutions", "institution", ["add", "change"]),
    ],
}
ROLE_PAGE_PERMISSIONS = {
    "Communicators": ["add_page", "change_page"],
    "Translators": ["change_page"],
    "Reviewers": ["change_page"],
    "Approvers": ["add_page", "change_page", "publish_page", "unlock_page"],
}
WORKFLOW_STEPS = [("Editorial review", "Reviewers"), ("Centre approval", "Approvers")]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {codename.replace('_', ' ')}"}
    )
    return permission


def create_roles_and_workflows(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TwoPersonApprovalTask = apps.get_model("messaging", "TwoPersonApprovalTask")

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    root = Page.objects.filter(depth=1).first()
    groups = {}
    for role, model_permissions in ROLE_MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(access_admin)
        for app_label, model, actions in model_permissions:
            for action in actions:
                group.permissions.add(_permission(apps, app_label, model, f"{action}_{model}"))
        if root is not None:
            for codename in ROLE_PAGE_PERMISSIONS[role]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=_permission(apps, "wagtailcore", "page", codename)
                )
        groups[role] = group

    task_type = ContentType.objects.get_or_create(app_label="messaging", model="twopersonapprovaltask")[0]
    tasks = []
    for name, role in WORKFLOW_STEPS:
        task = TwoPersonApprovalTask.objects.filter(name=name).first()
        if task is None:
            task = TwoPersonApprovalTask.objects.create(name=name, content_type=task_type, active=True)
        task.groups.add(groups[role])
        tasks.append(task)

    message_type = ContentType.objects.get_or_create(app_label="messaging", model="message")[0]
    for workflow_name in ("Message approval", "Campaign approval"):
        workflow, _ = Workflow.objects.get_or_create(name=workflow_name, defaults={"active": True})
        for order, task in enumerate(tasks):
            WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": order})
        if workflow_name == "Message approval":
            WorkflowContentType.objects.update_or_create(content_type=message_type, defaults={"workflow": workflow})
        elif root is not None:
            WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("institutions", "0001_initial"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
    ]

    operations = [migrations.RunPython(create_roles_and_workflows, migrations.RunPython.noop)]
