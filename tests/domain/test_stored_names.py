"""Stored names are pinned (ADR 0026): every topic a ledger has ever been written with
still resolves to a class of the ledger's own, and a new event class is stored only
under a name someone added to ``stored_topics.txt`` on purpose."""

from __future__ import annotations

from pathlib import Path

from eventsourcing.utils import get_topic, resolve_topic

from demo.generator import generate
from domain.procedure import ProcedurePolicy
from domain.stored_names import KIND_OF_TOPIC, MOVED, event_classes, stored_kind

PINNED = Path(__file__).with_name("stored_topics.txt")


def pinned_topics() -> set[str]:
    return {line.strip() for line in PINNED.read_text().splitlines() if line.strip()}


def test_every_event_class_is_stored_under_a_pinned_name() -> None:
    unpinned = set(event_classes()) - pinned_topics()
    assert not unpinned, (
        f"new stored names {sorted(unpinned)}: add them to {PINNED.name} on purpose "
        "(a stored name can never change afterwards)"
    )


def test_every_pinned_name_still_means_one_of_the_ledgers_event_classes() -> None:
    classes = set(event_classes().values())
    for topic in pinned_topics():
        assert stored_kind(topic) is not None, f"{topic} is no longer known: add it to MOVED"
        assert resolve_topic(topic) in classes, f"{topic} resolves outside the ledger"


def test_a_moved_name_resolves_to_the_class_it_now_means() -> None:
    for old, cls in MOVED.items():
        assert resolve_topic(old) is cls
        assert stored_kind(old) == stored_kind(get_topic(cls))


def test_a_name_the_ledger_never_stored_is_not_known() -> None:
    assert stored_kind("this:s") is None
    assert stored_kind("domain.complaint:Complaint") is None  # the aggregate, not an event


def test_a_generated_ledger_stores_only_pinned_names_of_every_kind() -> None:
    pinned = pinned_topics()
    stored = {
        get_topic(type(event))
        for chunk in generate(
            seed=7, years=2, cases_per_year=60, first_year=2023, policy=ProcedurePolicy()
        )
        for aggregate in chunk
        for event in aggregate.pending_events
    }
    assert stored <= pinned
    # The demo writes no personal notes; their classes are pinned all the same.
    assert {KIND_OF_TOPIC[topic] for topic in stored} == {
        "complaint",
        "representation",
        "reference-sequence",
    }
