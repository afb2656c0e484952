"""The use cases of a person's contact register and of subject access requests (ADR
0040): restrictions under the unreasonable-actions policy decided and reviewed,
reasonable adjustments agreed, the register shown (words opened with the key store),
restrictions due for review; subject access requests received, extended, answered and
reviewed.

The ledger holds one :class:`ContactRegisterService` as ``Ledger.contact_registers``. Each use
case is one unit of work of the ledger, checked, written, chained and projected like every other.
A register's words are sealed inside its steps (as a complaint's typed text is, ADR
0028) under the **complainant's** key of the case: ``erase REF --subject complainant``
(or ``all``) shreds them, and the kinds and dates that the figures count stay.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import errors
from domain.complaint import case_id
from domain.contact_registers import (
    ACCESS_REQUEST_PREFIX,
    ACCESS_REQUEST_TEXT,
    REGISTER_TEXT,
    AccessRequest,
    ContactRegister,
    access_request_id,
    contact_register_id,
    restriction_status,
)
from domain.personal import (
    CASE_SUBJECT,
    SealedNote,
    personal_details_id,
    sealed_in_step,
)

if TYPE_CHECKING:
    from domain.procedure import ProcedurePolicy
    from ledger.application import Ledger, RecordedEvent

#: Whose key seals a register's words: the complainant's, of the register's case.
REGISTER_SUBJECT = "complainant"
#: What stands in a register's view for words whose key was destroyed.
ERASED = "[erased]"


class ContactRegisterService:
    """Contact registers and subject access requests, for one ledger."""

    def __init__(self, app: Ledger) -> None:
        self.app = app

    # ------------------------------------------------------------ sealing the words
    def _seal(
        self,
        record: ContactRegister | AccessRequest,
        owner: UUID,
        subject: str,
        fields: Any,
        key_id: str | None = None,
    ) -> None:
        """Seal the words of the record's pending steps inside the steps (under
        ``key_id`` when known, else the owner's key of ``subject``, made if need be)."""
        self.app._seal_words(record, owner, subject, fields, key_id)

    def _open(self, record_id: UUID, step: Any, name: str, subject: str) -> str:
        """The words a step holds in ``name``, or :data:`ERASED` once their key is gone."""
        value = getattr(step, name, None)
        sealed = sealed_in_step(value)
        if sealed is None:
            return value if isinstance(value, str) else ""
        note = SealedNote(
            sealed.key, subject, sealed.key_id, sealed.nonce, sealed.ciphertext, step.on, step.actor
        )
        opened = self.app._open(personal_details_id(record_id), note)
        return ERASED if opened is None else opened

    # ------------------------------------------------------------ the register
    def _in_register(
        self, case_ref: str, command: Callable[[ContactRegister, ProcedurePolicy], Any]
    ) -> Any:
        app = self.app
        policy = app._policy()
        app._ready_to_seal({"text": "-"})

        def work() -> Any:
            app.require_complaint(case_ref, "the register")
            register = app._get(contact_register_id(case_ref))
            if not isinstance(register, ContactRegister):
                register = ContactRegister.open(case_ref)
            result = command(register, policy)
            self._seal(register, case_id(case_ref), REGISTER_SUBJECT, REGISTER_TEXT)
            app.save(register)
            return result

        return app.unit_of_work(work)

    def decide_restriction(
        self,
        case_ref: str,
        *,
        on: date,
        actor: str,
        kind: str,
        scope: str,
        reason: str,
        review_on: date,
    ) -> int:
        """Record a restriction in the register of case ``case_ref``'s complainant; its
        number there."""
        number: int = self._in_register(
            case_ref,
            lambda register, policy: register.decide_restriction(
                on=on,
                actor=actor,
                policy=policy,
                kind=kind,
                scope=scope,
                reason=reason,
                review_on=review_on,
            ),
        )
        return number

    def review_restriction(
        self,
        case_ref: str,
        number: int,
        *,
        on: date,
        actor: str,
        outcome: str,
        next_review_on: date | None,
        notes: str,
    ) -> None:
        self._in_register(
            case_ref,
            lambda register, policy: register.review_restriction(
                on=on,
                actor=actor,
                policy=policy,
                number=number,
                outcome=outcome,
                next_review_on=next_review_on,
                notes=notes,
            ),
        )

    def agree_adjustment(
        self, case_ref: str, *, on: date, actor: str, kind: str, detail: str
    ) -> None:
        self._in_register(
            case_ref,
            lambda register, policy: register.agree_adjustment(
                on=on, actor=actor, policy=policy, kind=kind, detail=detail
            ),
        )

    @property
    def last_recorded(self) -> list[RecordedEvent]:
        """The register's or request's steps the last writing unit of work recorded (for
        the "Recorded ..." line on stderr, as a case's steps have)."""
        from ledger.application import _recorded

        return [
            _recorded(e)
            for e in self.app._last_saved
            if isinstance(e, ContactRegister.Event | AccessRequest.Event)
            and getattr(e, "on", None) is not None  # not the record's bare opening
        ]

    def register(
        self, case_ref: str, on: date, personal: bool = True, as_of: datetime | None = None
    ) -> dict[str, Any]:
        """The register of case ``case_ref``'s complainant: restrictions (with their
        status on ``on``) and adjustments; with ``personal``, their words opened; with
        ``as_of``, rebuilt from only the register's steps recorded by then (ADR 0043)."""

        def work() -> dict[str, Any]:
            identity = contact_register_id(case_ref)
            steps = None if as_of is None else self.app._events_as_of(identity, as_of)
            found: Any = None
            if steps is None:
                found = self.app._get(identity)
            else:
                for step in steps:
                    found = step.mutate(found)
            if not isinstance(found, ContactRegister):
                self.app.require_complaint(case_ref, "the register")
                return {"restrictions": [], "reasonable_adjustments": []}
            return self._register_view(found, on, personal, steps)

        result: dict[str, Any] = self.app.read(work)
        return result

    def _register_view(
        self,
        register: ContactRegister,
        on: date,
        personal: bool,
        recorded: list[Any] | None = None,
    ) -> dict[str, Any]:
        steps = list(self.app.events.get(register.id)) if recorded is None else recorded
        words: dict[int, dict[str, str]] = {}
        reviews: dict[int, list[dict[str, Any]]] = {}
        for step in steps:
            fields = REGISTER_TEXT.get(type(step), ())
            opened = (
                {n: self._open(register.id, step, n, REGISTER_SUBJECT) for n in fields}
                if personal
                else {}
            )
            words[step.originator_version] = opened
            if isinstance(step, ContactRegister.RestrictionReviewed):
                reviews.setdefault(step.number, []).append(
                    {
                        "on": step.on.isoformat(),
                        "outcome": step.outcome,
                        "next_review_on": _iso(step.next_review_on),
                        **opened,
                    }
                )
        restrictions = [
            {
                "number": r["number"],
                "kind": r["kind"],
                "decided_on": r["decided_on"].isoformat(),
                "review_on": _iso(r["review_on"]),
                "lifted_on": _iso(r["lifted_on"]),
                "status": restriction_status(r, on),
                **words.get(r["version"], {}),
                "reviews": reviews.get(r["number"], []),
            }
            for r in register.restrictions.values()
        ]
        adjustments = [
            {"kind": a["kind"], "agreed_on": a["agreed_on"].isoformat(), **words[a["version"]]}
            for a in register.adjustments
        ]
        return {"restrictions": restrictions, "reasonable_adjustments": adjustments}

    def sealed_for_case(self, case_ref: str) -> bool:
        """Whether the register of ``case_ref`` holds words sealed under its case's keys
        (asked inside the erasure's reading unit of work)."""
        return contact_register_id(case_ref) in self.app.repository

    # --------------------------------------------------------- access requests
    def _request(self, ref: str) -> AccessRequest:
        found = self.app._get(access_request_id(ref))
        if not isinstance(found, AccessRequest):
            raise errors.UnknownCase(f"no subject access request with reference {ref!r}")
        return found

    def receive_access_request(
        self, *, on: date, actor: str, service_area: str, requester: str
    ) -> str:
        """Record a subject access request received; its reference."""
        app = self.app
        policy = app._policy()

        def work() -> str:
            ref, sequence = app._next_reference(on, ACCESS_REQUEST_PREFIX)
            request = AccessRequest.receive(
                ref=ref,
                on=on,
                actor=actor,
                policy=policy,
                service_area=service_area,
                requester=requester,
            )
            app.save(sequence, request)
            return ref

        result: str = app.unit_of_work(work)
        return result

    def act_on_request(
        self, ref: str, command: Callable[[AccessRequest, ProcedurePolicy], None]
    ) -> None:
        app = self.app
        policy = app._policy()
        app._ready_to_seal({"text": "-"})

        def work() -> None:
            request = self._request(ref)
            command(request, policy)
            self._seal(request, request.id, CASE_SUBJECT, ACCESS_REQUEST_TEXT)
            app.save(request)

        app.unit_of_work(work)

    def record_registers(self, registers: list[ContactRegister]) -> None:
        """Record many new registers built elsewhere (the demo), each one's words sealed
        under its case's complainant key first, in one transaction."""
        self.app._ready_to_seal({"text": "-"})
        owners = {r.id: str(case_id(r.case_ref)) for r in registers}
        keys = self.app.keys.keys_for([(o, REGISTER_SUBJECT) for o in owners.values()])
        for register in registers:
            owner = owners[register.id]
            key_id = keys[(owner, REGISTER_SUBJECT)]
            self._seal(register, UUID(owner), REGISTER_SUBJECT, REGISTER_TEXT, key_id)
        self.app.record_many(registers)

    def record_access_requests(self, requests: list[AccessRequest], sequences: list[Any]) -> None:
        """Record many access requests built elsewhere (the demo), their words sealed
        first, with the reference sequences that issued them, in one transaction."""
        self.app._ready_to_seal({"text": "-"})
        extended = [r for r in requests if r.extended_on is not None]
        keys = self.app.keys.keys_for([(str(r.id), CASE_SUBJECT) for r in extended])
        for request in extended:
            key_id = keys[(str(request.id), CASE_SUBJECT)]
            self._seal(request, request.id, CASE_SUBJECT, ACCESS_REQUEST_TEXT, key_id)
        self.app.record_many([*sequences, *requests])

    def access_request(self, ref: str, on: date) -> dict[str, Any]:
        """A subject access request as ``access-request show`` prints it."""

        def work() -> dict[str, Any]:
            request = self._request(ref)
            reason = None
            for step in self.app.events.get(request.id):
                if isinstance(step, AccessRequest.Extended):
                    reason = self._open(request.id, step, "reason", CASE_SUBJECT)
            due = request.due
            return {
                "ref": request.ref,
                "service_area": request.service_area,
                "requester": request.requester,
                "received_on": request.received_on.isoformat(),
                "due": due.isoformat(),
                "extended_on": _iso(request.extended_on),
                "extension_reason": reason,
                "responded_on": _iso(request.responded_on),
                "outcome": request.outcome,
                "on_time": request.on_time,
                "overdue": request.responded_on is None and due < on,
                "review_requested_on": _iso(request.review_requested_on),
                "reviewed_on": _iso(request.reviewed_on),
                "review_outcome": request.review_outcome,
            }

        result: dict[str, Any] = self.app.read(work)
        return result


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
