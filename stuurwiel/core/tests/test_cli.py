"""The ``stuurwiel`` console command: how ``serve`` starts the server."""

import sys

import pytest

from stuurwiel import cli


def test_serve_runs_gunicorn_on_the_given_address(monkeypatch):
    seen = {}
    monkeypatch.setattr("gunicorn.app.wsgiapp.run", lambda: seen.setdefault("argv", sys.argv[:]))
    monkeypatch.setattr(sys, "argv", ["stuurwiel"])
    cli.main(["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "5"])
    argv = seen["argv"]
    assert "stuurwiel.wsgi:application" in argv
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "5"


def test_serve_dev_uses_the_development_server(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_django", calls.append)
    cli.main(["serve", "--dev", "--port", "8001"])
    assert calls == [["runserver", "127.0.0.1:8001", "--noreload"]]


def test_unknown_serve_option_is_refused():
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", "--speed", "fast"])
    assert "--speed" in str(stopped.value)


def _nothing_starts(monkeypatch) -> list:
    """Record every migration, command or server the CLI would start."""
    started: list = []
    monkeypatch.setattr("gunicorn.app.wsgiapp.run", lambda: started.append("gunicorn"))
    monkeypatch.setattr(
        "django.core.management.commands.migrate.Command.handle",
        lambda *a, **k: started.append("migrate"),
    )
    monkeypatch.setattr(
        "django.core.management.commands.runserver.Command.handle",
        lambda *a, **k: started.append("runserver"),
    )
    return started


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_help_of_demo_and_serve_prints_options_and_starts_nothing(command, monkeypatch, capsys):
    started = _nothing_starts(monkeypatch)
    monkeypatch.setattr(cli, "_django", lambda argv: started.append(argv))
    for flag in ("--help", "-h"):
        cli.main([command, "--port", "9000", flag])
    assert started == []
    out = capsys.readouterr().out
    assert f"usage: stuurwiel {command}" in out
    assert "--port P" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["frameworks", "load", "--help"],
        ["frameworks", "list", "--help"],
        ["organisation", "create", "--help"],
        ["user", "create", "--help"],
        ["token", "create", "--help"],
        ["manage", "migrate", "--help"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_help_of_each_command_prints_its_usage_and_touches_no_database(argv, monkeypatch, capsys):
    # No django_db mark: pytest-django fails the test on any database access.
    started = _nothing_starts(monkeypatch)
    monkeypatch.delenv("SECRET_KEY", raising=False)  # help needs no production secret
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    assert stopped.value.code == 0
    assert started == []
    assert "usage: stuurwiel" in capsys.readouterr().out


@pytest.mark.parametrize("group", ["frameworks", "organisation", "user", "token"])
def test_a_command_group_alone_or_with_help_lists_its_commands(group, capsys):
    for argv in ([group], [group, "--help"]):
        cli.main(argv)
        out = capsys.readouterr().out
        assert f"stuurwiel {group} " in out
        assert "unknown" not in out


def test_demo_prints_the_address_it_serves(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(cli, "_django", calls.append)
    monkeypatch.setattr(cli, "_serve", lambda args, options: calls.append(("serve", options)))
    cli.main(["demo", "--port", "8010"])
    assert "http://127.0.0.1:8010/" in capsys.readouterr().out
    assert calls[-1][1]["port"] == "8010"
    cli.main(["demo", "--host", "0.0.0.0", "--port", "8011"])
    assert "http://127.0.0.1:8011/" in capsys.readouterr().out


def test_demo_refuses_a_wrong_option_before_migrating(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "_django", calls.append)
    for argv in (["demo", "--prot", "8010"], ["demo", "--port", "eighty"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
    assert calls == []
