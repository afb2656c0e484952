"""The use cases of learning and the Complaint Handling Code (ADR 0030): learning
statements (recorded, done, their public wording approved, listed, shown), the Code's
self-assessment and the governing body's response, and the documents of
``report code`` and of the annual report's "you said, we did".

The ledger (:class:`ledger.application.Ledger`) holds one :class:`CodeService` as
``Ledger.code``. Each use case is one unit of work of the ledger, so it is checked,
written, chained and projected like every other.

A statement's words are sealed inside its steps before they are stored, as a
complaint's typed text is (ADR 0028): the field holds
``[sealed note text:VERSION:FIELD KEY_ID NONCE CIPHERTEXT]``. A statement recorded
against a case is sealed under that case's ``case`` key, so erasing the case (subject
``case`` or ``all``) erases the statement's words too; a statement recorded against a
theme alone under a key of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import errors
from domain.complaint import Complaint, case_id
from domain.learning import (
    CODE_SECTIONS,
    LEARNING_PREFIX,
    LEARNING_TEXT,
    LearningStatement,
    SelfAssessment,
    learning_id,
    learning_status,
    self_assessment_id,
    year_label,
)
from domain.personal import (
    CASE_SUBJECT,
    AccessLog,
    PersonalDetails,
    SealedNote,
    access_log_id,
    note_subject,
    personal_details_id,
    sealed_in_step,
)
from domain.procedure import TRIAGE_OUT
from projections import tables

if TYPE_CHECKING:
    from domain.procedure import ProcedurePolicy
    from ledger.application import Ledger
    from reports.annual import Period


#: How a statement recorded against a case alone is counted in ``by_theme``.
NO_THEME = "no-theme"


class CodeService:
    """Learning statements, the self-assessment and ``report code``, for one ledger."""

    def __init__(self, app: Ledger) -> None:
        self.app = app

    # ------------------------------------------------------------ sealing the words
    @staticmethod
    def _key_owner(statement: LearningStatement) -> UUID:
        """Whose key seals the statement's words: its case's, else its own."""
        return case_id(statement.case_ref) if statement.case_ref else statement.id

    def _seal(self, statement: LearningStatement) -> None:
        """Seal the words of the statement's pending steps inside the steps."""
        self.app._seal_words(statement, self._key_owner(statement), CASE_SUBJECT, LEARNING_TEXT)

    def _open(self, statement_id: UUID, step: Any, name: str) -> str | None:
        """The words a step holds in ``name``, or ``None`` once their key is destroyed."""
        value = getattr(step, name, None)
        sealed = sealed_in_step(value)
        if sealed is None:
            return value if isinstance(value, str) else None
        note = SealedNote(
            sealed.key,
            CASE_SUBJECT,
            sealed.key_id,
            sealed.nonce,
            sealed.ciphertext,
            step.on,
            step.actor,
        )
        return self.app._open(personal_details_id(statement_id), note)

    def _statement(self, ref: str) -> LearningStatement:
        found = self.app._get(learning_id(ref))
        if not isinstance(found, LearningStatement):
            raise errors.UnknownCase(f"no learning statement with reference {ref!r}")
        return found

    def _act(self, ref: str, command: Any) -> None:
        app = self.app
        policy = app._policy()
        app._ready_to_seal({"text": "-"})

        def work() -> None:
            statement = self._statement(ref)
            command(statement, policy)
            self._seal(statement)
            app.save(statement)

        app.unit_of_work(work)

    # -------------------------------------------------------------- use cases
    def record_learning(
        self,
        *,
        on: date,
        actor: str,
        team: str,
        due: date,
        went_wrong: str,
        learnt: str,
        action: str,
        case_ref: str | None = None,
        theme: str | None = None,
    ) -> str:
        """Record a learning statement against a case or a theme; its reference."""
        app = self.app
        policy = app._policy()
        app._ready_to_seal({"text": "-"})

        def work() -> str:
            if case_ref is not None:
                app.require_complaint(case_ref, "--case")
            ref, sequence = app._next_reference(on, LEARNING_PREFIX)
            statement = LearningStatement.record(
                ref=ref,
                on=on,
                actor=actor,
                policy=policy,
                team=team,
                due=due,
                went_wrong=went_wrong,
                learnt=learnt,
                action=action,
                case_ref=case_ref,
                theme=theme,
            )
            self._seal(statement)
            app.save(sequence, statement)
            return ref

        return app.unit_of_work(work)

    def learning_done(self, ref: str, *, on: date, actor: str, evidence: str) -> None:
        self._act(
            ref,
            lambda statement, policy: statement.done(
                on=on, actor=actor, policy=policy, evidence=evidence
            ),
        )

    def approve_wording(self, ref: str, *, on: date, actor: str, wording: str) -> None:
        """Approve the public wording; refused while it names a person recorded for the
        statement's case (the compliment extract's check) or anyone by title."""

        def approve(statement: LearningStatement, policy: ProcedurePolicy) -> None:
            names = self._names_of_case(statement.case_ref) if statement.case_ref else ""
            statement.approve_wording(
                on=on, actor=actor, policy=policy, wording=wording, names=names
            )

        self._act(ref, approve)

    def erase_learning(self, ref: str, *, on: date, actor: str, basis: str) -> None:
        """Destroy the key of a statement recorded against a theme alone, then record the
        erasure (as ``erase`` does for a case: the key first, so a rerun completes it)."""
        app = self.app
        policy = app._policy()

        def check() -> UUID:
            statement = self._statement(ref)
            statement.erase(on=on, actor=actor, policy=policy, basis=basis)
            return statement.id

        owner = app.read(check)
        app.keys.destroy(str(owner), [CASE_SUBJECT])
        self._act(
            ref,
            lambda statement, policy: statement.erase(
                on=on, actor=actor, policy=policy, basis=basis
            ),
        )

    def _names_of_case(self, case_ref: str) -> str:
        """The names recorded for a case's people (complainant, child, people appointed),
        as one text; erased ones are gone."""
        details = self.app._get(personal_details_id(case_id(case_ref)))
        if not isinstance(details, PersonalDetails):
            return ""
        names = [text for key, text in details.notes.items() if note_subject(key) != CASE_SUBJECT]
        for key, note in details.sealed.items():
            if note_subject(key) != CASE_SUBJECT:
                opened = self.app._open(details.id, note)
                if opened is not None:
                    names.append(opened)
        return " ".join(names)

    def sealed_for_case(self, case_ref: str) -> bool:
        """Whether a learning statement's words are sealed under case ``case_ref``'s key
        (asked inside the erasure's reading unit of work, from the read model)."""
        t = tables.learning
        found = (
            self.app.sessions()
            .execute(select(t.c.ref).where(t.c.case_ref == case_ref).limit(1))
            .first()
        )
        return found is not None

    # --------------------------------------------------------------- reading
    def learning_rows(self, on: date, status: str | None = None) -> list[dict[str, Any]]:
        """Every learning statement from the read model (no words), with its status on
        ``on``; ``status``: only those open, overdue or done."""

        def question(session: Session) -> list[dict[str, Any]]:
            t = tables.learning
            rows = []
            for row in session.execute(select(t).order_by(t.c.recorded_on, t.c.ref)):
                found = learning_status(row.done_on, row.due, on)
                if status is not None and found != status:
                    continue
                rows.append(
                    {
                        "ref": row.ref,
                        "case": row.case_ref,
                        "theme": row.theme,
                        "team": row.team,
                        "recorded_on": row.recorded_on,
                        "due": row.due,
                        "done_on": row.done_on,
                        "status": found,
                        "wording_approved_on": row.approved_on,
                    }
                )
            return rows

        return self.app.query(question)

    def learning_statement(self, ref: str, personal: bool = True) -> dict[str, Any]:
        """One statement: its facts, its history and (``personal``) its words opened;
        without ``personal`` the words show as their markers."""
        from ledger.application import _recorded

        def work() -> dict[str, Any]:
            statement = self._statement(ref)
            erased: Any = None
            if statement.erased is not None:
                erased = replace_erasure(statement.erased)
            elif statement.case_ref:
                case = self.app._get(case_id(statement.case_ref))
                if isinstance(case, Complaint):
                    erased = case.erasure_of(CASE_SUBJECT)
            words: dict[str, Any] = {}
            events = list(self.app.events.get(statement.id))
            for step in events:
                for name in LEARNING_TEXT.get(type(step), ()):
                    if not personal:
                        words[name] = _recorded(step).data[name]
                        continue
                    text = self._open(statement.id, step, name)
                    if text is None:
                        text = (
                            f"erased on {erased.on.isoformat()} by {erased.actor}"
                            if erased is not None
                            else "erased"
                        )
                    words[name] = text
            return {
                "ref": statement.ref,
                "case": statement.case_ref,
                "theme": statement.theme,
                "team": statement.team,
                "recorded_on": statement.recorded_on,
                "due": statement.due,
                "done_on": statement.done_on,
                "status": learning_status(
                    statement.done_on, statement.due, self.app._policy().today or date.today()
                ),
                "wording_approved_on": statement.approved_on,
                "words": words,
                "history": [
                    {"version": e.version, "type": e.type, "on": e.on, "actor": e.actor}
                    for e in (_recorded(step) for step in events)
                ],
            }

        return self.app.read(work)

    def you_said_we_did(
        self, period: Period, session: Session | None = None
    ) -> list[dict[str, Any]]:
        """The approved public wordings of the statements approved in ``period`` (the
        read models of ``session``, else the ledger's, caught up). Only the wording is
        opened; a wording whose key was destroyed is left out."""
        if session is not None:  # inside the caller's reading unit of work
            return self._wordings(self._approved_rows(session, period))
        rows = self.app.query(lambda s: self._approved_rows(s, period))
        return self.app.read(lambda: self._wordings(rows))

    @staticmethod
    def _approved_rows(session: Session, period: Period) -> list[Any]:
        t = tables.learning
        return list(
            session.execute(
                select(t)
                .where(t.c.approved_on >= period.start, t.c.approved_on <= period.end)
                .order_by(t.c.approved_on, t.c.ref)
            )
        )

    def _wordings(self, rows: Sequence[Any]) -> list[dict[str, Any]]:
        found = []
        for row in rows:
            statement_id = learning_id(row.ref)
            step = next(
                (
                    e
                    for e in self.app.events.get(statement_id)
                    if e.originator_version == row.wording_version
                ),
                None,
            )
            if step is None:
                continue
            try:
                wording = self._open(statement_id, step, "wording")
            except errors.KeyStoreUnavailable:
                continue  # the figures stand without the key store; the quotes need it
            if wording:
                found.append(
                    {
                        "ref": row.ref,
                        "team": row.team,
                        "theme": row.theme,
                        "done_on": row.done_on.isoformat() if row.done_on else None,
                        "approved_on": row.approved_on.isoformat(),
                        "wording": wording,
                    }
                )
        return found

    def record_access(self, refs: Sequence[str], *, actor: str, purpose: str) -> None:
        """Log that ``actor`` opened the words of the learning statements ``refs``."""
        wanted = list(dict.fromkeys(refs))
        if not wanted:
            return
        app = self.app
        on = app._policy().today or date.today()

        def work() -> None:
            logs = []
            for ref in wanted:
                owner = learning_id(ref)
                log = app._get(access_log_id(owner))
                if not isinstance(log, AccessLog):
                    log = AccessLog.open(owner, ref)
                log.read(on=on, actor=actor, purpose=purpose)
                logs.append(log)
            app.save(*logs)

        app.unit_of_work(work)

    # ----------------------------------------------------- self-assessment
    def _assess(self, start_year: int, command: Any) -> None:
        app = self.app
        policy = app._policy()

        def work() -> None:
            found = app._get(self_assessment_id(start_year))
            assessment = found if isinstance(found, SelfAssessment) else None
            if assessment is None:
                assessment = SelfAssessment.start(start_year)
            command(assessment, policy)
            app.save(assessment)

        app.unit_of_work(work)

    def answer_section(
        self,
        start_year: int,
        *,
        on: date,
        actor: str,
        section: int,
        compliance: str,
        evidence: str,
        explanation: str,
    ) -> None:
        """The council's answer for a section of the Code for the year; a later answer
        for the same section supersedes it (both stay in the history)."""
        self._assess(
            start_year,
            lambda assessment, policy: assessment.answer(
                on=on,
                actor=actor,
                policy=policy,
                section=section,
                compliance=compliance,
                evidence=evidence,
                explanation=explanation,
            ),
        )

    def governing_response(self, start_year: int, *, on: date, actor: str, text: str) -> None:
        self._assess(
            start_year,
            lambda assessment, policy: assessment.respond(
                on=on, actor=actor, policy=policy, text=text
            ),
        )

    def assessment(self, start_year: int) -> SelfAssessment | None:
        def work() -> SelfAssessment | None:
            found = self.app._get(self_assessment_id(start_year))
            return found if isinstance(found, SelfAssessment) else None

        return self.app.read(work)

    # ---------------------------------------------------------- report code
    def code_report(self, period: Period, suppress_below: int = 0) -> dict[str, Any]:
        """The annual complaints performance and service improvement report's document
        (``report code``): the corporate procedure's figures from the annual report,
        complaints not accepted, the Ombudsman, learning, the self-assessment beside
        last year's and the governing body's response."""
        from reports.annual import AnnualReport
        from reports.code import code_document
        from reports.council import council_sections

        app = self.app
        annual = app.query(lambda session: AnnualReport(session, "corporate").build(period))
        annual.update(council_sections(annual, app.council, period.financial_year_start))
        today = app._policy().today or date.today()
        end = min(period.end, today)

        def figures(session: Session) -> dict[str, Any]:
            return {
                "not_accepted": _not_accepted(session, period),
                "not_accepted_previous": _not_accepted(session, period.previous()),
                "learning": _learning_figures(session, period, end),
            }

        counts = app.query(figures)
        start_year = period.financial_year_start
        position, digest = app.head()
        return code_document(
            annual,
            counts,
            wordings=self.you_said_we_did(period),
            assessment=_answers(self.assessment(start_year)),
            previous_assessment=_answers(self.assessment(start_year - 1)),
            year=year_label(start_year),
            previous_year=year_label(start_year - 1),
            integrity={"events": position, "head_position": position, "head_hash": digest},
            suppress_below=suppress_below,
        )


