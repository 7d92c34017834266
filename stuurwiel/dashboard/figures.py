"""What the signals return: plain dataclasses with the figures and the calls
behind them (:mod:`stuurwiel.dashboard.selectors` fills them), and the thresholds
that decide when a figure is a finding — where the book gives no number, our
reading, and the page says so."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from stuurwiel.calls.models import Call, ClockResult, SeparationRelaxation

#: The most calls listed behind one figure on the dashboard and in the API (the
#: figure itself counts them all, and links to the whole list, a page of its own):
#: a manager reads the newest few; 25 per group made the recurring problems alone
#: list over a thousand calls.
LISTED = 5

#: Structural escalations (our reading: the book gives no number).
ESCALATION_MIN_COUNT = 3
ESCALATION_MIN_SHARE = 0.10
#: Normalised exceptions: approved this often in the period, never improved upon.
EXCEPTION_MIN_COUNT = 3
#: Hero dependency (our reading): one person on this share of at least this many calls.
HERO_MIN_SHARE = 0.5
HERO_MIN_CALLS = 10
#: A call waited for the hero when their next step came this much later (our reading:
#: 48 hours rather than two business days, so it needs no calendar).
HERO_WAIT = datetime.timedelta(hours=48)
#: Recurring problems: this many incidents of one service and category.
RECURRING_MIN_COUNT = 3
#: A clock's share of calls within its norm counts as green from this share (our reading:
#: the agreements set the norm per call; the seeds name no target share of calls).
NORM_TARGET_SHARE = 0.9


@dataclass
class NormRow:
    """One clock (the chain's SA, or one link's OLA/UC) of one service and norm kind."""

    service_id: int
    service: str
    link_id: int | None  # None: the chain's SA clock
    link: str
    position: int
    norm_kind: str
    met: int
    breached: int
    running: int

    @property
    def decided(self) -> int:
        return self.met + self.breached

    @property
    def share_met(self) -> float | None:
        """Met among the clocks that stopped (running ones are not decided yet)."""
        return self.met / self.decided if self.decided else None

    @property
    def percent_met(self) -> int | None:
        share = self.share_met
        return None if share is None else round(share * 100)

    @property
    def on_target(self) -> bool | None:
        """Green (at least :data:`NORM_TARGET_SHARE` within the norm), red, or not
        decided yet (no clock stopped)."""
        share = self.share_met
        return None if share is None else share >= NORM_TARGET_SHARE


@dataclass
class NormFigures:
    rows: list[NormRow]
    breached_calls: list[Call]
    breached_count: int = 0  # the calls with a breached clock, all of them

    def chain(self) -> list[NormRow]:
        return [row for row in self.rows if row.link_id is None]


@dataclass
class WatermelonCall:
    call: Call
    chain: list[ClockResult]  # the chain's SA clocks (per norm kind)
    links: list[ClockResult]  # each link's OLA/UC clocks, in chain order


@dataclass
class WatermelonFigures:
    per_service: dict[str, int]
    count: int
    calls: list[WatermelonCall]
    norms: NormFigures | None = None  # the shares side by side (the watermelon view)


@dataclass
class PingPongPair:
    service: str
    returning_link: str  # the link that holds the call again (A)
    between_link: str  # the link it came back from (B)
    count: int


@dataclass
class PingPongFigures:
    per_service: dict[str, int]  # calls with ping-pong
    pairs: list[PingPongPair]
    calls: list[Call]

    @property
    def count(self) -> int:
        return sum(self.per_service.values())


@dataclass
class EscalationRow:
    service: str
    link: str
    escalations: int
    calls_escalated: int
    service_calls: int

    @property
    def share(self) -> float:
        return self.calls_escalated / self.service_calls if self.service_calls else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def structural(self) -> bool:
        return self.escalations >= ESCALATION_MIN_COUNT and self.share >= ESCALATION_MIN_SHARE


@dataclass
class EscalationFigures:
    rows: list[EscalationRow]
    calls: list[Call]
    escalated_count: int = 0  # the calls escalated, all of them

    @property
    def structural(self) -> list[EscalationRow]:
        return [row for row in self.rows if row.structural]


@dataclass
class ExceptionRow:
    service_id: int
    service: str
    kind: str
    kind_label: str
    approved: int
    improved: int  # of those calls, how many raised an improvement (a risk)

    @property
    def normalised(self) -> bool:
        return self.approved >= EXCEPTION_MIN_COUNT and self.improved == 0


@dataclass
class ExceptionFigures:
    rows: list[ExceptionRow]
    calls: list[Call]

    @property
    def normalised(self) -> list[ExceptionRow]:
        return [row for row in self.rows if row.normalised]


@dataclass
class HeroRow:
    service_id: int
    service: str
    person_id: int
    person: str
    steps: int
    calls: int  # the service's calls in which they completed a step
    service_calls: int
    waited: list[Call] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.calls / self.service_calls if self.service_calls else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def flagged(self) -> bool:
        return self.share >= HERO_MIN_SHARE and self.service_calls >= HERO_MIN_CALLS


@dataclass
class HeroFigures:
    rows: list[HeroRow]  # per service: the person who completed most steps

    @property
    def flagged(self) -> list[HeroRow]:
        return [row for row in self.rows if row.flagged]


@dataclass
class RecurringRow:
    service_id: int
    service: str
    category: str
    incidents: int
    latest_id: int | None = None
    risk: Call | None = None  # a risk for this problem exists already
    calls: list[Call] = field(default_factory=list)


@dataclass
class RecurringFigures:
    rows: list[RecurringRow]


@dataclass
class Signals:
    start: Any
    end: Any
    calls: int
    findings: list[SeparationRelaxation]
    norms: NormFigures
    watermelon: WatermelonFigures
    ping_pong: PingPongFigures
    escalations: EscalationFigures
    exceptions: ExceptionFigures
    heroes: HeroFigures
    recurring: RecurringFigures
    as_of: Any = None  # the figures are those of the roll-up at this moment (None: none yet)
