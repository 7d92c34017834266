"""Six months of call history for the demo organisation, through the real services.

Model
    :func:`history_load` writes the calls of Middenstad's live services over the
    26 weeks before the load moment. Every write is a call of the calls app's
    services (register, transition, assign, coordinate, hand over, escalate,
    comment, pause, exceptions) inside ``with clock.at(t):``, so the events, link
    segments, pauses, clocks and change log of the history agree with each other
    exactly as if people had done the work on those days. Times fall in office
    hours (the calendar *Kantoortijden gemeente*: weekdays 08:30–17:00 Europe/
    Amsterdam, closed on the Dutch public holidays) and are drawn from one seeded
    :class:`random.Random`, so two loads on the same day write the same history.

What the history shows (issue 7 item 12; the signals of ``signals-defs``)
    - all eight workflow patterns (WF1–WF8), derived by the engine from the path;
    - breaches of the chain's SA and of links' OLAs (slow links), pauses with a
      recorded reason, escalations with a reason, public and internal comments;
    - watermelons on Verhuizing doorgeven: the call waits in queues that are not
      its own before anyone takes it in, so every link's clocks are met while the
      chain's response clock (SA) is breached. The agreements' resolution norms
      add up within the SA along every route (the design gate checks that), so
      with link segments that follow each other without a gap a *resolution*
      watermelon cannot occur in this model; the response clock is where the lost
      time between links shows;
    - hand-over ping-pong between Burgerzaken and the KCC (A → B → A in one call);
    - a normalised exception: the same kind of exception legitimised on several
      calls of one service, and none of them raised an improvement;
    - a hero dependency: one Burgerzaken operator carries most of the service's
      calls, and calls assigned to him wait when he is away;
    - a recurring problem that became a risk: incidents with the same category,
      then a ``risico`` registered with the latest of them as its origin;
    - improvement proposals raised at evaluation, as risks linked to the call;
    - open work in every worklist: the operator's own, the team coordinator's
      queue, the workflow coordinator's calls, the supplier's handed-over call, the
      requester's calls (one awaiting confirmation), an exception awaiting the
      service owner's decision.

Idempotence
    Nothing is written when the organisation has calls already. Afterwards every
    history call's clocks are computed and the sweep runs (``clock_sweep(full=True)``),
    so the stored clock results are there for the dashboard.

Limits
    The history is written relative to the load moment (the last 26 weeks), so it
    is the same for every load on the same day, not for loads on different days.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from stuurwiel.calendars.businesstime import Calendar, add_business_minutes, business_duration
from stuurwiel.calendars.models import BusinessCalendar
from stuurwiel.calls import clocks, exceptions, pauses, services, sweep
from stuurwiel.calls.choices import CallStatus, Channel, ExceptionDecision, ExceptionKind
from stuurwiel.calls.definitions import definition_of
from stuurwiel.calls.models import Call
from stuurwiel.core import clock
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Organisation, RoleAssignment
from stuurwiel.services.models import Link, Service

SEED = 20260712
WEEKS = 26
OFFICE = "Kantoortijden gemeente"
ZONE = ZoneInfo("Europe/Amsterdam")
VERHUIZING = "Verhuizing doorgeven"
WMO = "Wmo-aanvraag"
OMGEVING = "Omgevingsvergunning"

#: The forks that make each workflow pattern, by call type (as the engine derives it).
PATTERNS: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("wens", ("wijzigen", "uitvoeren")),
    2: ("wijzigingsverzoek", ("uitvoeren",)),
    3: ("incident", ("wijzigen", "uitvoeren")),
    4: ("incident", ("uitvoeren",)),
    5: ("serviceverzoek", ()),
    6: ("risico", ("afspreken", "wijzigen", "uitvoeren")),
    7: ("risico", ("wijzigen", "uitvoeren")),
    8: ("risico", ("uitvoeren",)),
}

#: How long a link takes over one of its steps, in office minutes (low, high):
#: mostly well within its OLA/UC, so the breaches in the history are the exceptions.
PACE: dict[str, tuple[float, float]] = {
    "Klantcontactcentrum": (5, 30),
    "Burgerzaken": (25, 100),
    "Applicatiebeheer": (4, 15),
    "Dossierlijn B.V.": (10, 35),
    "Afval en Reiniging": (30, 120),
    "Parkeren": (20, 60),
    "Wmo-loket": (90, 460),
    "Vergunningen, Toezicht en Handhaving": (90, 460),
}
#: How long the requester takes to confirm that the work is done.
CONFIRMING = (30, 240)

#: The category of the incidents that keep coming back (the recurring problem).
RECURRING = "Deeltaak afval komt niet aan"
HERO = "operator"  # Daan Vermeulen, Burgerzaken: the demo's operator login


@dataclass
class HistoryReport:
    """What :func:`history_load` did."""

    calls: int = 0
    skipped: bool = False
    by_pattern: dict[int, int] = field(default_factory=dict)


class HistoryError(RuntimeError):
    """The history could not take a step it needs (the demo data changed)."""


def history_load(*, organisation: Organisation, until: datetime.datetime | None = None):
    """Write the history of ``organisation`` (see the module docstring)."""
    if Call.objects.filter(organisation=organisation).exists():
        return HistoryReport(skipped=True)
    with transaction.atomic():
        story = _Story(organisation, until or clock.now())
        story.run()
        ids = list(Call.objects.filter(organisation=organisation).values_list("pk", flat=True))
        clocks.clock_recompute(ids)
        sweep.clock_sweep(full=True)
    patterns = Call.objects.filter(organisation=organisation, status=CallStatus.CLOSED)
    report = HistoryReport(calls=len(ids))
    for number in patterns.values_list("pattern", flat=True):
        if number:
            report.by_pattern[number] = report.by_pattern.get(number, 0) + 1
    return report


# --- The people and the chains ----------------------------------------------------------


def link_name(link: Link) -> str:
    """The name of the team or supplier that forms the link."""
    party = link.team or link.supplier
    return party.name if party is not None else ""


class _Cast:
    """The organisation's members by username, and each live service's links."""

    def __init__(self, organisation: Organisation) -> None:
        users = get_user_model().objects.filter(memberships__organisation=organisation)
        self.users = {user.username: user for user in users}
        workers = set(
            RoleAssignment.objects.filter(
                membership__organisation=organisation,
                role__in=(Role.OPERATOR, Role.SUPPLIER_USER),
            ).values_list("membership__user_id", flat=True)
        )
        self.services = {
            service.name: service
            for service in Service.objects.filter(organisation=organisation, status="live")
        }
        self.links: dict[int, dict[str, Link]] = {}
        self.members: dict[int, list[Any]] = {}
        from stuurwiel.calls.routing import link_member_ids

        by_pk = {user.pk: user for user in users}
        for link in Link.objects.filter(service__in=self.services.values()).select_related(
            "team", "supplier"
        ):
            self.links.setdefault(link.service_id, {})[link_name(link)] = link
            ids = sorted(link_member_ids(link) & workers)
            self.members[link.pk] = [by_pk[pk] for pk in ids if pk in by_pk]

    def __getitem__(self, username: str):
        return self.users[username]

    def link(self, service: Service, name: str) -> Link:
        return self.links[service.pk][name]


# --- Driving one call ---------------------------------------------------------------------


class _Run:
    """One call on its way: the current instant moves on in office time with each write."""

    def __init__(self, story: _Story, start: datetime.datetime) -> None:
        self.story = story
        self.t = start
        self.call: Call | None = None

    # time
    def wait(self, minutes: float) -> datetime.datetime:
        self.t = add_business_minutes(self.story.office, self.t, max(1, int(minutes)))
        return self.t

    def wait_days(self, days: float) -> datetime.datetime:
        return self.wait(days * 480)

    @property
    def fresh(self) -> Call:
        assert self.call is not None
        return self.call

    def _at(self):
        return clock.at(self.t)

    # writes
    def register(self, service: Service, call_type: str, title: str, **kwargs) -> Call:
        kwargs.setdefault("impact", "medium")
        kwargs.setdefault("urgency", "medium")
        with self._at():
            self.call = services.call_register(
                organisation=self.story.org,
                service=service,
                call_type=call_type,
                title=title,
                **kwargs,
            )
        return self.call

    def reload(self) -> Call:
        self.call = Call.objects.select_related("current_link").get(pk=self.fresh.pk)
        return self.call

    def act(self, transition: str, *, by, target: str = "", note: str = "", risks=None) -> Call:
        with self._at():
            self.call = services.call_transition(
                call=self.fresh,
                by=by,
                transition=transition,
                target=target,
                note=note,
                version=self.fresh.version,
                risks=risks,
            )
        return self.call

    def hand_over(self, to: str, *, by, reason: str) -> Call:
        link = self.story.cast.link(self.fresh.service, to)
        with self._at():
            self.call = services.call_hand_over(
                call=self.fresh, to_link=link, by=by, version=self.fresh.version, reason=reason
            )
        return self.call

    def assign(self, operator, *, by, note: str = "") -> Call:
        with self._at():
            self.call = services.call_assign(
                call=self.fresh, operator=operator, by=by, version=self.fresh.version, note=note
            )
        return self.call

    def coordinate(self, by) -> Call:
        with self._at():
            self.call = services.call_coordinate(call=self.fresh, by=by, version=self.fresh.version)
        return self.call

    def escalate(self, *, by, reason: str) -> Call:
        with self._at():
            self.call = services.call_escalate(
                call=self.fresh, by=by, version=self.fresh.version, reason=reason
            )
        return self.call

    def comment(self, text: str, *, by, public: bool) -> None:
        with self._at():
            services.call_comment(call=self.fresh, by=by, text=text, public=public)

    def pause(self, *, by, reason_kind: str, note: str) -> None:
        with self._at():
            self.call = pauses.call_pause(
                call=self.fresh,
                by=by,
                version=self.fresh.version,
                reason_kind=reason_kind,
                note=note,
            )

    def resume(self, *, by, note: str = "") -> None:
        with self._at():
            self.call = pauses.call_resume(
                call=self.fresh, by=by, version=self.fresh.version, note=note
            )

    def exception(self, *, by, kind: str, description: str, decider=None, note: str = ""):
        with self._at():
            asked = exceptions.exception_request(
                call=self.fresh, by=by, kind=kind, description=description
            )
        if decider is None:
            return asked
        self.wait(self.story.rng.randint(10, 40))
        with self._at():
            return exceptions.exception_decide(
                exception=asked, by=decider, decision=ExceptionDecision.APPROVED, note=note
            )

    # the work itself
    def holder_workers(self) -> list:
        call = self.fresh
        if call.assignee_id:
            return [call.assignee]
        if call.current_link_id is None:
            return []
        return list(self.story.cast.members.get(call.current_link_id, []))

    def candidates(self, prefer=None) -> list:
        """Who may do the call's current step, the preferred person first."""
        call = self.fresh
        people = self.holder_workers()
        if call.step.endswith("-evalueren"):
            # Nobody evaluates their own work: the workflow manager, else a colleague.
            people = [self.story.cast["workflow_manager"], *people]
        self.story.rng.shuffle(people)
        if prefer is not None and prefer in people:
            people.remove(prefer)
            people.insert(0, prefer)
        return people

    def step(self, minutes: float = 30, *, prefer=None, forks: list[str] | None = None, **kw):
        """Wait ``minutes`` of office time, then take the call's next transition:
        confirm when the work is delivered, else complete (or fork, when ``forks``
        names the next process) its current step, by whoever may."""
        self.wait(minutes)
        call = self.fresh
        if self.t >= self.story.end:
            return call  # the work goes on after the load: it stays open
        if call.status == CallStatus.PROCESS_FULFILLED:
            requester = call.requester
            by = requester if requester is not None else (self.holder_workers() or [None])[0]
            return self.act("confirm", by=by, note=kw.get("note", ""))
        if call.step.endswith("-evalueren") and call.assignee_id:
            # Nobody evaluates their own work: the team coordinator frees the step.
            self.assign(None, by=self.story.cast["team_coordinator"], note="Ter evaluatie.")
            call = self.fresh
        forks = forks if forks is not None else []
        transition, target = "complete", ""
        if forks and definition_of(call.workflow).step(call.step).is_fork:
            transition, target = "fork", forks[0]
        for person in self.candidates(prefer):
            try:
                # The service itself judges who may (a refusal writes nothing).
                done = self.act(transition, by=person, target=target, **kw)
            except services.TransitionBlocked:
                continue
            if transition == "fork":
                forks.pop(0)
            return done
        raise HistoryError(f"nobody may take {call.number} at {call.step}")

    def pace(self) -> tuple[float, float]:
        """How long the link that holds the call takes over a step (office minutes)."""
        call = self.fresh
        if call.status == CallStatus.PROCESS_FULFILLED:
            # A risk has no requester outside: its delivery is confirmed at once.
            return CONFIRMING if call.call_type != "risico" else (5, 20)
        link = call.current_link
        return PACE.get(link_name(link) if link else "", (20, 90))

    def walk(self, forks=(), *, until=None, minutes=None, prefer=None, risks=None) -> Call:
        """Take the call to closure (or to the step ``until``), the forks in order;
        each step takes ``minutes`` (low, high), else the holding link's pace."""
        rest = list(forks)
        for _ in range(60):
            call = self.fresh
            if call.status == CallStatus.CLOSED or (until and call.step == until):
                return call
            if self.t >= self.story.end:
                return call
            low, high = minutes or self.pace()
            evaluating = call.step.endswith("-evalueren") and call.status != "process_fulfilled"
            self.step(
                self.story.rng.uniform(low, high),
                prefer=prefer,
                forks=rest,
                **({"risks": risks} if evaluating and risks else {}),
            )
        raise HistoryError(f"{self.fresh.number} did not close")


