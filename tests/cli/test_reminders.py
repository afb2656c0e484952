"""Reminders (issue 15, ADR 0033): each owner is told once a day what is due, by a
real mail server the test starts (aiosmtpd on 127.0.0.1), and the open deadlines go
into an iCalendar file that re-imports without duplicates. Both engines."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from tests.cli.conftest import Complaints

SETTINGS = """
[[owners]]
team = "Locality North"
manager = "north.manager@example.gov.uk"
escalation = "head.cin@example.gov.uk"
deputy = "north.deputy@example.gov.uk"

[[owners]]
service_area = "Children in Care"
manager = "cic.manager@example.gov.uk"
escalation = "head.cic@example.gov.uk"

[[owners]]
team = "Front Door"
manager = "front.door@example.gov.uk"
escalation = "head.cin@example.gov.uk"
"""

#: The day the owners are reminded on: a Wednesday.
DAY = "2025-04-23"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """What the mail server accepted, and a refusal it may be told to make."""

    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    #: Refuse (550) the n-th digest's recipient (1-based), once.
    refuse_digest: int | None = None
    recipients_seen: int = 0

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if not envelope.rcpt_tos:  # the first recipient of a message: a new digest
            self.recipients_seen += 1
            if self.refuse_digest == self.recipients_seen:
                self.refuse_digest = None
                return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def told(self) -> dict[str, Message]:
        found: dict[str, Message] = {}
        for _, raw in self.messages:
            message = message_from_bytes(raw)
            found[str(message["To"])] = message
        return found


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, str]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def owned(complaints: Complaints, tmp_path: Path) -> tuple[Complaints, Path]:
    """A small ledger with owners: a case of Locality North received on 7 April 2025
    (not acknowledged: overdue a fortnight; its response due on the day), one of the
    Fostering team (Children in Care) received the day before (its acknowledgement due
    tomorrow), and a recommendation accepted for Front Door due in five days."""
    config = tmp_path / "complaints.toml"
    config.write_text(SETTINGS, encoding="utf-8")
    c = complaints
    c.ok(
        "receive", "--on", "2025-04-07", "--procedure", "statutory", "--channel", "email",
        "--role", "parent", "--service-area", "Children in Need", "--team", "Locality North",
        "--reason", "poor-communication", "--complainant", "Philippa Quartermaine",
        "--summary", "Zebedee never rang back about the respite",
    )  # fmt: skip
    c.ok(
        "receive", "--on", "2025-04-22", "--procedure", "statutory", "--channel", "email",
        "--role", "parent", "--service-area", "Children in Care", "--team", "Fostering",
        "--reason", "poor-communication",
    )  # fmt: skip
    c.ok("recommend", "CSC-2025-0002", "--on", "2025-04-22", "--text", "Ring Mrs Quartermaine")
    c.ok(
        "recommendation", "accept", "CSC-2025-0002", "R1", "--on", "2025-04-22",
        "--owner", "Front Door", "--due", "2025-04-28",
    )  # fmt: skip
    return c, config


def remind(c: Complaints, config: Path, server: str, *more: str) -> Any:
    return c("remind", "--config", str(config), "--on", DAY, "--smtp", server, *more)


def test_each_owner_is_told_what_is_due_in_one_digest(
    owned: tuple[Complaints, Path], inbox: tuple[Inbox, str]
) -> None:
    c, config = owned
    mail, server = inbox
    result = remind(c, config, server, "--from", "complaints@example.gov.uk")
    assert result.exit_code == 0, result.output
    told = mail.told()
    assert set(told) == {
        "north.manager@example.gov.uk",
        "head.cin@example.gov.uk",  # the acknowledgement is 10 working days overdue
        "cic.manager@example.gov.uk",
        "front.door@example.gov.uk",
    }
    north = told["north.manager@example.gov.uk"]
    assert north["Cc"] == "north.deputy@example.gov.uk"
    assert north["From"] == "complaints@example.gov.uk"
    assert north.is_multipart()
    types = [part.get_content_type() for part in north.walk()]
    assert "text/plain" in types and "text/html" in types
    payload = north.get_payload()[0].get_payload(decode=True)  # type: ignore[index,union-attr]
    text = payload.decode().replace("\r\n", "\n")
    assert "Due 2025-04-09\n- CSC-2025-0001 stage 1 acknowledgement: escalated" in text
    assert "Due 2025-04-23\n- CSC-2025-0001 stage 1 response: due" in text
    escalated = str(told["head.cin@example.gov.uk"].get_payload()[0])  # type: ignore[index]
    assert "CSC-2025-0001 stage 1 acknowledgement" in escalated
    assert "response" not in escalated  # not overdue: the escalation contact is spared
    assert "CSC-2025-0002 stage 1 acknowledgement: due" in str(told["cic.manager@example.gov.uk"])
    assert "CSC-2025-0002 stage 1 recommendation: due" in str(told["front.door@example.gov.uk"])
    # The deputy got the copy through the envelope.
    assert any("north.deputy@example.gov.uk" in to for to, _ in mail.messages)


def test_a_second_run_on_the_same_day_tells_nobody_twice_and_verify_covers_the_log(
    owned: tuple[Complaints, Path], inbox: tuple[Inbox, str]
) -> None:
    c, config = owned
    mail, server = inbox
    assert remind(c, config, server).exit_code == 0
    assert len(mail.messages) == 4
    again = remind(c, config, server)
    assert again.exit_code == 0, again.output
    assert len(mail.messages) == 4
    assert "already told north.manager@example.gov.uk on 2025-04-23" in again.stdout
    assert c("verify").exit_code == 0


def test_nothing_personal_is_in_any_digest(
    owned: tuple[Complaints, Path], inbox: tuple[Inbox, str]
) -> None:
    c, config = owned
    mail, server = inbox
    assert remind(c, config, server).exit_code == 0
    assert mail.messages
    for _, raw in mail.messages:
        for word in (b"Philippa", b"Quartermaine", b"Zebedee", b"respite", b"Ring"):
            assert word not in raw


def test_a_server_refusing_part_way_leaves_the_rest_to_the_next_run(
    owned: tuple[Complaints, Path], inbox: tuple[Inbox, str]
) -> None:
    c, config = owned
    mail, server = inbox
    mail.refuse_digest = 2
    failed = remind(c, config, server)
    assert failed.exit_code == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: mail server 127.0.0.1:"), lines
    assert "550" in lines[0]
    assert len(mail.messages) == 1
    rerun = remind(c, config, server)
    assert rerun.exit_code == 0, rerun.output
    addresses = [message_from_bytes(raw)["To"] for _, raw in mail.messages]
    assert sorted(addresses) == sorted(set(addresses)) and len(addresses) == 4


def test_a_dry_run_prints_the_digests_and_sends_and_records_nothing(
    owned: tuple[Complaints, Path], inbox: tuple[Inbox, str]
) -> None:
    c, config = owned
    mail, server = inbox
    dry = remind(c, config, server, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "To: north.manager@example.gov.uk" in dry.stdout
    assert "CSC-2025-0001 stage 1 response: due" in dry.stdout
    assert "Quartermaine" not in dry.stdout
    assert mail.messages == []
    assert remind(c, config, server).exit_code == 0
    assert len(mail.messages) == 4  # nothing was recorded as told by the dry run


def test_an_unreachable_server_is_one_line_naming_it(
    owned: tuple[Complaints, Path],
) -> None:
    c, config = owned
    server = f"127.0.0.1:{free_port()}"
    result = remind(c, config, server)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith(f"Error: cannot reach mail server {server}")


@pytest.mark.parametrize("smtp", ["mail.example.gov.uk", "host:port", "host:99999", ":25"])
def test_a_malformed_smtp_server_is_a_usage_mistake(
    owned: tuple[Complaints, Path], smtp: str
) -> None:
    c, config = owned
    result = c("remind", "--config", str(config), "--on", DAY, "--smtp", smtp)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_calendar_holds_every_open_deadline_once_with_stable_uids(
    owned: tuple[Complaints, Path], tmp_path: Path
) -> None:
    c, config = owned
    first, second = tmp_path / "one.ics", tmp_path / "two.ics"
    for out in (first, second):
        c.ok("calendar", "--config", str(config), "--on", DAY, "--out", str(out))
    events = Calendar.from_ical(first.read_bytes()).walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == [
        "CSC-2025-0001 stage 1 acknowledgement due",
        "CSC-2025-0001 stage 1 response due",
        "CSC-2025-0002 stage 1 acknowledgement due",
        "CSC-2025-0002 stage 1 recommendation due",
        "CSC-2025-0002 stage 1 response due",
    ]
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert "CSC-2025-0001-1-response@complaints-ledger" in uids
    again = [str(e["UID"]) for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT")]
    assert again == uids
    starts = {str(e["UID"]): e.decoded("DTSTART").isoformat() for e in events}
    assert starts["CSC-2025-0001-1-acknowledgement@complaints-ledger"] == "2025-04-09"


def test_a_calendar_for_one_team_or_one_owner(
    owned: tuple[Complaints, Path], tmp_path: Path
) -> None:
    c, config = owned
    out = tmp_path / "team.ics"
    c.ok("calendar", "--config", str(config), "--on", DAY, "--team", "Fostering", "--out", str(out))
    refs = {
        str(e["SUMMARY"]).split()[0] for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    }
    assert refs == {"CSC-2025-0002"}
    mine = tmp_path / "mine.ics"
    c.ok(
        "calendar", "--config", str(config), "--on", DAY,
        "--owner", "front.door@example.gov.uk", "--out", str(mine),
    )  # fmt: skip
    events = Calendar.from_ical(mine.read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["CSC-2025-0002 stage 1 recommendation due"]


def test_a_calendar_for_an_unknown_team_writes_nothing(
    owned: tuple[Complaints, Path], tmp_path: Path
) -> None:
    c, config = owned
    out = tmp_path / "nobody.ics"
    result = c("calendar", "--config", str(config), "--team", "Nobody Here", "--out", str(out))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: unknown team 'Nobody Here'")
    assert not out.exists()
    assert list(tmp_path.glob(".nobody.ics.*")) == []


def test_a_stage3_panel_is_reminded_five_working_days_before_it_must_meet(
    complaints: Complaints, tmp_path: Path
) -> None:
    config = tmp_path / "complaints.toml"
    config.write_text(SETTINGS, encoding="utf-8")
    c = complaints
    c.ok(
        "receive", "--on", "2024-04-02", "--procedure", "statutory", "--channel", "email",
        "--role", "parent", "--team", "Locality North", "--reason", "poor-communication",
    )  # fmt: skip
    c.ok("acknowledge", "CSC-2024-0001", "--on", "2024-04-03")
    c.ok("respond", "CSC-2024-0001", "--on", "2024-04-10", "--outcome", "not-upheld")
    c.ok("escalate", "CSC-2024-0001", "--on", "2024-04-15")
    c.ok("respond", "CSC-2024-0001", "--on", "2024-05-20", "--outcome", "not-upheld")
    c.ok("escalate", "CSC-2024-0001", "--on", "2024-05-22")
    c.ok("acknowledge", "CSC-2024-0001", "--on", "2024-05-23")

    def panel_lines(day: str) -> list[str]:
        out = c.ok("remind", "--config", str(config), "--on", day, "--dry-run")
        return [line for line in out.splitlines() if "panel" in line]

    # Requested 22 May 2024: the panel meets within 30 working days, by 4 July.
    assert panel_lines("2024-06-26") == []
    assert panel_lines("2024-06-27") == ["- CSC-2024-0001 stage 3 panel: due [Locality North]"]
    out = tmp_path / "panel.ics"
    c.ok("calendar", "--config", str(config), "--on", "2024-06-27", "--out", str(out))
    (event,) = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) == "CSC-2024-0001-3-panel@complaints-ledger"
    assert event.decoded("DTSTART").isoformat() == "2024-07-04"


def test_starttls_to_a_server_without_it_is_one_line_and_tells_nobody(
    owned: tuple[Complaints, Path], inbox: tuple[Inbox, str]
) -> None:
    c, config = owned
    mail, server = inbox
    result = remind(c, config, server, "--starttls")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: mail server {server}: "), lines
    assert mail.messages == []
    assert remind(c, config, server).exit_code == 0
    assert len(mail.messages) == 4
