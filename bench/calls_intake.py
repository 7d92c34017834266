"""Call intake and one transition, against the insert ceiling and django-helpdesk, in one run.

Run from the repository root (SQLite in a throwaway file, or the database
``DATABASE_URL`` names; make one for the purpose, the bench organisation stays behind)::

    bash ../shared/bench/helpdesk/setup.sh                       # once: the peer, SQLite
    HDBENCH_DB=postgres bash ../shared/bench/helpdesk/setup.sh   # once: the peer, PostgreSQL
    .venv/bin/python bench/calls_intake.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/calls_intake.py

It builds one live service (a chain of three links, an active SA with norms, members in
every call role: the world of ``stuurwiel/calls/tests/conftest.py``) and measures:

- ``raw_insert_autocommit_rate``: single-row INSERTs of a call-like row into a plain
  table of the same database through Django's cursor, each its own transaction;
- ``intake_service_*``: ``call_register`` in-process (no HTTP), one transaction per call,
  with its event, link segment and change-log entry; its ratio to the raw rate;
- ``intake_api_*``: ``POST /api/o/<org>/calls/calls/`` with token auth, served by gunicorn
  with 1 sync worker and asked with ``http.client``, one connection per request, 20
  untimed requests first: exactly how the helpdesk harness asks django-helpdesk. It runs
  in two halves, one before and one after the peer, so drift on the machine falls on both;
- ``intake_service_breakdown_*``: where a service intake's wall time goes: the
  statements (each kind and table; ``SELECT frameworks_framework`` is the intake's
  one read statement), the commit, and the Python around them;
- ``*_queries``: the SQL statements one intake or one transition runs (counted with
  ``connection.execute_wrapper`` around a test-client request or a service call);
- ``transition_*``: ``call_transition(transition="complete")`` on fresh incidents;
- ``helpdesk_*``: django-helpdesk 2.6.1's own ``bench.py --phases c,a`` (its raw insert
  ceiling and its API ticket creation) run in its venv against its database of the
  same kind, and the ratio of Stuurwiel's API intake to its ``api_create_rate``.

Every figure is a line ``name value unit``; ``#`` lines give context. ``--explain`` lists
every statement of one API intake and of one transition. Times depend on the machine
(and on whoever else uses it); only ratios from one run count. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPDESK_BENCH = ROOT.parent / "shared" / "bench" / "helpdesk" / "bench.py"
BODY = (
    "De parkeerautomaat bij het stadhuis geeft geen kaartje en houdt het geld. "
    "Opnieuw betalen helpt niet. Graag voor het weekend verhelpen."
)
TARGETS = {
    "ratio_intake_service_vs_raw_insert": (">=", 0.30),
    "ratio_intake_api_vs_helpdesk_api_create": (">=", 3.0),
    "transition_queries": ("<=", 10),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=600, help="API intakes over HTTP (2 halves)")
    parser.add_argument("--service-calls", type=int, default=600, help="call_register intakes")
    parser.add_argument("--transitions", type=int, default=300, help="transitions to time")
    parser.add_argument("--raw", type=int, default=5000, help="raw INSERTs")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per HTTP loop")
    parser.add_argument(
        "--http",
        choices=["gunicorn", "testclient"],
        default="gunicorn",
        help="how the API intake is asked (the test client skips the network and the server)",
    )
    parser.add_argument("--helpdesk-creates", type=int, default=600, help="0: leave out the peer")
    parser.add_argument(
        "--helpdesk-home",
        default=os.environ.get("HDBENCH_HOME")
        or str(Path(tempfile.gettempdir()) / "helpdesk-bench"),
        help="the state folder of ../shared/bench/helpdesk/setup.sh (its venv)",
    )
    parser.add_argument(
        "--helpdesk-bench",
        default=str(HELPDESK_BENCH),
        help="the harness's bench.py (default: ../shared/bench/helpdesk/bench.py)",
    )
    parser.add_argument(
        "--helpdesk-database-url",
        default=os.environ.get("HDBENCH_DATABASE_URL", ""),
        help="the peer's PostgreSQL database (default: its harness's own, hdbench)",
    )
    parser.add_argument("--explain", action="store_true", help="list the statements run")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile N service intakes, API intakes and transitions: where the time goes",
    )
    return parser.parse_args()


# --- Output -----------------------------------------------------------------------


def emit(name: str, value: float | int, unit: str) -> None:
    if isinstance(value, float):
        value = f"{value:.4g}" if value < 1000 else f"{value:.1f}"  # type: ignore[assignment]
    print(f"{name} {value} {unit}", flush=True)


def note(text: str) -> None:
    print(f"# {text}", flush=True)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (as the helpdesk harness computes it)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


CPU = {"last": 0.0}


def timed(count: int, one: Callable[[int], object]) -> tuple[list[float], float]:
    """``one(i)`` ``count`` times: the latency of each and the elapsed seconds
    (and, in ``CPU["last"]``, this process's CPU seconds per call)."""
    latencies = []
    cpu = time.process_time()
    start = time.perf_counter()
    for i in range(count):
        began = time.perf_counter()
        one(i)
        latencies.append(time.perf_counter() - began)
    CPU["last"] = (time.process_time() - cpu) / max(count, 1)
    return latencies, time.perf_counter() - start


# --- Django -----------------------------------------------------------------------


def setup_django() -> str:
    """Point Django at a throwaway SQLite file unless DATABASE_URL is given; the
    environment is set before ``django.setup`` so the gunicorn child inherits it."""
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="stuurwiel-bench-intake-")
    os.makedirs(f"{workdir}/static")  # whitenoise warns when STATIC_ROOT is missing
    os.environ.setdefault("STUURWIEL_DATA_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("STUURWIEL_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stuurwiel.settings")
    import django

    django.setup()
    return workdir


class StatementLog:
    """Every SQL statement run on the connection while installed (no cap)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)

    def kinds(self) -> Counter:
        return Counter(sql.lstrip().split(" ", 1)[0].upper() for sql in self.statements)

    @staticmethod
    def _writes(sql: str) -> list[str]:
        """The tables a statement writes: a plain INSERT/UPDATE/DELETE, or each
        data-modifying part of a ``WITH`` (PostgreSQL's gathered writes)."""
        word = sql.lstrip().split(" ", 1)[0].upper()
        if word in ("INSERT", "UPDATE", "DELETE"):
            match = re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', sql)
            return [match.group(1) if match else ""]
        if word == "WITH":
            return re.findall(r'AS \((?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', sql)
        return []

    def writes(self) -> int:
        """Statements that write (a ``WITH`` of several writes counts once)."""
        return sum(1 for sql in self.statements if self._writes(sql))

    def rows_parts(self) -> int:
        """Single-table writes, however they were sent."""
        return sum(len(self._writes(sql)) for sql in self.statements)

    def tables(self) -> Counter:
        found = Counter()
        for sql in self.statements:
            word = sql.lstrip().split(" ", 1)[0].upper()
            written = self._writes(sql)
            if word == "WITH":
                found["WITH " + "+".join(written)] += 1
                continue
            match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
            found[f"{word} {match.group(1) if match else ''}".strip()] += 1
        return found


def counted(run: Callable[[], object]) -> tuple[StatementLog, object]:
    from django.db import connection

    log = StatementLog()
    with connection.execute_wrapper(log):
        result = run()
    return log, result


def report_statements(prefix: str, log: StatementLog, explain: bool) -> None:
    emit(f"{prefix}_queries", len(log.statements), "statements")
    emit(f"{prefix}_writes", log.writes(), "statements")
    emit(f"{prefix}_table_writes", log.rows_parts(), "single-table writes")
    note(
        f"{prefix} by statement and table: "
        + ", ".join(f"{k} ×{n}" for k, n in log.tables().items())
    )
    if explain:
        for number, sql in enumerate(log.statements, 1):
            flat = " ".join(sql.split())
            note(f"  {prefix} {number:>2}. {flat[:220]}{'…' if len(flat) > 220 else ''}")


# --- The world ---------------------------------------------------------------------


def make_member(organisation, *roles, username):
    from django.contrib.auth import get_user_model

    from stuurwiel.organisations.models import Membership, RoleAssignment

    user = get_user_model().objects.create_user(username=username, password="x")
    membership = Membership.objects.create(organisation=organisation, user=user)
    for role in roles:
        RoleAssignment.objects.create(membership=membership, role=role)
    return user


def build():
    """The calls tests' live service world, in an organisation of its own."""
    from rest_framework.authtoken.models import Token

    from stuurwiel.calls.tests.conftest import build_world
    from stuurwiel.organisations.models import Organisation

    slug = f"bench-intake-{time.time_ns() // 1000 % 10**9}"
    organisation = Organisation.objects.create(name=f"Bench {slug}", slug=slug)
    world = build_world(organisation, make_member, prefix=f"{slug}-")
    world.token = Token.objects.create(user=world.requester).key
    return world


def payload(world, i: int) -> dict:
    return {
        "service": world.service.pk,
        "call_type": "incident",
        "title": f"Parkeerautomaat kapot, melding {i}",
        "description": BODY,
        "impact": "high",
        "urgency": "high",
    }


# --- Phases ------------------------------------------------------------------------


def phase_raw(count: int) -> float:
    """Single-row INSERTs of a call-like row into a plain table, each autocommitted."""
    from django.db import connection, transaction
    from django.utils import timezone

    table = "bench_raw_call"
    pk = "id INTEGER PRIMARY KEY AUTOINCREMENT"
    stamp = "DATETIME"
    if connection.vendor == "postgresql":
        pk, stamp = "id BIGSERIAL PRIMARY KEY", "TIMESTAMP WITH TIME ZONE"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} ({pk}, organisation_id INTEGER NOT NULL, "
            "service_id INTEGER NOT NULL, number VARCHAR(30) NOT NULL, "
            "call_type VARCHAR(30) NOT NULL, title VARCHAR(200) NOT NULL, description TEXT, "
            "status VARCHAR(30) NOT NULL, priority INTEGER, version INTEGER NOT NULL, "
            f"registered_at {stamp} NOT NULL, modified {stamp} NOT NULL)"
        )
    sql = (
        f"INSERT INTO {table} (organisation_id, service_id, number, call_type, title, "
        "description, status, priority, version, registered_at, modified) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )

    def one(cursor, i: int) -> None:
        now = timezone.now()
        row = (1, 1, f"BE-2026-{i:06d}", "incident", f"Melding {i}", BODY, "open", 1, 1, now, now)
        cursor.execute(sql, row)

    with connection.cursor() as cursor:
        _, elapsed = timed(count, lambda i: one(cursor, i))
    rate = count / elapsed
    emit("raw_insert_autocommit_rate", rate, "rows/s")
    with transaction.atomic(), connection.cursor() as cursor:
        _, elapsed = timed(count, lambda i: one(cursor, count + i))
    emit("raw_insert_one_txn_rate", count / elapsed, "rows/s")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
    return rate


def register(world, i: int):
    from stuurwiel.calls.services import call_register

    data = payload(world, i)
    data.pop("service")
    return call_register(organisation=world.org, service=world.service, by=world.requester, **data)


def phase_service(world, count: int, explain: bool) -> float:
    for i in range(10):
        register(world, 9_000_000 + i)
    latencies, elapsed = timed(count, lambda i: register(world, i))
    rate = count / elapsed
    emit("intake_service_rate", rate, "calls/s")
    emit("intake_service_p50", pct(latencies, 0.50) * 1000, "ms")
    emit("intake_service_p95", pct(latencies, 0.95) * 1000, "ms")
    emit("intake_service_cpu", CPU["last"] * 1000, "ms/call")
    log, _ = counted(lambda: register(world, 8_000_000))
    report_statements("intake_service", log, explain)
    return rate


class TimedStatements:
    """The wall time spent in each statement kind (and table) while installed."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
            word = sql.lstrip().split(" ", 1)[0].upper()
            name = f"{word} {match.group(1) if match else ''}".strip()
            self.seconds[name] += time.perf_counter() - began


def phase_breakdown(world, count: int) -> None:
    """Where one service intake's wall time goes: each statement (through Django's
    cursor, adaption included), the commit, and the Python around them."""
    from django.db import connection

    statements = TimedStatements()
    commits = [0.0]
    plain_commit = connection._commit

    def timed_commit():
        began = time.perf_counter()
        try:
            return plain_commit()
        finally:
            commits[0] += time.perf_counter() - began

    connection._commit = timed_commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(statements):
            _, elapsed = timed(count, lambda i: register(world, 6_500_000 + i))
    finally:
        del connection._commit
    per = 1000 / count
    sql = sum(statements.seconds.values())
    emit("intake_service_breakdown_total", elapsed * per, "ms/call")
    emit("intake_service_breakdown_statements", sql * per, "ms/call")
    emit("intake_service_breakdown_commit", commits[0] * per, "ms/call")
    emit("intake_service_breakdown_python", (elapsed - sql - commits[0]) * per, "ms/call")
    note(
        "intake_service statements, ms per call: "
        + ", ".join(f"{k} {v * per:.3f}" for k, v in statements.seconds.most_common())
    )


def phase_transition(world, count: int, explain: bool) -> int:
    """``complete`` on the first step of fresh incidents, by the front desk: the
    statements of one."""
    from stuurwiel.calls.services import call_transition

    calls = [register(world, 7_000_000 + i) for i in range(count + 11)]

    def complete(call):
        return call_transition(
            call=call, by=world.desk, transition="complete", version=call.version
        )

    for call in calls[:10]:
        complete(call)
    timed_calls = calls[10 : 10 + count]
    _, elapsed = timed(count, lambda i: complete(timed_calls[i]))
    emit("transition_rate", count / elapsed, "transitions/s")
    emit("transition_cpu", CPU["last"] * 1000, "ms/transition")
    log, done = counted(lambda: complete(calls[-1]))
    note(f"transition took {calls[-1].step} → {done.step}")
    report_statements("transition", log, explain)
    return len(log.statements)


def api_url(world) -> str:
    return f"/api/o/{world.org.slug}/calls/calls/"


def test_client(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.token}", HTTP_ACCEPT="application/json")
    return client


def phase_api_counted(world, count: int, explain: bool) -> float:
    """The API intake through Django's test client: statements, and a rate without HTTP."""
    client = test_client(world)

    def post(i: int) -> None:
        answer = client.post(api_url(world), payload(world, i), format="json")
        if answer.status_code != 201:
            raise RuntimeError(f"intake {answer.status_code}: {answer.content[:300]!r}")

    for i in range(10):
        post(6_000_000 + i)
    latencies, elapsed = timed(count, lambda i: post(5_000_000 + i))
    rate = count / elapsed
    emit("intake_testclient_rate", rate, "calls/s")
    emit("intake_testclient_p50", pct(latencies, 0.50) * 1000, "ms")
    log, _ = counted(lambda: post(4_999_999))
    report_statements("intake_api", log, explain)
    call = client.post(api_url(world), payload(world, 4_999_998), format="json").json()
    desk = test_client(world)
    from rest_framework.authtoken.models import Token

    desk.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=world.desk)[0].key}"
    )
    transition = f"{api_url(world)}{call['id']}/transition/"
    body = {"transition": "complete", "version": call["version"]}
    log, answer = counted(lambda: desk.post(transition, body, format="json"))
    if answer.status_code != 200:
        raise RuntimeError(f"transition {answer.status_code}: {answer.content[:300]!r}")
    report_statements("transition_api", log, explain)
    return rate


