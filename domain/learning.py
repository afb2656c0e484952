"""Learning and service improvement, and the Complaint Handling Code's annual
self-assessment (ADR 0030).

A :class:`LearningStatement` is recorded against a case or a learning theme: what went
wrong, what was learnt, the action, the team that owns it and when it is due; later
that it was done (with evidence) and the wording the council approved to publish ("you
said, we did"). Its words are personal data: the ledger seals them inside the steps
before they are stored (:data:`LEARNING_TEXT`, as for a complaint's typed text, ADR 0028),
and only the approved wording is ever quoted, after a check that it names nobody.

A :class:`SelfAssessment` holds a council's answers for one financial year against
each section of the Ombudsman's Complaint Handling Code (:data:`CODE_SECTIONS`), and
the governing body's response. A later answer for a section supersedes the earlier;
both stay in the history. These are the council's own statements about its
procedure, published by design (section 8 of the Code), and are stored as typed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import errors
from domain.complaint import LEDGER_NAMESPACE
from domain.personal import named_in
from domain.procedure import ProcedurePolicy, check_name

LEARNING_PREFIX = "LRN"

#: The sections of the Housing Ombudsman's and the Local Government and Social Care
#: Ombudsman's joint Complaint Handling Code, by number (docs/domain.md).
CODE_SECTIONS: dict[int, str] = {
    1: "Definitions",
    2: "Exclusions",
    3: "Accessibility and awareness",
    4: "Complaint handling staff",
    5: "The complaint handling process",
    6: "Complaint stages",
    7: "Putting things right",
    8: "Self-assessment, reporting and compliance",
    9: "Scrutiny and oversight: continuous learning and improvement",
}
COMPLIANCE = ("yes", "partly", "no")

#: Status of a learning action on a day: done, overdue (past due, not done) or open.
LEARNING_STATUSES = ("open", "overdue", "done")

#: A title followed by a capitalised word: a person named by title ("Mrs Okafor").
_TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master)\.?\s+[A-Z][a-z'\-]+")


def learning_id(ref: str) -> UUID:
    return uuid5(LEDGER_NAMESPACE, "learning:" + ref)


def year_label(start_year: int) -> str:
    """``2026/27`` for the financial year starting 1 April 2026."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def self_assessment_id(start_year: int) -> UUID:
    return uuid5(LEDGER_NAMESPACE, f"self-assessment:{year_label(start_year)}")


def learning_status(done_on: date | None, due: date, on: date) -> str:
    """``done`` (by ``on``), ``overdue`` (due before ``on``, not done) or ``open``."""
    if done_on is not None and done_on <= on:
        return "done"
    return "overdue" if due < on else "open"


def _check_on(on: date, policy: ProcedurePolicy) -> None:
    if policy.today is not None and on > policy.today:
        raise errors.DateOutOfOrder(
            f"{on.isoformat()} is in the future (today is {policy.today.isoformat()})"
        )


def _required(what: str, text: str | None) -> str:
    if text is None or not text.strip():
        raise errors.LearningRule(f"say {what}")
    return text


def check_public_wording(wording: str, names: str = "") -> None:
    """Refuse (:class:`errors.WordingNamesAPerson`) a wording that still contains a word
    of the recorded ``names`` (the check a compliment's extract passes) or names a
    person by title."""
    name = named_in(wording, names)
    if name is None:
        titled = _TITLED_NAME.search(wording)
        name = titled.group(0) if titled else None
    if name is not None:
        raise errors.WordingNamesAPerson(
            f"the wording names {name!r}: remove names before it is published"
        )


