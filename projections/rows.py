"""Read-model rows from an aggregate's state: pure functions, no SQL."""

from __future__ import annotations

from typing import Any

from domain.complaint import Complaint
from domain.contact_registers import AccessRequest, ContactRegister
from domain.learning import LearningStatement
from domain.procedure import ProcedurePolicy
from domain.representations import Representation
from projections.casework import casework_rows
from projections.facts import case_facts, representation_facts

Rows = dict[str, list[dict[str, Any]]]


def complaint_rows(complaint: Complaint, policy: ProcedurePolicy) -> Rows:
    """Every read-model row of one case, keyed by table name, from the case's facts."""
    facts = case_facts(complaint, policy)
    case_id = facts.case_id
    procedure = facts.procedure
    # The case's facts its stages are counted by, copied onto each stage (ADR 0045).
    counted_by = {
        "service_area": facts.service_area,
        "team": facts.team,
        "channel": facts.channel,
        "role": facts.role,
        "age_band": facts.profile.get("age_band"),
        "ethnicity": facts.profile.get("ethnicity"),
        "disability": facts.profile.get("disability"),
        "direct_from_child": facts.direct_from_child,
        "advocate_offered": facts.advocate_offered_on is not None,
        "advocate_accepted": facts.advocate_accepted,
        "provider": facts.casework.provider,
    }
    # A merged duplicate has no stages in the read models (below): nor do its reasons.
    stage1 = next((stage for stage in facts.stages if stage.stage == 1), None)
    if facts.merged_into is not None:
        stage1 = None
    rows: Rows = {
        "rm_case": [
            {
                "case_id": case_id,
                "ref": facts.ref,
                "procedure": procedure,
                "triage": facts.triage,
                "received_on": facts.received_on,
                "triaged_on": facts.triaged_on,
                "channel": facts.channel,
                "role": facts.role,
                "direct_from_child": facts.direct_from_child,
                "service_area": facts.service_area,
                "team": facts.team,
                "advocate_offered": facts.advocate_offered_on is not None,
                "advocate_accepted": facts.advocate_accepted,
                "ended": facts.ended,
                "ended_on": facts.ended_on,
                "on_hold": facts.on_hold,
                "current_stage": facts.current_stage,
                "from_feedback": facts.from_feedback,
                "age_band": facts.profile.get("age_band"),
                "ethnicity": facts.profile.get("ethnicity"),
                "disability": facts.profile.get("disability"),
            }
        ],
        "rm_case_reason": [
            {
                "case_id": case_id,
                "reason": r,
                "procedure": stage1.procedure if stage1 else None,
                "stage1_started_on": stage1.started_on if stage1 else None,
                "stage1_responded_on": stage1.responded_on if stage1 else None,
                "stage1_outcome": stage1.outcome if stage1 else None,
            }
            for r in facts.reasons
        ],
        "rm_stage": [],
        "rm_point": [],
        "rm_remedy": [],
        "rm_recommendation": [],
        "rm_payment": [],
        "rm_ombudsman": [],
    }
    for stage in facts.stages:
        rows["rm_stage"].append(
            {
                "case_id": case_id,
                "stage": stage.stage,
                "procedure": stage.procedure,
                "started_on": stage.started_on,
                "clock_from": stage.clock_from,
                "working_days": stage.working_days,
                "extended": stage.extended,
                "deadline": stage.deadline,
                "response_due": stage.response_due,
                "acknowledged_on": stage.acknowledged_on,
                "acknowledgement_due": stage.acknowledgement_due,
                "acknowledged_on_time": stage.acknowledged_on_time,
                "responded_on": stage.responded_on,
                "outcome": stage.outcome,
                "withdrawn_on": stage.withdrawn_on,
                "on_time": stage.on_time,
                "working_days_taken": stage.working_days_taken,
                "panel_met_on": stage.panel_met_on,
                "panel_reported_on": stage.panel_reported_on,
                "panel_on_time": stage.panel_on_time,
                "points": stage.points,
                "findings_changed": stage.findings_changed,
                **counted_by,
            }
        )
        rows["rm_point"].extend(
            {
                "case_id": case_id,
                "stage": stage.stage,
                "point": p,
                "finding": f,
                "procedure": stage.procedure,
                "responded_on": stage.responded_on,
            }
            for p, f in stage.findings.items()
        )
        if stage.responded_on is not None:
            rows["rm_remedy"].extend(
                {
                    "case_id": case_id,
                    "stage": str(stage.stage),
                    "remedy": remedy,
                    "given_on": stage.responded_on,
                    "procedure": procedure,
                }
                for remedy in stage.remedies
            )
    for rec in facts.recommendations:
        rows["rm_recommendation"].append(
            {
                "case_id": case_id,
                "recommendation_id": rec.id,
                "ref": facts.ref,
                "procedure": procedure,
                "stage": rec.stage,
                "theme": rec.theme,
                "made_on": rec.made_on,
                "decision": rec.decision,
                "decided_on": rec.decided_on,
                "owner": rec.owner,
                "due": rec.due,
                "completed_on": rec.completed_on,
            }
        )
    for seq, payment in enumerate(facts.payments, start=1):
        rows["rm_payment"].append(
            {
                "case_id": case_id,
                "seq": seq,
                "procedure": procedure,
                "paid_on": payment.on,
                "stage": payment.stage,
                "amount": payment.amount,
                "reason": payment.reason,
            }
        )
    ombudsman_remedies: set[str] = set()
    for seq, enquiry in enumerate(facts.ombudsman, start=1):
        rows["rm_ombudsman"].append(
            {
                "case_id": case_id,
                "seq": seq,
                "procedure": procedure,
                "enquiry_on": enquiry.enquiry_on,
                "decided_on": enquiry.decided_on,
                "decision": enquiry.decision,
                "due": enquiry.due,
                "complied_on": enquiry.complied_on,
                "satisfactory_remedy": enquiry.satisfactory_remedy,
            }
        )
        if enquiry.decided_on is not None:
            for remedy in enquiry.remedies:
                if remedy not in ombudsman_remedies:
                    ombudsman_remedies.add(remedy)
                    rows["rm_remedy"].append(
                        {
                            "case_id": case_id,
                            "stage": "ombudsman",
                            "remedy": remedy,
                            "given_on": enquiry.decided_on,
                            "procedure": procedure,
                        }
                    )
    rows.update(casework_rows(case_id, procedure, facts.received_on, facts.casework))
    rows["rm_reopening"] = [
        {
            "case_id": case_id,
            "seq": seq,
            "procedure": procedure,
            "stage": reopening.stage,
            "reopened_on": reopening.on,
            "set_aside_response_on": reopening.set_aside_response_on,
        }
        for seq, reopening in enumerate(facts.reopenings, start=1)
    ]
    rows["rm_link"] = [
        {
            "case_id": case_id,
            "seq": seq,
            "procedure": procedure,
            "kind": link.kind,
            "other_ref": link.ref,
            "linked_on": link.on,
        }
        for seq, link in enumerate(facts.links, start=1)
    ]
    if facts.merged_into is not None:
        # A merged duplicate's figures are its original's: it counts as no complaint.
        for table in ("rm_stage", "rm_point", "rm_remedy", "rm_reopening", "rm_casework"):
            rows[table] = []
        for table in ("rm_cost", "rm_survey_score"):  # ADR 0044
            rows[table] = []
    return rows