class Gunicorn:
    """``stuurwiel.wsgi`` under gunicorn, 1 sync worker, started and stopped by PID."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "stuurwiel.wsgi:application",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "900",
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=sys.stderr)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                self.request("GET", "/api/", None, "")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer in 60 s")

    def request(self, method: str, path: str, body: dict | None, token: str) -> tuple[int, bytes]:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        try:
            connection.request(method, path, body=data, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def api_half(world, server: Gunicorn, count: int, warmup: int, base: int) -> list[float]:
    def post(i: int) -> None:
        status, body = server.request("POST", api_url(world), payload(world, base + i), world.token)
        if status != 201:
            raise RuntimeError(f"intake over HTTP {status}: {body[:300]!r}")

    for i in range(warmup):
        post(900_000 + i)
    latencies, _ = timed(count, post)
    return latencies


def report_api(latencies: list[float], how: str) -> float:
    # the rate over the timed requests only (the halves' warm-ups and the peer in
    # between excluded), as helpdesk's rate is over its own timed loop
    rate = len(latencies) / sum(latencies)
    emit("intake_api_rate", rate, "calls/s")
    emit("intake_api_p50", pct(latencies, 0.50) * 1000, "ms")
    emit("intake_api_p95", pct(latencies, 0.95) * 1000, "ms")
    note(f"intake_api asked {how}, {len(latencies)} timed requests")
    return rate


def profile(label: str, count: int, one: Callable[[int], object]) -> None:
    """cProfile over ``count`` calls of ``one``: Stuurwiel's own functions (and the
    commit) by cumulative time per call. Profiling slows Python code more than the
    database, so read the shares, not the milliseconds."""
    import cProfile
    import pstats

    for i in range(5):  # the first request of a process imports the URLconf
        one(count + i)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(count):
        one(i)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tottime for _, _, tottime, _, _ in stats.values())
    rows = []
    for (filename, line, function), (_, _, _, cumtime, _) in stats.items():
        own = "/stuurwiel/" in filename and "/tests/" not in filename
        if own or function in ("<method 'commit' of 'sqlite3.Connection' objects>", "commit"):
            where = filename.split("/stuurwiel/", 1)[-1] if own else filename.rsplit("/", 1)[-1]
            rows.append((cumtime, f"{where}:{line}({function})"))
    note(f"profile {label}: {total / count * 1000:.1f} ms per call under the profiler")
    for cumtime, name in sorted(rows, reverse=True)[:18]:
        note(f"  {cumtime / total * 100:5.1f} %  {cumtime / count * 1000:7.2f} ms  {name}")


def phase_profile(world, count: int) -> None:
    from stuurwiel.calls.services import call_transition

    profile("intake_service", count, lambda i: register(world, 3_000_000 + i))
    client = test_client(world)
    profile(
        "intake_api (test client)",
        count,
        lambda i: client.post(api_url(world), payload(world, 2_000_000 + i), format="json"),
    )
    calls = [register(world, 1_000_000 + i) for i in range(count + 5)]
    profile(
        "transition",
        count,
        lambda i: call_transition(
            call=calls[i], by=world.desk, transition="complete", version=calls[i].version
        ),
    )


# --- The peer ----------------------------------------------------------------------


def run_helpdesk(args: argparse.Namespace, vendor: str) -> dict[str, float]:
    """django-helpdesk's own harness, phases c (raw inserts) and a (API creation)."""
    python = Path(args.helpdesk_home) / "venv" / "bin" / "python"
    script = Path(args.helpdesk_bench)
    if not python.exists() or not script.exists():
        note(f"django-helpdesk left out: no {python} (run ../shared/bench/helpdesk/setup.sh)")
        return {}
    database = "postgres" if vendor == "postgresql" else "sqlite"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not key.startswith("STUURWIEL")
    }
    env["HDBENCH_HOME"] = args.helpdesk_home
    if database == "postgres" and args.helpdesk_database_url:
        env["DATABASE_URL"] = args.helpdesk_database_url
    command = [str(python), str(script), "--db", database, "--phases", "c,a"]
    command += ["--n-create", str(args.helpdesk_creates), "--n-raw", str(args.raw)]
    command += ["--warmup", str(args.warmup)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        note(f"django-helpdesk's bench failed ({done.returncode}): {done.stderr[-500:]}")
        return {}
    figures = {}
    for line in done.stdout.splitlines():
        if line.startswith("#"):
            note(f"helpdesk: {line[1:].strip()}")
            continue
        parts = line.split()
        if len(parts) == 3:
            name, value, unit = parts
            figures[name] = float(value)
            emit(f"helpdesk_{name}", float(value), unit)
    return figures


# --- Main --------------------------------------------------------------------------


def describe() -> None:
    import platform

    import django
    from django.conf import settings
    from django.db import connection

    database = connection.vendor
    if database == "sqlite":
        import sqlite3

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
        database += f" {sqlite3.sqlite_version} (journal_mode={journal})"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database += f" {cursor.fetchone()[0]} {settings.DATABASES['default']['NAME']}"
    note(
        f"Stuurwiel on Django {django.get_version()}, Python {platform.python_version()}, "
        f"{database}, CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}, "
        f"nproc={os.cpu_count()}"
    )


def check_targets(results: dict[str, float]) -> None:
    for name, (sign, bound) in TARGETS.items():
        if name not in results:
            continue
        value = results[name]
        met = value >= bound if sign == ">=" else value <= bound
        note(f"target {name} {sign} {bound}: {value:.3g} {'met' if met else 'MISSED'}")


def main() -> None:
    args = parse_args()
    workdir = setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    try:
        call_command("migrate", verbosity=0)
        describe()
        translation.activate("en")
        world = build()
        note(f"organisation {world.org.slug}: one live service, a chain of 3 links")
        results: dict[str, float] = {}
        raw = phase_raw(args.raw)
        results["ratio_intake_service_vs_raw_insert"] = (
            phase_service(world, args.service_calls, args.explain) / raw
        )
        phase_breakdown(world, min(args.service_calls, 200))
        results["transition_queries"] = phase_transition(world, args.transitions, args.explain)
        if args.profile:
            phase_profile(world, args.profile)
        tc_rate = phase_api_counted(world, min(args.calls, 200), args.explain)
        peer: dict[str, float] = {}
        if args.http == "gunicorn":
            connection.close()  # the server's worker has its own; ours reopens on use
            server = Gunicorn()
            try:
                first = api_half(world, server, args.calls // 2, args.warmup, 0)
                if args.helpdesk_creates:
                    peer = run_helpdesk(args, connection.vendor)
                second = api_half(world, server, args.calls - args.calls // 2, args.warmup, 10**6)
            finally:
                server.stop()
            note(
                f"intake_api halves: {len(first) / sum(first):.1f} calls/s before the peer, "
                f"{len(second) / sum(second):.1f} after"
            )
            api_rate = report_api(first + second, "over HTTP: gunicorn 1 sync worker, http.client")
        else:
            if args.helpdesk_creates:
                peer = run_helpdesk(args, connection.vendor)
            api_rate = tc_rate
            note("intake_api asked through Django's test client (no server, no network)")
            emit("intake_api_rate", api_rate, "calls/s")
        emit(
            "ratio_intake_service_vs_raw_insert", results["ratio_intake_service_vs_raw_insert"], "x"
        )
        emit("ratio_intake_api_vs_raw_insert", api_rate / raw, "x")
        if peer.get("api_create_rate"):
            results["ratio_intake_api_vs_helpdesk_api_create"] = api_rate / peer["api_create_rate"]
            emit(
                "ratio_intake_api_vs_helpdesk_api_create",
                results["ratio_intake_api_vs_helpdesk_api_create"],
                "x",
            )
        check_targets(results)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
