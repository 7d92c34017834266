"""Reads for parties: querysets with what their list and detail pages need joined."""

from django.db.models import Count

from stuurwiel.parties.models import Person, Stakeholder, Supplier, Team


def team_queryset():
    return (
        Team.objects.select_related("organisation", "coordinator")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )


def person_queryset():
    return Person.objects.select_related("organisation", "team", "supplier", "user")


def supplier_queryset():
    return Supplier.objects.select_related("organisation")


def stakeholder_queryset():
    return Stakeholder.objects.select_related("organisation", "contact")
