"""Use cases of issue 16, part 2 (ADR 0039): the provider a complaint is about, joint
complaints, the procedure's costs and the satisfaction survey.

The ledger (:class:`ledger.application.Ledger`) holds one :class:`CaseworkService` as
``app.casework``; each method is one unit of work through :meth:`Ledger.act`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.application import Ledger


class CaseworkService:
    """Recording who a complaint is about, joint working, costs and surveys."""

    def __init__(self, app: Ledger) -> None:
        self.app = app

    def name_provider(self, ref: str, *, on: date, actor: str, provider: str) -> None:
        """The complaint is about a commissioned or contracted provider."""
        self.app.act(
            ref,
            lambda complaint, policy: complaint.name_provider(
                on=on, actor=actor, policy=policy, provider=provider
            ),
        )

    def record_joint_complaint(
        self, ref: str, *, on: date, actor: str, body: str, lead: str
    ) -> None:
        """The complaint is handled jointly with another body, which one leads."""
        self.app.act(
            ref,
            lambda complaint, policy: complaint.record_joint_complaint(
                on=on, actor=actor, policy=policy, body=body, lead=lead
            ),
        )

    def agree_joint_response(self, ref: str, *, on: date, actor: str) -> None:
        """The joint response was agreed with the other body."""
        self.app.act(
            ref,
            lambda complaint, policy: complaint.agree_joint_response(
                on=on, actor=actor, policy=policy
            ),
        )

    def record_cost(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        kind: str,
        amount: Decimal,
        stage: str | None = None,
    ) -> None:
        """A payment of the procedure's costs on the case, at a stage."""
        self.app.act(
            ref,
            lambda complaint, policy: complaint.record_cost(
                on=on, actor=actor, policy=policy, kind=kind, amount=amount, stage=stage
            ),
        )

    def send_survey(self, ref: str, *, on: date, actor: str) -> None:
        """The satisfaction survey was sent."""
        self.app.act(
            ref,
            lambda complaint, policy: complaint.send_survey(on=on, actor=actor, policy=policy),
        )

    def answer_survey(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        scores: dict[str, int],
        comment: str | None = None,
    ) -> None:
        """The survey came back; the comment is sealed in the step (personal data)."""
        self.app.act(
            ref,
            lambda complaint, policy: complaint.answer_survey(
                on=on, actor=actor, policy=policy, scores=scores, comment=comment
            ),
        )
