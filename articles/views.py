"""Readers' pages. Every one of them goes through ``PublicArticleMixin`` and so
through ``Article.objects.published()``: nothing unpublished can leak."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import (
    Article,
    Author,
    Event,
    Organization,
    Participant,
    Person,
    Section,
    Tag,
)


class PublicArticleMixin:
    """The published stories, with what their teasers need."""

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleListView(PublicArticleMixin, ListView):
    template_name = "articles/article_list.html"


class ArticleDetailView(PublicArticleMixin, DetailView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("source_outlet")
            .prefetch_related("tags", "organizations", "people", "events")
        )


class EntityArticlesView(PublicArticleMixin, ListView):
    """An entity's page: what it is, then its published stories, newest first."""

    entity_model = None
    article_lookup = ""

    def get_entity_queryset(self):
        return self.entity_model._default_manager.all()

    def get(self, request, *args, **kwargs):
        self.entity = get_object_or_404(self.get_entity_queryset(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(**{self.article_lookup: self.entity})

    def get_template_names(self):
        return [f"articles/{self.entity_model._meta.model_name}_detail.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.entity, **{self.entity_model._meta.model_name: self.entity}, **kwargs
        )


class SectionView(EntityArticlesView):
    entity_model, article_lookup = Section, "section"


class TagView(EntityArticlesView):
    entity_model, article_lookup = Tag, "tags"


class OrganizationView(EntityArticlesView):
    entity_model, article_lookup = Organization, "organizations"

    def get_entity_queryset(self):
        return Organization.objects.select_related("parent").prefetch_related("aliases", "people")


class PersonView(EntityArticlesView):
    entity_model, article_lookup = Person, "people"

    def get_entity_queryset(self):
        return Person.objects.select_related("organization")


class AuthorView(EntityArticlesView):
    entity_model, article_lookup = Author, "authors"

    def get_entity_queryset(self):
        return Author.objects.select_related("affiliation")


class EventView(EntityArticlesView):
    entity_model, article_lookup = Event, "events"

    def get_entity_queryset(self):
        return Event.objects.select_related("parent").prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person", "organization"),
            ),
            "outcomes",
            "children",
            "topics",
        )
