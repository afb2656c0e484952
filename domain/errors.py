"""Refusals: each rule of the procedure that can be broken has its own exception.

Every exception carries ``rule``, a short name of the rule broken, so that callers (the
CLI, the importer) can say which rule refused the action in one line.
"""

from __future__ import annotations


class Refused(Exception):
    """An action was refused; nothing is recorded."""

    rule = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.rule}]"


class BadData(Refused):
    """A value is malformed, impossible or not a recognised name."""

    rule = "bad-data"


class UnknownName(BadData):
    rule = "unknown-name"


class UnknownTeam(BadData):
    """A team that is not in the council's register (or not in use on the day)."""

    rule = "unknown-team"


class UnknownServiceArea(BadData):
    """A service area that is not in the council's register (or not in use on the day)."""

    rule = "unknown-service-area"


class UnknownCase(Refused):
    rule = "unknown-case"


class DuplicateReference(Refused):
    rule = "duplicate-reference"


class DuplicateRecommendation(Refused):
    rule = "duplicate-recommendation"


class UnknownRecommendation(Refused):
    rule = "unknown-recommendation"


class DateOutOfOrder(Refused):
    """A step dated before receipt or before the previous step, or in the future."""

    rule = "date-order"


class NotTriaged(Refused):
    rule = "not-triaged"


class AlreadyTriaged(Refused):
    rule = "already-triaged"


class CaseEnded(Refused):
    """The case was withdrawn, resolved by dispute resolution or redirected."""

    rule = "case-ended"


class StageStillOpen(Refused):
    rule = "stage-still-open"


class StageAlreadyResponded(Refused):
    rule = "stage-already-responded"


class NoFurtherStage(Refused):
    rule = "no-further-stage"


class WrongStage(Refused):
    rule = "wrong-stage"


class LateEscalation(Refused):
    rule = "escalation-time-limit"


class OutOfTime(Refused):
    rule = "one-year-time-limit"


class ExtensionRefused(Refused):
    rule = "extension"


class ExtensionAfterDeadline(ExtensionRefused):
    rule = "extension-after-deadline"


class ExtensionBeyondMaximum(ExtensionRefused):
    rule = "extension-maximum"


class AlreadyExtended(ExtensionRefused):
    rule = "single-stage1-extension"


class Suspended(Refused):
    rule = "case-on-hold"


class NotSuspended(Refused):
    rule = "case-not-on-hold"


class AlreadyAcknowledged(Refused):
    rule = "already-acknowledged"


class PanelRule(Refused):
    rule = "review-panel"


class IndependenceRule(Refused):
    rule = "independence"


class InvestigationRule(Refused):
    rule = "stage2-investigation"


class RecommendationState(Refused):
    rule = "recommendation-state"


class OmbudsmanRule(Refused):
    rule = "ombudsman"


class AdvocacyRule(Refused):
    rule = "advocacy"


class DisputeResolutionRule(Refused):
    rule = "dispute-resolution"


class AmendmentRule(Refused):
    rule = "amendment"


class ConcurrentChange(Refused):
    """Another writer changed the same case at the same moment and retries ran out."""

    rule = "concurrent-change"


class HandlerRule(Refused):
    """Under the Complaint Handling Code, Stage 2 is handled by someone other than the
    Stage 1 handler."""

    rule = "stage2-different-handler"


class DependencyOrder(DateOutOfOrder):
    """A step dated before a step it depends on (a response before its stage began,
    an acceptance before the recommendation was made, ...)."""

    rule = "dependency-order"


class BreaksLaterStep(Refused):
    """A step recorded late would make a step dated after it impossible."""

    rule = "breaks-later-step"


class UnknownStep(Refused):
    rule = "unknown-step"


class VoidRefused(Refused):
    """A step that cannot be voided (the receipt, a voiding, one already voided)."""

    rule = "void"


class VoidHasDependents(VoidRefused):
    """Later steps depend on the step to be voided: void those first."""

    rule = "void-dependents"


class UnknownSubject(Refused):
    """``erase`` or ``subject-access`` named no data subject this case has."""

    rule = "unknown-subject"


class AlreadyErased(Refused):
    rule = "already-erased"


class UnderLegalHold(Refused):
    """Erasure (or a second hold) refused: the case is under a legal hold."""

    rule = "legal-hold"


class NoLegalHold(Refused):
    rule = "no-legal-hold"


class KeyStoreUnavailable(Refused):
    """The key store (or its master key) is missing, damaged or wrong."""

    rule = "key-store"


class LedgerTampered(Refused):
    """A stored event fails its chain link, or a case's versions have a gap: something
    was written behind the application's back. Nothing is read or written on top of it."""

    rule = "hash-chain"

    def __init__(self, position: int) -> None:
        super().__init__(
            f"the ledger has been tampered with at position {position}: run complaints verify"
        )
        self.position = position


# ------------------------------------------- learning and the Complaint Handling Code
class LearningRule(Refused):
    """A learning statement needs a case or a theme, and says what went wrong, what was
    learnt and the action."""

    rule = "learning-statement"


class LearningDueBeforeStatement(DateOutOfOrder):
    """A learning action due before the statement that sets it was recorded."""

    rule = "learning-due-before-statement"


class LearningAlreadyDone(Refused):
    rule = "learning-already-done"


class WordingNamesAPerson(BadData):
    """A public wording (a learning statement's "you said, we did") that still names a
    person recorded for the case, or a person by title (Mrs Smith)."""

    rule = "public-wording-names-a-person"


class UnknownCodeSection(BadData):
    """A self-assessment answer for a section the Complaint Handling Code does not have."""

    rule = "code-section"


class SelfAssessmentRule(Refused):
    rule = "self-assessment"


class UnknownProvider(BadData):
    """A provider that is not in the council's register (or not in use on the day)."""

    rule = "unknown-provider"


class CaseworkRule(Refused):
    """A joint complaint, cost or survey recorded out of turn (ADR 0039)."""

    rule = "casework"


# ------------------------------------------- linked, merged, split, re-opened (ADR 0038)
class LinkRefused(Refused):
    """A link that cannot stand: a case linked to itself, or to a merged duplicate."""

    rule = "link-refused"


class AlreadyLinked(LinkRefused):
    """The two cases are already linked that way."""

    rule = "already-linked"


class MergeRefused(Refused):
    """A merge that cannot stand: the duplicate has gone further than its original
    could absorb, or the original is itself a merged duplicate."""

    rule = "merge-refused"


class SplitRefused(Refused):
    """A split into a procedure the case is already under, or a second split."""

    rule = "split-refused"


class ReopenRefused(Refused):
    """A stage that cannot be re-opened: still open, not the current stage, or Stage 3."""

    rule = "reopen-refused"


class RestrictionRule(Refused):
    """An unreasonable-actions restriction or a reasonable adjustment that the rules
    refuse (no scope or reason, a review date before the decision, ...) (ADR 0040)."""

    rule = "restriction-rule"


class RestrictionEnded(Refused):
    """A review of a restriction that was lifted already."""

    rule = "restriction-ended"


class AccessRequestRule(Refused):
    """A subject access request step the rules refuse (ADR 0040)."""

    rule = "access-request-rule"


class AccessRequestExtendedLate(Refused):
    """An extension after the request's one-month deadline had passed (UK GDPR Art. 12(3):
    the requester must be told within the first month)."""

    rule = "access-request-extended-late"
