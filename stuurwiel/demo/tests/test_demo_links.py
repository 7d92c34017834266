"""Every link a page shows a demo user leads somewhere that user may go: no link
answers 403 (the roles hide what they do not open), 404 or 500. One page per kind
of URL is followed (ids and page numbers count as the same kind), for every role."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from stuurwiel.organisations.choices import Role

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/admin/", "/accounts/logout", "/api/docs", "/api/redoc")
USERS = [*Role.values, "nieuwdorp_architect"]


def _kind(url: str) -> str:
    return re.sub(r"\d+", "N", url)


def _followed(client: Client) -> tuple[int, list[tuple[str, int, str]]]:
    todo: list[tuple[str, str]] = [("/", "")]
    kinds: set[str] = set()
    broken = []
    while todo:
        url, found_on = todo.pop()
        url = url.replace("&amp;", "&")
        if url.startswith(SKIP) or _kind(url) in kinds:
            continue
        kinds.add(_kind(url))
        response = client.get(url)
        if response.status_code == 302:
            todo.append((response["Location"], found_on))
        elif response.status_code != 200:
            broken.append((url, response.status_code, found_on))
        elif response["Content-Type"].startswith("text/html"):
            todo.extend((link, url) for link in HREF.findall(response.content.decode()))
    return len(kinds), broken


@pytest.mark.parametrize("username", USERS)
def test_every_link_shown_to_a_role_can_be_followed(report, username, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    visited, broken = _followed(client)
    assert visited > 10
    assert broken == [], f"{username}: links that fail (url, status, found on): {broken}"
