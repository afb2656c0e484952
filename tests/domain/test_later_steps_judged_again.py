"""When a step is recorded late (dated before steps already recorded), every later step
is judged again with it in place, by its own command and the arguments it was recorded
with; a step with no rules on its order (a correction, a monitoring profile) simply
follows. Dates as in ``test_complaint_rules`` (2026; "today" is Monday 23 November).
"""

from __future__ import annotations

from datetime import date

import pytest

from domain import errors
from tests.domain.test_complaint_rules import (
    MANAGER,
    POLICY,
    STAGE1_RESPONSE,
    TEAM,
    at_stage1,
    refused,
)


def test_a_late_request_for_stage2_still_stands_when_an_earlier_step_is_recorded_late() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="not-upheld")
    # The Stage 2 request was due by Mon 22 Jun; made Wed 1 Jul with its reason.
    with refused(complaint, errors.LateEscalation):
        complaint.escalate(on=date(2026, 7, 1), actor=TEAM, policy=POLICY)
    complaint.escalate(
        on=date(2026, 7, 1), actor=TEAM, policy=POLICY, late_reason="the family was abroad"
    )
    # The acknowledgement, found later in the post: dated before both.
    complaint.acknowledge(on=date(2026, 5, 13), actor=TEAM, policy=POLICY)
    assert complaint.stages[0].acknowledged_on == date(2026, 5, 13)
    assert [stage.number for stage in complaint.stages] == [1, 2]
    assert complaint.stages[1].clock_from == date(2026, 7, 1)


def test_a_correction_and_a_profile_recorded_after_a_late_step_follow_it_unchanged() -> None:
    complaint = at_stage1(channel="email")
    complaint.amend(
        on=date(2026, 5, 20),
        actor=TEAM,
        policy=POLICY,
        field="channel",
        value="telephone",
        reason="typed in error",
    )
    complaint.record_profile(on=date(2026, 5, 20), actor=TEAM, policy=POLICY, age_band="16-17")
    complaint.acknowledge(on=date(2026, 5, 13), actor=TEAM, policy=POLICY)
    assert complaint.stages[0].acknowledged_on == date(2026, 5, 13)
    assert complaint.channel == "telephone"
    assert complaint.profile["age_band"] == "16-17"


def test_a_late_step_names_the_later_step_it_depends_on_past_others_that_day() -> None:
    complaint = at_stage1()
    # Recorded on the same day, the acknowledgement first: neither lets a decision on
    # R1 stand before it, but the recommendation does.
    complaint.acknowledge(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    complaint.recommend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, recommendation_id="R1")
    with pytest.raises(errors.DependencyOrder, match="RecommendationMade on 2026-05-20"):
        complaint.decide_recommendation(
            on=date(2026, 5, 19),
            actor=MANAGER,
            policy=POLICY,
            recommendation_id="R1",
            accepted=True,
        )
