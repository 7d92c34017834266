"""The ``stuurwiel`` console command.

A thin front over Django's management commands with the words users expect::

    stuurwiel demo                      migrate, load frameworks + demo, serve
    stuurwiel serve [--host H] [--port P] [--workers N] [--dev]
    stuurwiel frameworks load FILE...   validate all, then load (idempotent)
    stuurwiel frameworks list [--format json]
    stuurwiel organisation create SLUG --name NAME [--admin USERNAME] [...]
    stuurwiel user create USERNAME [...]
    stuurwiel token create USERNAME
    stuurwiel manage <django command> [...]
"""

from __future__ import annotations

import os
import sys

USAGE = __doc__.split("::", 1)[1]

ALIASES: dict[tuple[str, ...], str] = {
    ("frameworks", "load"): "frameworks_load",
    ("frameworks", "list"): "frameworks_list",
    ("organisation", "create"): "organisation_create",
    ("user", "create"): "user_create",
    ("token", "create"): "token_create",
}


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["stuurwiel", *argv])


def _serve_options(args: list[str]) -> dict[str, str | bool]:
    options: dict[str, str | bool] = {
        "host": "127.0.0.1",
        "port": "8000",
        "workers": os.environ.get("STUURWIEL_WORKERS", "3"),
        "dev": False,
    }
    rest = list(args)
    while rest:
        flag = rest.pop(0)
        if flag == "--dev":
            options["dev"] = True
        elif flag in ("--host", "--port", "--workers") and rest:
            options[flag[2:]] = rest.pop(0)
        else:
            sys.exit(f"stuurwiel serve: unknown option {flag!r}")
    return options


def _serve(args: list[str]) -> None:
    """Serve with gunicorn (static files through WhiteNoise); ``--dev`` uses
    Django's development server instead, which reloads nothing but shows errors."""
    options = _serve_options(args)
    bind = f"{options['host']}:{options['port']}"
    if options["dev"]:
        _django(["runserver", bind, "--noreload"])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "stuurwiel serve",
        "stuurwiel.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(options["workers"]),
        "--access-logfile",
        "-",
        "--no-control-socket",  # not used; would be one socket in $HOME for every install
    ]
    run()


def _demo(args: list[str]) -> None:
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    _django(["migrate", "--noinput", "-v", "0"])
    _django(["collectstatic", "--noinput", "-v", "0"])
    _django(["demo_load"])
    print("\nStuurwiel draait op / runs at: http://127.0.0.1:8000/  (Ctrl+C stopt / stops)\n")
    sys.stdout.flush()
    _serve(args)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return
    if argv[0] == "demo":
        return _demo(argv[1:])
    if argv[0] == "serve":
        return _serve(argv[1:])
    if argv[0] == "manage":
        return _django(argv[1:])
    command = ALIASES.get(tuple(argv[:2]))
    if command is None:
        sys.exit(f"stuurwiel: unknown command {' '.join(argv[:2])!r}\n{USAGE}")
    _django([command, *argv[2:]])


if __name__ == "__main__":
    main()
