"""The signals as JSON: the same figures as the dashboard, with the calls behind
them (number, title, service) for a report or another tool."""

from __future__ import annotations

from rest_framework import serializers


class CallRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    service = serializers.CharField(source="service.name")
    call_type = serializers.CharField()
    registered_at = serializers.DateTimeField()


class StandingFindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    team = serializers.CharField(source="team.name")
    reason = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by_name")
    decided_at = serializers.DateTimeField()


class NormRowSerializer(serializers.Serializer):
    service = serializers.CharField()
    link = serializers.CharField(help_text="Empty for the chain's SA clock.")
    chain = serializers.SerializerMethodField()
    norm_kind = serializers.CharField()
    met = serializers.IntegerField()
    breached = serializers.IntegerField()
    running = serializers.IntegerField()
    percent_met = serializers.IntegerField(allow_null=True)

    def get_chain(self, row) -> bool:
        return row.link_id is None


class NormsSerializer(serializers.Serializer):
    rows = NormRowSerializer(many=True)
    breached_calls = CallRefSerializer(many=True, help_text="The newest few.")
    breached_count = serializers.IntegerField(help_text="Calls with a breached clock, all.")


class SignalClockSerializer(serializers.Serializer):
    link = serializers.SerializerMethodField()
    norm_kind = serializers.CharField()
    norm_minutes = serializers.IntegerField()
    used_minutes = serializers.IntegerField()
    state = serializers.CharField()

    def get_link(self, clock) -> str:
        return str(clock.link) if clock.link_id else ""


class WatermelonCallSerializer(serializers.Serializer):
    call = CallRefSerializer()
    chain = SignalClockSerializer(many=True)
    links = SignalClockSerializer(many=True)


class WatermelonSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    per_service = serializers.DictField(child=serializers.IntegerField())
    calls = WatermelonCallSerializer(many=True)


class PingPongPairSerializer(serializers.Serializer):
    service = serializers.CharField()
    returning_link = serializers.CharField()
    between_link = serializers.CharField()
    count = serializers.IntegerField()


class PingPongSerializer(serializers.Serializer):
    per_service = serializers.DictField(child=serializers.IntegerField())
    pairs = PingPongPairSerializer(many=True)
    count = serializers.IntegerField(help_text="Calls handed back, all.")
    calls = CallRefSerializer(many=True, help_text="The newest few.")


class EscalationRowSerializer(serializers.Serializer):
    service = serializers.CharField()
    link = serializers.CharField()
    escalations = serializers.IntegerField()
    calls_escalated = serializers.IntegerField()
    service_calls = serializers.IntegerField()
    percent = serializers.IntegerField()
    structural = serializers.BooleanField()


class EscalationsSerializer(serializers.Serializer):
    rows = EscalationRowSerializer(many=True)
    escalated_count = serializers.IntegerField(help_text="Calls escalated, all.")
    calls = CallRefSerializer(many=True, help_text="The newest few.")


class ExceptionRowSerializer(serializers.Serializer):
    service = serializers.CharField()
    kind = serializers.CharField()
    approved = serializers.IntegerField()
    improved = serializers.IntegerField()
    normalised = serializers.BooleanField()


class ExceptionsSerializer(serializers.Serializer):
    rows = ExceptionRowSerializer(many=True)
    calls = CallRefSerializer(many=True)


class HeroRowSerializer(serializers.Serializer):
    service = serializers.CharField()
    person = serializers.CharField()
    steps = serializers.IntegerField()
    calls = serializers.IntegerField()
    service_calls = serializers.IntegerField()
    percent = serializers.IntegerField()
    flagged = serializers.BooleanField()
    waited = CallRefSerializer(many=True)


class HeroesSerializer(serializers.Serializer):
    rows = HeroRowSerializer(many=True)


class RecurringRowSerializer(serializers.Serializer):
    service = serializers.CharField()
    category = serializers.CharField()
    incidents = serializers.IntegerField()
    latest_id = serializers.IntegerField(allow_null=True)
    risk = CallRefSerializer(allow_null=True)
    calls = CallRefSerializer(many=True)


class RecurringSerializer(serializers.Serializer):
    rows = RecurringRowSerializer(many=True)


class SignalsSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    calls = serializers.IntegerField(help_text="Calls registered in the period.")
    findings = StandingFindingSerializer(many=True)
    norms = NormsSerializer()
    watermelon = WatermelonSerializer()
    ping_pong = PingPongSerializer()
    escalations = EscalationsSerializer()
    exceptions = ExceptionsSerializer()
    heroes = HeroesSerializer()
    recurring = RecurringSerializer()
    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text="The figures are those of the roll-up at this moment (null: none yet); "
        "the calls listed are current.",
    )