def replace_erasure(erased: dict[str, Any]) -> Any:
    """A statement's erasure with ``on`` and ``actor`` as attributes, like a case's."""
    from types import SimpleNamespace

    return SimpleNamespace(**erased)


def _not_accepted(session: Session, period: Period) -> dict[str, Any]:
    """Complaints triaged out of the procedures in ``period``, by the decision why."""
    c = tables.cases
    rows = session.execute(
        select(c.c.triage).where(
            c.c.triage.in_(TRIAGE_OUT),
            c.c.triaged_on >= period.start,
            c.c.triaged_on <= period.end,
        )
    ).all()
    by_reason = {decision.replace("-", "_"): 0 for decision in TRIAGE_OUT}
    for row in rows:
        by_reason[row.triage.replace("-", "_")] += 1
    return {"total": len(rows), "by_reason": by_reason}


def _learning_figures(session: Session, period: Period, end: date) -> dict[str, Any]:
    t = tables.learning
    rows = list(session.execute(select(t).where(t.c.recorded_on <= period.end)))
    recorded = [r for r in rows if period.contains(r.recorded_on)]
    by_theme: dict[str, int] = {}
    for r in recorded:
        theme = r.theme or NO_THEME
        by_theme[theme] = by_theme.get(theme, 0) + 1
    return {
        "recorded": len(recorded),
        "done": sum(1 for r in rows if period.contains(r.done_on)),
        "done_on_time": sum(1 for r in rows if period.contains(r.done_on) and r.done_on <= r.due),
        "open_at_end": sum(1 for r in rows if learning_status(r.done_on, r.due, end) == "open"),
        "overdue_at_end": sum(
            1 for r in rows if learning_status(r.done_on, r.due, end) == "overdue"
        ),
        "wordings_approved": sum(1 for r in rows if period.contains(r.approved_on)),
        "by_theme": dict(sorted(by_theme.items(), key=lambda item: (-item[1], item[0]))),
    }


def _answers(assessment: SelfAssessment | None) -> dict[str, Any]:
    """The current answer of each section, and the governing body's response."""
    if assessment is None:
        return {"sections": {}, "governing_response": None}
    return {
        "sections": {
            number: {
                "compliance": answer["compliance"],
                "evidence": answer["evidence"],
                "explanation": answer["explanation"],
                "answered_on": answer["on"].isoformat(),
            }
            for number, answer in sorted(assessment.answers.items())
            if number in CODE_SECTIONS
        },
        "governing_response": None
        if assessment.governing_response is None
        else {
            "text": assessment.governing_response["text"],
            "on": assessment.governing_response["on"].isoformat(),
        },
    }
