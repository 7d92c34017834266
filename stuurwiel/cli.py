"""The ``stuurwiel`` console command.

A thin front over Django's management commands with the words users expect::

    stuurwiel demo [--host H] [--port P] [--workers N] [--dev]
                                        migrate, load frameworks + demo, serve
    stuurwiel serve [--host H] [--port P] [--workers N] [--dev]
    stuurwiel frameworks load FILE...   validate all, then load (idempotent)
    stuurwiel frameworks list [--format json]
    stuurwiel organisation create SLUG --name NAME [--admin USERNAME] [...]
    stuurwiel user create USERNAME [...]
    stuurwiel token create USERNAME
    stuurwiel worker [--once] [--interval S]
                                        run the background jobs (clock sweep, e-mail)
    stuurwiel manage <django command> [...]

Every command answers ``--help`` with its help and does nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys

USAGE = __doc__.split("::", 1)[1]
HELP = ("-h", "--help", "help")

SERVE_HELP = """usage: stuurwiel {command} [--host H] [--port P] [--workers N] [--dev]

{what}

options:
  --host H      address to listen on (default 127.0.0.1)
  --port P      port to listen on (default 8000)
  --workers N   gunicorn worker processes (default $STUURWIEL_WORKERS or 3)
  --dev         Django's development server instead of gunicorn
  -h, --help    show this help and do nothing else
"""
DEMO_WHAT = (
    "Migrate the database, load the four frameworks and the demo organisations\n"
    "(running it again changes nothing), then serve, with the background worker\n"
    "beside the server. Ctrl+C stops both; to start afresh, delete the data\n"
    "directory (var/, or $STUURWIEL_DATA_DIR): make demo-reset."
)
SERVE_WHAT = "Serve an existing database with gunicorn (static files through WhiteNoise)."

ALIASES: dict[tuple[str, ...], str] = {
    ("frameworks", "load"): "frameworks_load",
    ("frameworks", "list"): "frameworks_list",
    ("organisation", "create"): "organisation_create",
    ("user", "create"): "user_create",
    ("token", "create"): "token_create",
}


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    if any(arg in HELP[:2] for arg in argv) or argv[:1] == ["help"]:
        # Help reads the settings to find the commands but signs nothing: it must
        # not fail for want of the production secret.
        os.environ.setdefault("SECRET_KEY", "only-for-printing-help")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["stuurwiel", *argv])


def _serve_options(args: list[str], command: str = "serve") -> dict[str, str | bool]:
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
            sys.exit(f"stuurwiel {command}: unknown option {flag!r}")
    for name in ("port", "workers"):
        value = str(options[name])
        if not value.isdigit() or not 0 < int(value) < 65536:
            sys.exit(f"stuurwiel {command}: --{name} must be a number, got {value!r}")
    return options


def _url(options: dict[str, str | bool]) -> str:
    """The address a browser opens: every-address binds answer on loopback too."""
    host = str(options["host"])
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{options['port']}/"


def _serve(args: list[str], options: dict[str, str | bool] | None = None) -> None:
    """Serve with gunicorn (static files through WhiteNoise); ``--dev`` uses
    Django's development server instead, which reloads nothing but shows errors."""
    if options is None:
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
    options = _serve_options(args, "demo")  # refuse a wrong option before migrating
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    _django(["migrate", "--noinput", "-v", "0"])
    _django(["collectstatic", "--noinput", "-v", "0"])
    _django(["demo_load"])
    print(f"\nStuurwiel draait op / runs at: {_url(options)}  (Ctrl+C stopt / stops)\n")
    sys.stdout.flush()
    worker = _worker_start()
    try:
        _serve(args, options)
    finally:
        _worker_stop(worker)


def _worker_start() -> subprocess.Popen:
    """The background worker as a child process (same environment and settings)."""
    return subprocess.Popen([sys.executable, "-m", "stuurwiel.cli", "worker"])


def _worker_stop(worker: subprocess.Popen) -> None:
    """Stop the worker with the server: it finishes its running job first (Ctrl+C
    in the terminal reached it too); one that hangs is killed after a while."""
    if worker.poll() is None:
        worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _group_help(group: str) -> str:
    lines = [line for line in USAGE.splitlines() if line.strip().startswith(f"stuurwiel {group} ")]
    return "\n".join(lines) + "\n\nAdd --help after a command for its options."


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in HELP:
        print(USAGE)
        return
    command, args = argv[0], argv[1:]
    if command in ("demo", "serve"):
        if any(arg in HELP[:2] for arg in args):
            what = DEMO_WHAT if command == "demo" else SERVE_WHAT
            print(SERVE_HELP.format(command=command, what=what))
            return
        return _demo(args) if command == "demo" else _serve(args)
    if command == "manage":
        return _django(args or ["help"])
    if command == "worker":
        return _django(["worker", *args])
    groups = {group for group, _ in ALIASES}
    if command in groups and (not args or args[0] in HELP):
        print(_group_help(command))
        return
    alias = ALIASES.get(tuple(argv[:2]))
    if alias is None:
        sys.exit(f"stuurwiel: unknown command {' '.join(argv[:2])!r}\n{USAGE}")
    # Django's own --help of the command: prints its options, opens no database.
    _django([alias, *argv[2:]])


if __name__ == "__main__":
    main()
