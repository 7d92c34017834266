import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.frameworks.tests.samples import alpha, beta, row_counts

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_command_loads_files_and_says_what_it_did(write_library, admin_a):
    path = write_library(alpha())
    out, _ = run("frameworks_load", str(path), "--user", admin_a.username)
    assert "alpha" in out and "1" in out
    entry = ChangeLogEntry.objects.get()
    assert (entry.actor, entry.source) == (admin_a, "command")
    out, _ = run("frameworks_load", str(path))
    assert ChangeLogEntry.objects.count() == 1


def test_a_new_version_loaded_by_command_is_logged_as_an_update(write_library, admin_a):
    run("frameworks_load", str(write_library(alpha())), "--user", admin_a.username)
    newer = alpha()
    newer["version"] += 1
    newer["name"]["nl"] = "Alfamodel herzien"
    run("frameworks_load", str(write_library(newer)), "--user", admin_a.username)
    entries = list(ChangeLogEntry.objects.order_by("id"))
    assert [(e.action, e.source, e.actor) for e in entries] == [
        ("create", "command", admin_a),
        ("update", "command", admin_a),
    ]
    assert (entries[1].before["version"], entries[1].after["version"]) == (1, 2)


def test_load_command_prints_every_error_and_exits_1(write_library):
    broken = beta()
    broken["link_types"][0]["from"] = "ghost"
    broken["coherence_rules"][0]["params"]["parts"] = ["ghost"]
    good, bad = write_library(alpha(), "good.yaml"), write_library(broken, "bad.yaml")
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("frameworks_load", str(good), str(bad), stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 1
    unknown = "Unknown part “ghost”: no part in this library has that reference."
    assert err.getvalue().splitlines() == [
        f"{bad}:coherence_rules[0].params.parts[0]: {unknown}",
        f"{bad}:link_types[0].from: {unknown}",
    ]
    assert set(row_counts().values()) == {0}


def test_load_command_without_files_asks_for_them():
    with pytest.raises(CommandError):
        run("frameworks_load")


def test_list_command_lists_frameworks_as_text_and_json(write_library):
    run("frameworks_load", str(write_library(alpha())))
    text, _ = run("frameworks_list")
    assert "alpha" in text and "Alfamodel" in text
    data = json.loads(run("frameworks_list", "--format", "json")[0])
    assert data[0]["ref_id"] == "alpha"
    assert (data[0]["parts"], data[0]["questions"]) == (3, 3)
