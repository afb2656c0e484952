"""Read-model rows from an aggregate's state: pure functions, no SQL."""

from __future__ import annotations

from typing import Any

from domain.complaint import Complaint
from domain.procedure import STATUTORY, ProcedurePolicy
from domain.representations import (
    AdvocacyReferral,
    Compliment,
    Enquiry,
    InitialFeedback,
    Representation,
)

Rows = dict[str, list[dict[str, Any]]]


def complaint_rows(complaint: Complaint, policy: ProcedurePolicy) -> Rows:
    """Every read-model row of one case, keyed by table name."""
    case_id = str(complaint.id)
    procedure = complaint.procedure
    rows: Rows = {
        "rm_case": [
            {
                "case_id": case_id,
                "ref": complaint.ref,
                "procedure": procedure,
                "triage": complaint.triage_decision,
                "received_on": complaint.received_on,
                "triaged_on": complaint.triaged_on,
                "channel": complaint.channel,
                "role": complaint.role,
                "direct_from_child": complaint.direct_from_child,
                "service_area": complaint.service_area,
                "team": complaint.team,
                "advocate_offered": complaint.advocate_offered_on is not None,
                "advocate_accepted": complaint.advocate_accepted,
                "ended": complaint.ended,
                "ended_on": complaint.ended_on,
                "on_hold": complaint.is_suspended,
                "current_stage": complaint.stage.number if complaint.stage else None,
                "from_feedback": complaint.from_feedback,
                "age_band": complaint.profile.get("age_band"),
                "ethnicity": complaint.profile.get("ethnicity"),
                "disability": complaint.profile.get("disability"),
            }
        ],
        "rm_case_reason": [{"case_id": case_id, "reason": r} for r in complaint.reasons],
        "rm_stage": [],
        "rm_point": [],
        "rm_remedy": [],
        "rm_recommendation": [],
        "rm_payment": [],
        "rm_ombudsman": [],
    }
    stage2_findings: dict[int, str] = {}
    for stage in complaint.stages:
        findings_changed = None
        if procedure == STATUTORY and stage.number == 3 and stage.findings:
            findings_changed = any(
                stage2_findings.get(point) != finding for point, finding in stage.findings.items()
            )
        if stage.number == 2:
            stage2_findings = dict(stage.findings)
        assert procedure is not None
        rows["rm_stage"].append(
            {
                "case_id": case_id,
                "stage": stage.number,
                "procedure": procedure,
                "started_on": stage.started_on,
                "clock_from": complaint.clock_start(stage, policy),
                "working_days": stage.working_days,
                "extended": stage.extensions > 0,
                "deadline": complaint.stage_deadline(stage, policy),
                "response_due": complaint.response_deadline(stage, policy),
                "responded_on": stage.responded_on,
                "outcome": stage.outcome,
                "withdrawn_on": stage.withdrawn_on,
                "on_time": complaint.responded_on_time(stage, policy),
                "working_days_taken": complaint.working_days_to_response(stage, policy),
                "panel_met_on": stage.panel_met_on,
                "panel_reported_on": stage.panel_reported_on,
                "panel_on_time": complaint.panel_on_time(stage, policy),
                "points": stage.points,
                "findings_changed": findings_changed,
            }
        )
        rows["rm_point"].extend(
            {"case_id": case_id, "stage": stage.number, "point": p, "finding": f}
            for p, f in sorted(stage.findings.items())
        )
        if stage.responded_on is not None:
            rows["rm_remedy"].extend(
                {
                    "case_id": case_id,
                    "stage": str(stage.number),
                    "remedy": remedy,
                    "given_on": stage.responded_on,
                }
                for remedy in stage.remedies
            )
    for rec in complaint.recommendations.values():
        rows["rm_recommendation"].append(
            {
                "case_id": case_id,
                "recommendation_id": rec.id,
                "ref": complaint.ref,
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
    for seq, payment in enumerate(complaint.payments, start=1):
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
    for seq, enquiry in enumerate(complaint.ombudsman, start=1):
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
                        }
                    )
    return rows


def representation_row(record: Representation, policy: ProcedurePolicy) -> dict[str, Any]:
    row: dict[str, Any] = {
        "ref": record.ref,
        "kind": "",
        "source": None,
        "received_on": record.received_on,
        "service_area": record.service_area,
        "team": record.team,
        "channel": None,
        "role": None,
        "due": None,
        "responded_on": None,
        "publishable": None,
        "complaint_ref": None,
        "age_band": None,
        "theme": None,
    }
    if isinstance(record, Enquiry):
        row.update(
            kind="enquiry",
            source=record.source,
            due=record.due(policy),
            responded_on=record.responded_on,
        )
    elif isinstance(record, Compliment):
        row.update(
            kind="compliment",
            channel=record.channel,
            role=record.role,
            publishable=record.publishable_on is not None,
        )
    elif isinstance(record, InitialFeedback):
        row.update(
            kind="feedback",
            source=record.kind,
            channel=record.channel,
            responded_on=record.resolved_on,
            complaint_ref=record.complaint_ref,
        )
    elif isinstance(record, AdvocacyReferral):
        row.update(
            kind="advocacy",
            age_band=record.age_band,
            theme=record.theme,
            complaint_ref=record.complaint_ref,
        )
    else:
        raise TypeError(f"no read model for {type(record).__name__}")
    return row