def representation_row(record: Representation, policy: ProcedurePolicy) -> dict[str, Any]:
    """The read-model row of a compliment, enquiry, feedback or advocacy referral."""
    facts = representation_facts(record, policy)
    return {
        "ref": facts.ref,
        "kind": facts.kind,
        "source": facts.source,
        "received_on": facts.received_on,
        "service_area": facts.service_area,
        "team": facts.team,
        "channel": facts.channel,
        "role": facts.role,
        "due": facts.due,
        "responded_on": facts.responded_on,
        "publishable": None if facts.kind != "compliment" else facts.publishable_on is not None,
        "complaint_ref": facts.complaint_ref,
        "age_band": facts.age_band,
        "theme": facts.theme,
    }


def learning_row(statement: LearningStatement) -> dict[str, Any]:
    """The read-model row of a learning statement: dates, team and theme, never its words."""
    return {
        "ref": statement.ref,
        "case_ref": statement.case_ref,
        "theme": statement.theme,
        "team": statement.team,
        "recorded_on": statement.recorded_on,
        "due": statement.due,
        "done_on": statement.done_on,
        "approved_on": statement.approved_on,
        "wording_version": statement.approved_version,
    }


def restriction_rows(register: ContactRegister) -> list[dict[str, Any]]:
    """The read-model rows of a register's restrictions: kinds and dates, never words."""
    return [
        {
            "ref": register.case_ref,
            "number": r["number"],
            "kind": r["kind"],
            "decided_on": r["decided_on"],
            "review_on": r["review_on"],
            "reviews": r["reviews"],
            "last_reviewed_on": r["last_reviewed_on"],
            "lifted_on": r["lifted_on"],
        }
        for r in register.restrictions.values()
    ]


def access_request_row(request: AccessRequest) -> dict[str, Any]:
    """The read-model row of a subject access request."""
    return {
        "ref": request.ref,
        "service_area": request.service_area,
        "requester": request.requester,
        "received_on": request.received_on,
        "due": request.due,
        "extended_on": request.extended_on,
        "responded_on": request.responded_on,
        "outcome": request.outcome,
        "review_requested_on": request.review_requested_on,
        "reviewed_on": request.reviewed_on,
        "review_outcome": request.review_outcome,
    }


def adjustment_rows(register: ContactRegister) -> list[dict[str, Any]]:
    """The read-model rows of a register's reasonable adjustments: kinds and dates."""
    return [
        {"ref": register.case_ref, "number": n, "kind": a["kind"], "agreed_on": a["agreed_on"]}
        for n, a in enumerate(register.adjustments, start=1)
    ]