class LearningStatement(Aggregate):
    """What a complaint (or a theme of complaints) taught the council, and what it did."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        ref: str
        recorded_on: date
        case_ref: str | None
        theme: str | None
        team: str
        due: date
        done_on: date | None
        approved_on: date | None
        approved_version: int | None
        erased: dict[str, Any] | None

    class Recorded(Aggregate.Created):
        on: date
        actor: str
        ref: str
        case_ref: str | None
        theme: str | None
        team: str
        due: date
        went_wrong: str
        learnt: str
        action: str

        def apply(self, aggregate: Any) -> None:
            aggregate.ref = self.ref
            aggregate.recorded_on = self.on
            aggregate.case_ref = self.case_ref
            aggregate.theme = self.theme
            aggregate.team = self.team
            aggregate.due = self.due
            aggregate.done_on = None
            aggregate.approved_on = None
            aggregate.approved_version = None
            aggregate.erased = None

    class ActionDone(Aggregate.Event):
        on: date
        actor: str
        evidence: str

        def apply(self, aggregate: Any) -> None:
            aggregate.done_on = self.on

    class WordingApproved(Aggregate.Event):
        """The council approved ``wording`` for publication ("you said, we did")."""

        on: date
        actor: str
        wording: str

        def apply(self, aggregate: Any) -> None:
            aggregate.approved_on = self.on
            aggregate.approved_version = self.originator_version

    class Erased(Aggregate.Event):
        """The statement's words were erased (its key destroyed); no personal data."""

        on: date
        actor: str
        basis: str

        def apply(self, aggregate: Any) -> None:
            aggregate.erased = {"on": self.on, "actor": self.actor, "basis": self.basis}

    @classmethod
    def record(
        cls,
        *,
        ref: str,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        team: str,
        due: date,
        went_wrong: str,
        learnt: str,
        action: str,
        case_ref: str | None = None,
        theme: str | None = None,
    ) -> LearningStatement:
        _check_on(on, policy)
        if case_ref is None and theme is None:
            raise errors.LearningRule("record a learning statement against a case or a theme")
        if theme is not None:
            check_name("learning theme", theme, policy.taxonomy.themes)
        if due < on:
            raise errors.LearningDueBeforeStatement(
                f"the action is due {due.isoformat()}, before the statement ({on.isoformat()})"
            )
        owner = policy.team(_required("which team owns the action", team), on)
        assert owner is not None
        return cls._create(
            cls.Recorded,
            id=learning_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            case_ref=case_ref,
            theme=theme,
            team=owner,
            due=due,
            went_wrong=_required("what went wrong", went_wrong),
            learnt=_required("what was learnt", learnt),
            action=_required("what action is taken", action),
        )

    def done(self, *, on: date, actor: str, policy: ProcedurePolicy, evidence: str) -> None:
        """The action was carried out; ``evidence`` says how that is known."""
        _check_on(on, policy)
        if on < self.recorded_on:
            raise errors.DateOutOfOrder(
                f"{on.isoformat()} is before the statement ({self.recorded_on.isoformat()})"
            )
        if self.done_on is not None:
            raise errors.LearningAlreadyDone(
                f"the action of {self.ref} was done on {self.done_on.isoformat()}"
            )
        self.trigger_event(
            self.ActionDone, on=on, actor=actor, evidence=_required("the evidence", evidence)
        )

    def approve_wording(
        self, *, on: date, actor: str, policy: ProcedurePolicy, wording: str, names: str = ""
    ) -> None:
        """Approve the words to publish; refused while they name a person (a word of the
        case's recorded ``names``, or anyone by title). A later approval replaces it."""
        _check_on(on, policy)
        if on < self.recorded_on:
            raise errors.DateOutOfOrder(
                f"{on.isoformat()} is before the statement ({self.recorded_on.isoformat()})"
            )
        _required("the wording to publish", wording)
        check_public_wording(wording, names)
        self.trigger_event(self.WordingApproved, on=on, actor=actor, wording=wording)

    def erase(self, *, on: date, actor: str, policy: ProcedurePolicy, basis: str) -> None:
        """Record that the words of a statement recorded against a theme alone were
        erased; a statement recorded against a case is erased with the case."""
        _check_on(on, policy)
        if self.case_ref is not None:
            raise errors.LearningRule(
                f"{self.ref} is sealed under case {self.case_ref}'s key: erase the case "
                f"(complaints erase {self.case_ref} --subject case)"
            )
        if self.erased is not None:
            raise errors.AlreadyErased(
                f"the words of {self.ref} were erased on {self.erased['on'].isoformat()}"
            )
        if not basis or not basis.strip():
            raise errors.LearningRule("say the basis of the erasure")
        self.trigger_event(self.Erased, on=on, actor=actor, basis=basis)


#: The free text of each learning step, sealed by the ledger before it is stored.
LEARNING_TEXT: dict[type, tuple[str, ...]] = {
    LearningStatement.Recorded: ("went_wrong", "learnt", "action"),
    LearningStatement.ActionDone: ("evidence",),
    LearningStatement.WordingApproved: ("wording",),
}


class SelfAssessment(Aggregate):
    """A council's self-assessment against the Code for one financial year, and the
    governing body's response to the year's report."""

    if TYPE_CHECKING:
        start_year: int
        answers: dict[int, dict[str, Any]]
        governing_response: dict[str, Any] | None

    class Started(Aggregate.Created):
        start_year: int

        def apply(self, aggregate: Any) -> None:
            aggregate.start_year = self.start_year
            aggregate.answers = {}
            aggregate.governing_response = None

    class SectionAnswered(Aggregate.Event):
        on: date
        actor: str
        section: int
        compliance: str
        evidence: str
        explanation: str

        def apply(self, aggregate: Any) -> None:
            aggregate.answers[self.section] = {
                "on": self.on,
                "actor": self.actor,
                "compliance": self.compliance,
                "evidence": self.evidence,
                "explanation": self.explanation,
                "version": self.originator_version,
            }

    class GoverningBodyResponded(Aggregate.Event):
        on: date
        actor: str
        text: str

        def apply(self, aggregate: Any) -> None:
            aggregate.governing_response = {"on": self.on, "actor": self.actor, "text": self.text}

    @classmethod
    def start(cls, start_year: int) -> SelfAssessment:
        return cls._create(cls.Started, id=self_assessment_id(start_year), start_year=start_year)

    @property
    def label(self) -> str:
        return year_label(self.start_year)

    def _check_date(self, on: date, policy: ProcedurePolicy) -> None:
        _check_on(on, policy)
        if on < date(self.start_year, 4, 1):
            raise errors.DateOutOfOrder(f"{on.isoformat()} is before the year {self.label} began")

    def answer(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        section: int,
        compliance: str,
        evidence: str,
        explanation: str,
    ) -> None:
        """The council's answer for one section of the Code; a later one supersedes it."""
        if section not in CODE_SECTIONS:
            raise errors.UnknownCodeSection(
                f"the Complaint Handling Code has no section {section} "
                f"(sections 1 to {max(CODE_SECTIONS)})"
            )
        check_name("compliance", compliance, COMPLIANCE)
        self._check_date(on, policy)
        for what, text in (("the evidence", evidence), ("the explanation", explanation)):
            if not text or not text.strip():
                raise errors.SelfAssessmentRule(f"give {what} for section {section}")
        self.trigger_event(
            self.SectionAnswered,
            on=on,
            actor=actor,
            section=section,
            compliance=compliance,
            evidence=evidence,
            explanation=explanation,
        )

    def respond(self, *, on: date, actor: str, policy: ProcedurePolicy, text: str) -> None:
        """The governing body's response to the year's report and self-assessment."""
        self._check_date(on, policy)
        if not text or not text.strip():
            raise errors.SelfAssessmentRule("give the governing body's response")
        self.trigger_event(self.GoverningBodyResponded, on=on, actor=actor, text=text)
