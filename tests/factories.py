import datetime
import io

import factory
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Byline,
    Country,
    Event,
    Organization,
    Outcome,
    Person,
    Section,
)


def image_bytes(fmt: str = "PNG", size=(800, 500), mode: str = "RGB") -> bytes:
    """A real image, made in memory."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size, "#a3161b" if mode == "RGB" else 1).save(buffer, fmt)
    return buffer.getvalue()


def image_upload(name: str = "anh.png", fmt: str = "PNG", size=(800, 500)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, size))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Chuyên mục {n}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "VN"
    name = "Việt Nam"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Tổ chức {n}")
    kind = Organization.Kind.COMPANY
    country = factory.SubFactory(CountryFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    organization = factory.SubFactory(OrganizationFactory)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Phóng viên {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Cuộc gặp {n}")
    start_date = datetime.date(2025, 5, 20)


class OutcomeFactory(factory.django.DjangoModelFactory):
    """Something a meeting produced, reported by ``reported_by`` (none unless given)."""

    class Meta:
        model = Outcome
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    position = factory.Sequence(lambda n: 100 + n)  # after any the seed's events have
    description = factory.Sequence(lambda n: f"Cam kết số {n}.")
    kind = Outcome.Kind.PLEDGE

    @factory.post_generation
    def reported_by(self, create, extracted, **kwargs):
        if extracted:
            self.reported_by.set(extracted)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A story readers can see: published an hour ago, unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Tin số {n}")
    sapo = "Đoạn mở đầu."
    body = "<p>Nội dung.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        for position, author in enumerate(extracted or []):
            Byline.objects.create(article=self, author=author, position=position)


def staff(username: str, group: str):
    """A member of the desk: ``Phóng viên`` (reporter) or ``Biên tập viên`` (editor)."""
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def signed_in(user) -> Client:
    """A browser of the desk signed in as ``user``: one per person, as in a newsroom."""
    client = Client()
    client.force_login(user)
    return client
