"""Factories with traits, so tests state only what matters to them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale

from institutions.models import Institution
from messaging.models import Message, Topic
from messaging.services.messages import message_approve_step, message_submit


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")

    @factory.post_generation
    def password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        self.set_password(extracted or "pass")
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"institution-{n}")
    name_ar = factory.Sequence(lambda n: f"مؤسسة {n}")
    name_en = factory.Sequence(lambda n: f"Institution {n}")
    kind = "ministry"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"موضوع {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    locale = factory.LazyFunction(lambda: locale("ar"))


def message_body(pillar: str = "الركيزة الأولى", points: tuple[str, ...] = ("نقطة حوار أولى",)) -> list:
    return [
        ("pillar", {"title": pillar, "talking_points": list(points)}),
        ("qa", {"question": "ما الهدف؟", "answer": "رسائل متسقة من توجه موحد."}),
        (
            "fact",
            {"statement": "عقد اللقاء العاشر للتواصل الحكومي.", "source_title": "خبر", "source_url": ""},
        ),
        ("avoid", "لا نعد بنتائج قبل الاعتماد الرسمي"),
    ]


class MessageFactory(factory.django.DjangoModelFactory):
    """A draft Arabic message with one saved revision. Traits put it in a state through the real lifecycle:
    `live=True` (released through the workflow, like `create_published`), `embargoed=True` (live, its public
    embargo a day ahead), `expired=True` (released, then expired by the expiry action), `translated=True` (with
    its English translation released beside it), and `addressed_to=[…]` (its audience: those institutions only)."""

    class Meta:
        model = Message
        skip_postgeneration_save = True

    class Params:
        live = factory.Trait(lifecycle_state="live")
        embargoed = factory.Trait(
            lifecycle_state="live", embargo_until=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
        expired = factory.Trait(lifecycle_state="expired")
        translated = factory.Trait(lifecycle_state="live", translation_language="en")

    lifecycle_state: str | None = None  # taken out before the row is created; acted on after post-generation
    translation_language: str | None = None

    title = factory.Sequence(lambda n: f"رسالة {n}")
    key_message = "رسائل حكومية متسقة عبر توجه موحد"
    body = factory.LazyFunction(message_body)
    topic = factory.SubFactory(TopicFactory)
    owner = factory.SubFactory(InstitutionFactory)
    locale = factory.LazyFunction(lambda: locale("ar"))
    audience_all = True
    is_public = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Message:
        # A new row is a draft (the model's default is Wagtail's `live=True`); going live is the `live` trait's job,
        # through the workflow.
        kwargs["live"] = False
        state, translation = kwargs.pop("lifecycle_state", None), kwargs.pop("translation_language", None)
        message = super()._create(model_class, *args, **kwargs)
        message._factory_state = (state, translation)
        return message

    @factory.post_generation
    def audience_of(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not None:
            self.audience_all = False
            self.is_public = False  # only a message to everyone may be public
            self.save(update_fields=["audience_all", "is_public"])
            self.audience.set(extracted)

    @factory.post_generation
    def addressed_to(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not None:
            self.audience_all = False
            self.is_public = False  # only a message to everyone may be public
            self.save(update_fields=["audience_all", "is_public"])
            self.audience.set(extracted)

    @factory.post_generation
    def revision(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save_revision(user=extracted)

    @classmethod
    def _after_postgeneration(cls, instance: Message, create: bool, results: Any = None) -> None:
        """The traits' lifecycle, once the audience and the first revision exist: through the workflow."""
        state, translation = getattr(instance, "_factory_state", (None, None))
        if not create or state is None:
            return
        released = release(instance)
        if translation:
            translated = MessageFactory.create(
                locale=locale(translation), translation_key=instance.translation_key, topic=instance.topic,
                owner=instance.owner, audience_all=instance.audience_all, is_public=instance.is_public,
                title=f"{instance.title} ({translation})", key_message="One consistent line",
            )  # fmt: skip
            if not instance.audience_all:
                translated.audience.set(instance.audience.all())
                translated.save(update_fields=["audience_all", "is_public"])
                translated.save_revision()
            release(translated)
        if state == "expired":
            released.unpublish(set_expired=True)
        instance.refresh_from_db()

    @classmethod
    def create_published(cls, **kwargs: Any) -> Message:
        """Released through the workflow. A translation is released beside an Arabic source of its own (created and
        released first when there is none), as a translation cannot go live before its source."""
        language = kwargs.get("locale")
        if language is not None and language.language_code != "ar":
            key = kwargs.setdefault("translation_key", uuid.uuid4())
            if not Message.objects.filter(translation_key=key, locale__language_code="ar").exists():
                source_fields = {name: value for name, value in kwargs.items() if name != "locale"}
                release(cls.create(**source_fields))
        return release(cls.create(**kwargs))


def lifecycle_people() -> dict[str, Any]:
    """An author and two approvers for `release`, one per workflow role."""
    return {
        "author": UserFactory(username="factory-author", groups=["Communicators"]),
        "reviewer": UserFactory(username="factory-reviewer", groups=["Reviewers"]),
        "approver": UserFactory(username="factory-approver", groups=["Approvers"]),
    }


def release(
    message: Message, *, before_translation: bool | None = None, people: dict[str, Any] | None = None
) -> Message:
    """Put a message's latest revision through the approval workflow as people do: submitted by an author, approved
    by a reviewer, then by an approver. A first release of an Arabic source goes "Arabic now, translation to follow"
    unless its translation is ready (`before_translation=False` makes it wait, as the admin does by default)."""
    from messaging.lifecycle import ready_translation, required_languages

    people = people or lifecycle_people()
    message = Message.objects.get(pk=message.pk)
    if message.latest_revision is None:
        message.save_revision(user=people["author"])
    if before_translation is None:
        before_translation = message.is_source and any(
            ready_translation(message, message.latest_revision, code) is None for code in required_languages()
        )
    message_submit(message=message, user=people["author"])
    message_approve_step(message=message, user=people["reviewer"])
    message_approve_step(message=message, user=people["approver"], release_before_translation=before_translation)
    message.refresh_from_db()
    return message
