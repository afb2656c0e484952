"""The use cases of casework that ties complaints together (ADR 0038): link related
cases, merge a duplicate into its original, split a complaint into its statutory and
corporate parts, record a new issue raised during a case, and re-open a stage whose
response was found incomplete.

Each use case is one unit of work of the ledger: both cases of a link, a merge, a split
or a new issue are saved together (each holding its side), so neither side is ever
recorded without the other.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain import errors
from domain.case_links import (
    LINK_KINDS,
    MERGED_DUPLICATE,
    NEW_ISSUE,
    RAISED_DURING,
    SPLIT_FROM,
    SPLIT_PART,
)
from domain.complaint import Complaint, case_id
from domain.procedure import check_name
from domain.references import check_reference

if TYPE_CHECKING:
    from ledger.application import Ledger


class CaseLinkService:
    """Links, merges, splits, new issues and re-opened stages, for one ledger."""

    def __init__(self, app: Ledger) -> None:
        self.app = app

    def _case(self, ref: str) -> Complaint:
        complaint = self.app._get(case_id(ref))
        if not isinstance(complaint, Complaint):
            raise errors.UnknownCase(f"no case with reference {ref!r}")
        return complaint

    def link(self, ref: str, other: str, *, on: date, actor: str, kind: str) -> None:
        """Link two related cases (``same-family`` or ``same-issue``): each shows the other."""
        check_name("link", kind, LINK_KINDS)
        policy = self.app.policy_for_today()

        def work() -> None:
            case, linked = self._case(ref), self._case(other)
            if linked.merged_into is not None:
                raise errors.LinkRefused(
                    f"{other} was merged into {linked.merged_into}: link that case instead"
                )
            case.link(on=on, actor=actor, policy=policy, other=other, kind=kind)
            linked.link(on=on, actor=actor, policy=policy, other=ref, kind=kind)
            self.app.save(case, linked)

        self.app.unit_of_work(work)

    def merge(self, duplicate: str, original: str, *, on: date, actor: str, reason: str) -> None:
        """Merge ``duplicate`` into ``original``: the duplicate ends, its history points at
        the original, and the figures count one complaint."""
        policy = self.app.policy_for_today()

        def work() -> None:
            copy = self._case(duplicate)
            if duplicate == original:
                raise errors.MergeRefused(f"case {duplicate} cannot be merged into itself")
            into = self._case(original)
            # Its own duplicates still merged into it, if any (ADR 0044: no chain of merges).
            merged_into_it = [
                k.ref
                for k in copy.links
                if k.kind == MERGED_DUPLICATE and self._case(k.ref).merged_into == duplicate
            ]
            copy.check_no_duplicates_merged_into_it(merged_into_it)
            copy.merge_into(on=on, actor=actor, policy=policy, original=into, reason=reason)
            into.link(on=on, actor=actor, policy=policy, other=duplicate, kind=MERGED_DUPLICATE)
            self.app.save(copy, into)

        self.app.unit_of_work(work)

    def split(
        self, ref: str, *, on: date, actor: str, procedure: str, part_ref: str | None = None
    ) -> str:
        """Split off the part of case ``ref`` that belongs under the other ``procedure``:
        a new complaint, triaged into it on ``on`` with its own clock, linked both ways.
        Returns the part's reference."""
        policy = self.app.policy_for_today()
        if part_ref is not None:
            check_reference(part_ref)

        def work() -> str:
            case = self._case(ref)
            case.check_split(procedure)
            part_ref_, to_save = self.app._new_case_reference(part_ref, on, policy)
            part = self._receive_like(case, part_ref_, on, actor, policy)
            first = case.stages[0] if case.stages else None
            part.triage(
                on=on,
                actor=actor,
                policy=policy,
                decision=procedure,
                late_reason=first.late_reason if first else None,
            )
            case.link(on=on, actor=actor, policy=policy, other=part_ref_, kind=SPLIT_PART)
            part.link(on=on, actor=actor, policy=policy, other=ref, kind=SPLIT_FROM)
            self.app.save(*to_save, case, part)
            return part_ref_

        return self.app.unit_of_work(work)

    def new_issue(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        procedure: str | None = None,
        new_ref: str | None = None,
        **details: Any,
    ) -> str:
        """A new issue raised during case ``ref``: a new complaint received on ``on``
        (details not given are the case's), triaged into ``procedure`` (default: the
        case's), linked both ways. Returns its reference."""
        policy = self.app.policy_for_today()
        if new_ref is not None:
            check_reference(new_ref)

        def work() -> str:
            case = self._case(ref)
            case._check_not_ended()
            issue_ref, to_save = self.app._new_case_reference(new_ref, on, policy)
            issue = self._receive_like(case, issue_ref, on, actor, policy, **details)
            into = procedure or case.procedure
            if into is not None:
                issue.triage(on=on, actor=actor, policy=policy, decision=into)
            case.link(on=on, actor=actor, policy=policy, other=issue_ref, kind=NEW_ISSUE)
            issue.link(on=on, actor=actor, policy=policy, other=ref, kind=RAISED_DURING)
            self.app.save(*to_save, case, issue)
            return issue_ref

        return self.app.unit_of_work(work)

    def reopen(
        self, ref: str, *, on: date, actor: str, reason: str, stage: int | None = None
    ) -> None:
        """Re-open the current stage of case ``ref``: its response was found incomplete."""
        self.app.act(
            ref,
            lambda complaint, policy: complaint.reopen_stage(
                on=on, actor=actor, policy=policy, reason=reason, stage=stage
            ),
        )

    @staticmethod
    def _receive_like(
        case: Complaint, ref: str, on: date, actor: str, policy: Any, **details: Any
    ) -> Complaint:
        """A new complaint received on ``on`` with ``case``'s details unless given."""
        given = {k: v for k, v in details.items() if v not in (None, [], ())}
        return Complaint.receive(
            ref=ref,
            on=on,
            actor=actor,
            policy=policy,
            channel=given.get("channel", case.channel),
            role=given.get("role", case.role),
            service_area=given.get("service_area", case.service_area),
            team=given.get("team", case.team),
            reasons=list(given.get("reasons", case.reasons)),
            matter_on=case.matter_on,
        )
