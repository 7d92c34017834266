"""Stuurwiel's team API list against Nautobot's team list, 100,000 rows each, in one run.

Both are served by gunicorn on this machine with PostgreSQL and asked over HTTP,
one request at a time, alternately, so they share the machine's state. Run from
the repository root, after ``bash bench/peer_nautobot.sh install`` and
``bash bench/peer_nautobot.sh serve`` (which start the peer on 127.0.0.1:8203)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/lists_peer.py

It builds (once; found again by its slug) an organisation ``bench-peer-<rows>`` with
``--rows`` teams in the ``DATABASE_URL`` database, serves it with ``stuurwiel serve``
on ``--port`` (8103) for the run, and prints for the first and a late page (90 % of
the way) of each the median (p50) and p95 time seen by the client, and the ratio
Stuurwiel/Nautobot. Nautobot pages with ``limit``/``offset``, Stuurwiel with
``page``; both 50 rows a page. Without a running peer it prints Stuurwiel's figures
alone. Times depend on the machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lists_scale import BATCH, ROOT, _organisation  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--port", type=int, default=8103, help="port for Stuurwiel")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for Stuurwiel")
    parser.add_argument("--peer", default="http://127.0.0.1:8203", help="Nautobot's address")
    parser.add_argument("--writes", type=int, default=0, help="API creates and updates to time")
    parser.add_argument(
        "--peer-token",
        default=os.environ.get("PEER_TOKEN", ""),
        help="Nautobot API token (default: $PEER_TOKEN, else $PEER_DIR/token)",
    )
    return parser.parse_args()


def stuurwiel_token(rows: int) -> tuple[str, str]:
    """The bench organisation's slug and its admin's API token, built if missing."""
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from stuurwiel.organisations.models import Organisation
    from stuurwiel.parties.models import Team

    if connection.vendor != "postgresql":
        sys.exit("lists_peer.py compares on PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    slug = f"bench-peer-{rows}"
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        start = time.perf_counter()
        org = _organisation(slug, rows)
        Team.objects.bulk_create(
            (
                Team(organisation=org.organisation, name=f"Team {i:06d}", description="Bench team")
                for i in range(rows)
            ),
            batch_size=BATCH,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE parties_team")
        print(f"built {rows:,} teams in {time.perf_counter() - start:.1f} s")
        organisation = org.organisation
    admin = organisation.memberships.get(user__username=f"{slug}-admin").user
    token, _ = Token.objects.get_or_create(user=admin)
    connection.close()
    return slug, token.key


def serve_stuurwiel(port: int, workers: int, conn_max_age: int = 600) -> subprocess.Popen:
    """``stuurwiel serve`` as in production (connections kept unless ``conn_max_age`` is 0)."""
    env = {**os.environ, "STUURWIEL_DEMO": "1", "DATABASE_CONN_MAX_AGE": str(conn_max_age)}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "stuurwiel"), "serve", "--port", str(port)]
        + ["--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=2)
            return server
        except urllib.error.HTTPError:
            return server  # it answers (401/403 without a token)
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"stuurwiel serve did not answer on port {port}")


def fetch(url: str, token: str) -> float:
    request = urllib.request.Request(
        url, headers={"Authorization": f"Token {token}", "Accept": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - start) * 1000


def send(url: str, token: str, method: str, body: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Token {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def time_writes(url: str, token: str, count: int, update: Callable[[dict], dict]) -> str:
    """``count`` creates, then an update of each, one request at a time: per second."""
    stamp = time.monotonic_ns()
    start = time.perf_counter()
    made = [send(url, token, "POST", {"name": f"Schrijf {stamp}-{i}"}) for i in range(count)]
    creates = count / (time.perf_counter() - start)
    start = time.perf_counter()
    for row in made:
        send(f"{url}{row['id']}/", token, "PATCH", update(row))
    updates = count / (time.perf_counter() - start)
    return f"{creates:7.1f} creates/s {updates:7.1f} updates/s"


def peer_token(args: argparse.Namespace) -> str:
    if args.peer_token:
        return args.peer_token
    token_file = Path(os.environ.get("PEER_DIR", Path.home() / "peer-nautobot")) / "token"
    return token_file.read_text().strip() if token_file.exists() else ""


def main() -> None:
    args = parse_args()
    slug, token = stuurwiel_token(args.rows)
    late_page = int(args.rows / 50 * 0.9)
    ours = f"http://127.0.0.1:{args.port}/api/o/{slug}/parties/teams/"
    pages = {
        "first page": (ours, f"{args.peer}/api/extras/teams/?limit=50"),
        "late page": (
            f"{ours}?page={late_page}",
            f"{args.peer}/api/extras/teams/?limit=50&offset={(late_page - 1) * 50}",
        ),
    }
    theirs_token = peer_token(args)
    peer_up = False
    if theirs_token:
        try:
            fetch(pages["first page"][1], theirs_token)
            peer_up = True
        except (OSError, AssertionError) as exc:
            print(f"Nautobot at {args.peer} did not answer ({exc}); Stuurwiel alone.")
    else:
        print("No Nautobot token (bench/peer_nautobot.sh install writes one); Stuurwiel alone.")
    server = serve_stuurwiel(args.port, args.workers)
    try:
        print(
            f"\n{args.rows:,} rows each, PostgreSQL, gunicorn, {args.runs} runs, client-side ms\n"
        )
        head = f"{'':<12}{'Stuurwiel p50/p95':>20}{'Nautobot p50/p95':>20}{'ratio p50':>11}"
        print(head)
        print("-" * len(head))
        for name, (mine, peer) in pages.items():
            for _ in range(3):  # warm both
                fetch(mine, token)
                if peer_up:
                    fetch(peer, theirs_token)
            ours_ms, theirs_ms = [], []
            for _ in range(args.runs):
                ours_ms.append(fetch(mine, token))
                if peer_up:
                    theirs_ms.append(fetch(peer, theirs_token))
            a = statistics.median(ours_ms), statistics.quantiles(ours_ms, n=20)[18]
            cells = f"{a[0]:9.1f}/{a[1]:7.1f}  "
            if peer_up:
                b = statistics.median(theirs_ms), statistics.quantiles(theirs_ms, n=20)[18]
                cells += f"{b[0]:11.1f}/{b[1]:7.1f}{a[0] / b[0]:11.2f}"
            print(f"{name:<12}{cells:>20}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.writes:
        print(f"\nwrites through the API ({args.writes} teams, one request at a time)")
        ours_url = ours  # the team list's URL takes POST; /<id>/ takes PATCH
        for label, max_age in (("new connection per request", 0), ("connection kept", 600)):
            server = serve_stuurwiel(args.port, args.workers, max_age)
            try:
                figures = time_writes(
                    ours_url,
                    token,
                    args.writes,
                    lambda row: {"description": "Bijgewerkt", "version": row["version"]},
                )
                print(f"  Stuurwiel, {label:<28}{figures}")
            finally:
                server.terminate()
                server.wait(timeout=30)
        if peer_up:
            figures = time_writes(
                f"{args.peer}/api/extras/teams/",
                theirs_token,
                args.writes,
                lambda row: {"comments": "Bijgewerkt"},
            )
            print(f"  Nautobot (its default: connections kept) {figures}")


if __name__ == "__main__":
    main()
