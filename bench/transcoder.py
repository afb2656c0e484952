"""Measure the event transcoder: orjson (ours) against the library's JSONTranscoder.

Both encode and decode the same realistic events (a case walked through every stage).
The library's default is the baseline; the ratio is measured in the same run.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    Transcoding,
    UUIDAsHex,
)

from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy
from ledger.store.storage import OrjsonTranscoder


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def library_transcoder() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    return transcoder


def sample_states() -> list[dict[str, Any]]:
    policy = ProcedurePolicy(today=date(2026, 1, 1))
    c = Complaint.receive(
        ref="CSC-2024-0001",
        on=date(2024, 5, 1),
        actor="officer",
        policy=policy,
        channel="email",
        role="parent",
        service_area="Children in Need",
        team="Locality North",
        reasons=["poor-communication", "delays-in-service"],
    )
    c.triage(on=date(2024, 5, 1), actor="officer", policy=policy, decision="statutory")
    c.acknowledge(on=date(2024, 5, 2), actor="officer", policy=policy)
    c.extend(on=date(2024, 5, 10), actor="officer", policy=policy, reason="complex")
    c.respond(
        on=date(2024, 5, 20),
        actor="manager",
        policy=policy,
        outcome="partly-upheld",
        remedies=["apology", "explanation"],
    )
    c.escalate(on=date(2024, 5, 28), actor="officer", policy=policy)
    c.compensate(on=date(2024, 6, 3), actor="officer", policy=policy, amount=Decimal("250.00"))
    c.recommend(on=date(2024, 6, 3), actor="officer", policy=policy, theme="communication")
    states = []
    for event in c.collect_events():
        state = dict(vars(event))
        state.pop("originator_id")
        state.pop("originator_version")
        states.append(state)
    return states


def rate(work: Callable[[], object], events_per_call: int, seconds: float = 1.0) -> float:
    calls = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        work()
        calls += 1
    return calls * events_per_call / (time.perf_counter() - started)


def measure(transcoder: Transcoder, states: list[dict[str, Any]]) -> tuple[float, float]:
    encoded = [transcoder.encode(s) for s in states]
    assert [transcoder.decode(e) for e in encoded] == states, "round trip changed an event"
    encode = rate(lambda: [transcoder.encode(s) for s in states], len(states))
    decode = rate(lambda: [transcoder.decode(e) for e in encoded], len(states))
    return encode, decode


def main() -> list[str]:
    states = sample_states()
    base_encode, base_decode = measure(library_transcoder(), states)
    ours_encode, ours_decode = measure(OrjsonTranscoder(), states)
    return [
        "## Event transcoder (orjson against the library's JSONTranscoder)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{len(states)} realistic events per round, each rate measured for 1 s.",
        "",
        "| operation | JSONTranscoder (baseline) events/s | OrjsonTranscoder events/s | ratio |",
        "| --- | ---: | ---: | ---: |",
        f"| encode | {base_encode:,.0f} | {ours_encode:,.0f} | {ours_encode / base_encode:.2f}x |",
        f"| decode | {base_decode:,.0f} | {ours_decode:,.0f} | {ours_decode / base_decode:.2f}x |",
        "",
    ]


if __name__ == "__main__":
    print("\n".join(main()))