# --- The story ---------------------------------------------------------------------------


class _Story:
    def __init__(self, organisation: Organisation, end: datetime.datetime) -> None:
        self.org = organisation
        self.end = end
        self.rng = random.Random(SEED)
        self.cast = _Cast(organisation)
        calendar = BusinessCalendar.objects.get(organisation=organisation, name=OFFICE)
        self.office: Calendar = calendar.as_business_time()
        local_end = end.astimezone(ZONE).date()
        first = local_end - datetime.timedelta(weeks=WEEKS)
        first -= datetime.timedelta(days=first.weekday())  # a Monday
        self.first_day = first
        self.vd = self.cast.services[VERHUIZING]
        self.wmo = self.cast.services.get(WMO)
        self.omg = self.cast.services.get(OMGEVING)
        self.counter = 0

    # -- helpers
    def moment(self, week: float, *, minute: int | None = None) -> datetime.datetime:
        """An office-hours instant in week ``week`` (0 = the first) of the history."""
        day = self.first_day + datetime.timedelta(days=int(week * 7))
        start = datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=ZONE)
        offset = self.rng.randint(0, 460) if minute is None else minute
        return add_business_minutes(self.office, start, offset)

    def recent(self, days_back: float) -> datetime.datetime:
        """An office-hours instant with at least ``days_back`` office days (of 480
        minutes) of office time left before the end, so the work after it fits."""
        wanted = datetime.timedelta(minutes=days_back * 480 + self.rng.randint(0, 60))
        start = self.end
        while business_duration(self.office, start, self.end) < wanted:
            start -= datetime.timedelta(hours=1)
        return add_business_minutes(self.office, start, 0)

    def user(self, name: str):
        return self.cast[name]

    def run(self) -> None:
        self.routine_verhuizing()
        self.all_patterns()
        self.recurring_problem()
        self.watermelons()
        self.ping_pong()
        self.normalised_exception()
        self.hero_waits()
        self.other_services()
        self.open_work()

    # -- the people of Verhuizing doorgeven
    def kcc(self):
        return self.rng.choice([self.user("kcc_sophie"), self.user("kcc_youssef")])

    def citizen(self) -> dict[str, str]:
        first = self.rng.choice(
            ["Anna", "Bas", "Chantal", "Dirk", "Emre", "Fleur", "Gijs", "Hanna", "Ivo", "Julia"]
        )
        last = self.rng.choice(
            ["Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Kaya", "Peeters", "Vos"]
        )
        return {"requester_name": f"{first} {last}", "requester_contact": "via de Berichtenbox"}

    def hero_or_colleague(self, share: float = 0.7):
        if self.rng.random() < share:
            return self.user(HERO)
        return self.rng.choice([self.user("bz_lisa"), self.user("bz_tim")])

    # -- 1. the everyday work: moves registered at the KCC, handled by Burgerzaken
    def routine_verhuizing(self) -> None:
        streets = [
            "Kerkstraat",
            "Molenweg",
            "Stationsplein",
            "Lindelaan",
            "Havenkade",
            "Dorpsstraat",
        ]
        for index in range(70):
            week = index * (WEEKS - 3) / 70
            run = _Run(self, self.moment(week))
            street = self.rng.choice(streets)
            registrar = self.kcc()
            run.register(
                self.vd,
                "serviceverzoek",
                f"Verhuizing naar {street} {self.rng.randint(1, 180)}",
                description="Verhuizing doorgegeven; medeverhuizers en verhuisdatum in de melding.",
                by=registrar,
                channel=self.rng.choice([Channel.PHONE, Channel.COUNTER, Channel.DESK]),
                **self.citizen(),
            )
            hero = self.hero_or_colleague()
            slow = index % 9 == 4  # now and then Burgerzaken is slow: OLA and SA breached
            run.step(self.rng.uniform(5, 40), prefer=registrar)  # aannemen
            run.step(self.rng.uniform(5, 30), prefer=registrar)  # classificeren → Burgerzaken
            if index % 7 == 2:
                run.wait(30)
                run.pause(
                    by=hero if self.is_holder(run, hero) else run.holder_workers()[0],
                    reason_kind="requester",
                    note="Bewijs van bewoning opgevraagd bij de inwoner.",
                )
                run.wait(self.rng.uniform(240, 900))
                run.resume(by=run.holder_workers()[0], note="Huurcontract ontvangen.")
            run.step(self.rng.uniform(25, 100) + (1800 if slow else 0), prefer=hero)  # plannen
            if index % 8 == 3:
                # The inhabitant has a resident's permit: Parkeren does the deeltaak.
                run.wait(self.rng.uniform(5, 30))
                run.hand_over(
                    "Parkeren",
                    by=run.holder_workers()[0],
                    reason="Deeltaak parkeren: de bewonersvergunning gaat mee naar het nieuwe "
                    "adres.",
                )
            if slow and index % 2 == 0:
                run.escalate(
                    by=self.user("kcc_youssef"),
                    reason="De inwoner belt voor de derde keer: de verhuizing staat nog open.",
                )
            if index % 5 == 0:
                run.comment(
                    "We hebben uw verhuizing in behandeling; u hoort binnen vijf werkdagen "
                    "van ons.",
                    by=hero if self.is_holder(run, hero) else run.holder_workers()[0],
                    public=True,
                )
            run.step(self.rng.uniform(30, 150) + (1200 if slow else 0), prefer=hero)  # uitvoeren
            if index % 6 == 1:
                run.comment(
                    "Deeltaken afval en parkeren gereed gemeld.",
                    by=run.holder_workers()[0],
                    public=False,
                )
            run.walk(prefer=hero)

    def is_holder(self, run: _Run, person) -> bool:
        return person in run.holder_workers()

    # -- 2. every workflow pattern, more than once
    def all_patterns(self) -> None:
        titles = {
            1: "Wens: verhuizing ook doorgeven voor een bedrijf aan huis",
            2: "Wijzigingsverzoek: nieuw veld verhuisdatum medeverhuizers in het zaaktype",
            3: "Storing: bevestigingsbrief verhuizing bevat oud adres",
            4: "Storing: deeltaak parkeren niet aangemaakt",
            6: "Risico: de BRP-koppeling heeft geen uitwijk bij onderhoud",
            7: "Risico: de eisen aan het e-formulier lopen achter op de wet",
            8: "Risico: verhuizingen blijven hangen bij afwezigheid van één medewerker",
        }
        for repeat in range(2):
            for number in (1, 2, 3, 4, 6, 7, 8):
                call_type, forks = PATTERNS[number]
                week = 1 + repeat * 11 + number * 1.2
                run = _Run(self, self.moment(week))
                by = self.kcc() if call_type != "risico" else self.user("workflow_manager")
                run.register(
                    self.vd,
                    call_type,
                    titles[number],
                    description="Zie de toelichting in de melding.",
                    by=by,
                    channel=Channel.PHONE if call_type != "risico" else Channel.DESK,
                    category="Zaaksysteem" if call_type == "incident" else "",
                    **(self.citizen() if call_type != "risico" else {}),
                )
                # Improvement proposals raised at evaluation, on the first round.
                risks = None
                if repeat == 0 and number in (3, 4):
                    risks = [
                        {
                            "title": f"Verbetervoorstel na {run.fresh.number}",
                            "description": "Bewaak de deeltaken en waarschuw bij uitval.",
                        }
                    ]
                run.walk(forks, prefer=self.hero_or_colleague(), risks=risks)

    # -- 3. the same incident keeps coming back, then it becomes a risk
    def recurring_problem(self) -> None:
        latest = None
        for index, week in enumerate((3, 8, 13, 17)):
            run = _Run(self, self.moment(week))
            run.register(
                self.vd,
                "incident",
                "Deeltaak afval niet aangekomen bij Afval en Reiniging",
                description="De inwoner heeft geen nieuwe afvalpas; de deeltaak ontbreekt.",
                by=self.kcc(),
                channel=Channel.PHONE,
                category=RECURRING,
                impact="medium",
                urgency="high" if index == 3 else "medium",
                **self.citizen(),
            )
            bz = self.hero_or_colleague()
            run.walk(["uitvoeren"], until="herstellen-voorbereiden", prefer=bz)
            run.wait(5)
            # Each time the inhabitant chases it: escalated at Applicatiebeheer.
            run.escalate(
                by=self.kcc(),
                reason="De inwoner heeft na een week nog geen afvalpas en belt opnieuw.",
            )
            latest = run.walk(["uitvoeren"], prefer=bz)
        run = _Run(self, self.moment(17.8))
        risk = run.register(
            self.vd,
            "risico",
            "Terugkerend: deeltaken afval vallen uit",
            description="Vier keer in vier maanden dezelfde storing: zoek de oorzaak.",
            by=self.user("workflow_manager"),
            channel=Channel.DESK,
            category=RECURRING,
            origin=latest,
        )
        run.walk(["wijzigen", "uitvoeren"])
        assert risk.pk

    # -- 4. watermelons: the link clocks green, the chain red
    def watermelons(self) -> None:
        """The call sits in queues that are not its own before anyone takes it
        in: each link hands it on within its norm, the chain's response is lost."""
        for index, week in enumerate((6.2, 14.4, 20.6)):
            run = _Run(self, self.moment(week, minute=60))
            registrar = self.kcc()
            run.register(
                self.vd,
                "serviceverzoek",
                "Verhuizing met containerwissel: eerst naar afval gestuurd",
                description="De inwoner vroeg naar containers; de melding ging eerst naar afval.",
                by=registrar,
                channel=Channel.PHONE,
                **self.citizen(),
            )
            run.wait(40)
            run.hand_over(
                "Afval en Reiniging",
                by=registrar,
                reason="Lijkt een vraag over containers; afval kijkt ernaar.",
            )
            run.wait(200 + index * 10)
            run.hand_over(
                "Burgerzaken",
                by=self.user("ar_ahmed"),
                reason="Geen afvalvraag: het is een verhuizing. Naar Burgerzaken.",
            )
            hero = self.hero_or_colleague(0.8)
            run.step(100, prefer=hero)  # aannemen by Burgerzaken → classificeren at the KCC
            run.step(15, prefer=registrar)  # classificeren → Burgerzaken
            run.walk(prefer=hero)

    # -- 5. hand-over ping-pong between Burgerzaken and the KCC
    def ping_pong(self) -> None:
        for week in (4.5, 11.3, 19.1, 22.4):
            run = _Run(self, self.moment(week))
            registrar = self.kcc()
            run.register(
                self.vd,
                "serviceverzoek",
                "Verhuizing: huisnummertoevoeging onduidelijk",
                description="Het nieuwe adres heeft meerdere toevoegingen.",
                by=registrar,
                channel=Channel.COUNTER,
                **self.citizen(),
            )
            run.step(20, prefer=registrar)
            run.step(15, prefer=registrar)  # → Burgerzaken
            bz = self.hero_or_colleague()
            run.wait(40)
            run.hand_over(
                "Klantcontactcentrum",
                by=bz,
                reason="Toevoeging ontbreekt; het KCC moet de inwoner bellen.",
            )
            run.wait(60)
            run.comment(
                "Inwoner gebeld: het is 12-B. Terug naar Burgerzaken.",
                by=registrar,
                public=False,
            )
            run.hand_over("Burgerzaken", by=registrar, reason="Toevoeging bekend: 12-B.")
            run.walk(prefer=bz)

    # -- 6. the same exception, legitimised again and again
    def normalised_exception(self) -> None:
        owner = self.user("service_owner")
        for week in (5.3, 9.7, 15.2, 21.0):
            run = _Run(self, self.moment(week))
            run.register(
                self.vd,
                "serviceverzoek",
                "Verhuizing ruim na de verhuisdatum doorgegeven",
                description="Verhuisd zes weken geleden; nu pas doorgegeven.",
                by=self.kcc(),
                channel=Channel.PHONE,
                **self.citizen(),
            )
            run.step(20)
            run.step(20)
            run.wait(10)
            run.exception(
                by=self.hero_or_colleague(0.5),
                kind=ExceptionKind.AGREEMENT,
                description="Verhuisdatum ligt meer dan vijf dagen terug; toch met terugwerkende "
                "kracht inschrijven.",
                decider=owner,
                note="Akkoord, zoals eerder.",
            )
            run.walk(prefer=self.hero_or_colleague())

    # -- 7. calls that waited for the hero
    def hero_waits(self) -> None:
        coordinator = self.user("team_coordinator")
        for week in (7.1, 12.2, 18.3):
            run = _Run(self, self.moment(week))
            run.register(
                self.vd,
                "serviceverzoek",
                "Verhuizing met adresonderzoek",
                description="Twijfel over bewoning: adresonderzoek nodig.",
                by=self.kcc(),
                channel=Channel.DESK,
                **self.citizen(),
            )
            run.step(20)
            run.step(20)
            run.wait(30)
            run.assign(self.user(HERO), by=coordinator, note="Daan kent dit adres.")
            run.wait_days(3.2)  # Daan is away; nobody else picks it up
            run.escalate(
                by=self.user("kcc_sophie"),
                reason="Ligt al drie dagen stil bij één medewerker die afwezig is.",
            )
            run.walk()

    # -- 8. the other live services: a steady stream of requests
    def other_services(self) -> None:
        """Wmo-aanvraag through the KCC and the Wmo-loket; Omgevingsvergunning
        straight from the Omgevingsloket to VTH, where one vergunningverlener
        carries nearly all of it (a second hero dependency, by steps as well)."""
        if self.wmo is not None:
            whats = ["traplift", "scootmobiel", "woningaanpassing", "huishoudelijke hulp"]
            for index in range(12):
                run = _Run(self, self.moment(index * (WEEKS - 3) / 12 + 0.3))
                run.register(
                    self.wmo,
                    "serviceverzoek",
                    f"Wmo-aanvraag: {self.rng.choice(whats)}",
                    description="Aanvraag ontvangen; keukentafelgesprek nodig.",
                    by=self.kcc(),
                    channel=Channel.PHONE,
                    **self.citizen(),
                )
                run.walk(prefer=self.user(self.rng.choice(["wmo_karin", "wmo_ali"])))
        if self.omg is not None:
            whats = ["dakkapel", "uitbouw", "zonnepanelen op een monument", "kapvergunning"]
            for index in range(14):
                run = _Run(self, self.moment(index * (WEEKS - 3) / 14 + 0.6))
                registrar = self.kcc()
                run.register(
                    self.omg,
                    "serviceverzoek",
                    f"Omgevingsvergunning: {self.rng.choice(whats)}",
                    description="Aanvraag uit het Omgevingsloket.",
                    by=registrar,
                    channel=Channel.API,
                    **self.citizen(),
                )
                run.wait(self.rng.uniform(5, 20))
                run.hand_over(
                    "Vergunningen, Toezicht en Handhaving",
                    by=registrar,
                    reason="Aanvraag uit het Omgevingsloket: VTH neemt haar aan.",
                )
                carrier = "vth_bram" if self.rng.random() < 0.85 else "vth_iris"
                run.walk(prefer=self.user(carrier))

    # -- 9. open work in every worklist
    def open_work(self) -> None:
        requester = self.user("requester")
        coordinator = self.user("team_coordinator")
        wf_coordinator = self.user("workflow_coordinator")
        hero = self.user(HERO)
        # The operator's own work, assigned by the team coordinator.
        for days in (3, 1.5):
            run = _Run(self, self.recent(days))
            run.register(
                self.vd,
                "serviceverzoek",
                "Verhuizing binnen Middenstad",
                by=self.kcc(),
                channel=Channel.PHONE,
                **self.citizen(),
            )
            run.step(20)
            run.step(20)
            run.wait(20)
            run.assign(hero, by=coordinator)
        # The team coordinator's queue: at Burgerzaken, nobody assigned yet.
        for days in (2, 0.7):
            run = _Run(self, self.recent(days))
            run.register(
                self.vd,
                "serviceverzoek",
                "Verhuizing van buiten de gemeente",
                by=self.kcc(),
                channel=Channel.COUNTER,
                **self.citizen(),
            )
            run.step(15)
            run.step(15)
        # The workflow coordinator steers an incident across the links.
        run = _Run(self, self.recent(2.5))
        run.register(
            self.vd,
            "incident",
            "Bevestigingen verhuizing komen niet aan",
            by=self.kcc(),
            channel=Channel.PHONE,
            category="Berichtenbox",
            impact="high",
            urgency="medium",
            **self.citizen(),
        )
        run.wait(10)
        run.coordinate(wf_coordinator)
        run.walk(["uitvoeren"], until="herstellen-voorbereiden")
        # The supplier's handed-over call: an incident in the case system.
        run = _Run(self, self.recent(1.8))
        run.register(
            self.vd,
            "incident",
            "Zaaksysteem: deeltaken verhuizing blijven in de wachtrij",
            by=self.kcc(),
            channel=Channel.PHONE,
            category="Zaaksysteem",
            impact="high",
            urgency="high",
            **self.citizen(),
        )
        run.wait(5)
        run.coordinate(wf_coordinator)
        run.walk(until="herstellen-herstellen")
        run.wait(20)
        run.hand_over(
            "Dossierlijn B.V.",
            by=wf_coordinator,
            reason="De oorzaak ligt in het zaaksysteem zelf; Dossierlijn herstelt.",
        )
        run.comment("Melding bij Dossierlijn uitgezet.", by=wf_coordinator, public=False)
        # The requester's own calls: one open, one awaiting her confirmation.
        run = _Run(self, self.recent(4))
        run.register(
            self.vd,
            "serviceverzoek",
            "Mijn verhuizing naar de Lindelaan",
            by=requester,
            channel=Channel.PORTAL,
        )
        run.walk(until="uitvoeren-toetsen", prefer=hero)
        run.comment(
            "Uw verhuizing is verwerkt. Wilt u bevestigen dat alles klopt?",
            by=run.holder_workers()[0],
            public=True,
        )
        run = _Run(self, self.recent(1))
        run.register(
            self.vd,
            "serviceverzoek",
            "Verhuizing van mijn moeder doorgeven",
            by=requester,
            channel=Channel.PORTAL,
        )
        run.step(30)
        # An exception awaiting the service owner's decision.
        run = _Run(self, self.recent(1.2))
        run.register(
            self.vd,
            "serviceverzoek",
            "Verhuizing: inschrijving met spoed vóór de sleuteldatum",
            by=self.kcc(),
            channel=Channel.PHONE,
            **self.citizen(),
        )
        run.step(15)
        run.step(15)
        run.wait(30)
        run.exception(
            by=self.user("bz_lisa"),
            kind=ExceptionKind.NORM,
            description="Inwoner heeft de inschrijving binnen een dag nodig voor een huurtoeslag.",
        )
