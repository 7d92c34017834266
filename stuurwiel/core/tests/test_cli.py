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
