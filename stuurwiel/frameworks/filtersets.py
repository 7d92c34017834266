import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from stuurwiel.core.filtersets import SearchFilterSet
from stuurwiel.frameworks.models import Framework, FrameworkPart, GuidingQuestion


class FrameworkPartFilterSet(SearchFilterSet):
    """Find parts across frameworks: by framework, by kind and by words in their
    names, texts or guiding questions (either language)."""

    search_fields = (
        "ref_id",
        "name_nl",
        "name_en",
        "description_nl",
        "description_en",
        "short_question_nl",
        "short_question_en",
    )
    framework = django_filters.ModelChoiceFilter(
        queryset=Framework.objects.order_by("name_nl"),
        to_field_name="ref_id",
        label=_("Framework"),
        empty_label=_("All frameworks"),
    )
    # AllValuesFilter: the kinds are the libraries' own words, read from the data.
    kind = django_filters.AllValuesFilter(
        field_name="kind", label=_("Kind"), empty_label=_("All kinds")
    )

    class Meta:
        model = FrameworkPart
        fields = ["q", "framework", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        # Exists, not a join: a part with several matching questions is listed once.
        questions = GuidingQuestion.objects.filter(part=OuterRef("pk")).filter(
            Q(text_nl__icontains=value) | Q(text_en__icontains=value)
        )
        return queryset.filter(condition | Exists(questions))
