"""What the root ``--help`` lists beside each command, so that listing them imports no
command module (ADR 0036): the first sentence of each command's help, which click
shortens as it would the command's own. ``tests/cli/test_command_path.py`` checks every
line against the command itself, and that every command has one; a command missing
here is still listed (imported to ask it), only more slowly.
"""

from __future__ import annotations

#: Command name -> the first sentence of its help, as one line.
SUMMARIES: dict[str, str] = {
    "access-log": "Who opened which record's personal data, and when (oldest first).",
    "access-request": (
        "Subject access requests received by children's services (UK GDPR Art. 15): due one "
        "calendar month after receipt, three when extended as complex. (Not ``subject-"
        "access``, which answers a request about the ledger's own records.)"
    ),
    "acknowledge": "Record that the complaint (at its current stage) was acknowledged.",
    "adjustment": "Reasonable adjustments agreed for a complainant (shown with their case).",
    "adr": "Alternative dispute resolution (mediation, a meeting) and its result.",
    "advocacy": "Record a referral to the advocacy service; prints its reference.",
    "advocate": "Advocacy: record the offer of an advocate and whether it was taken up.",
    "amend": "Correct a recorded detail; the history keeps the original and the correction.",
    "appoint": "Appoint a Stage 2 investigator or independent person, or a Stage 3 panel member.",
    "batch": "Run one command per line (without the program name) from FILE or stdin.",
    "calendar": (
        "The open deadlines as an iCalendar file: one all-day event per deadline, its "
        "reference, stage and step in the summary."
    ),
    "checkpoint": "Sign the chain's head as it stands now (position, hash, time) and store it.",
    "compensate": (
        "Record compensation agreed at the current stage, or the Ombudsman's after a "
        "decision."
    ),
    "compliment": "Record a compliment; prints its reference.",
    "cost": (
        "Record a cost of the procedure on a case: an independent investigator, an "
        "independent person, a panel member or advocacy (the report's expenditure)."
    ),
    "demo": "Fill a fresh ledger with realistic generated cases; print the last year's report.",
    "enquiry": "Record a councillor's or MP's enquiry; prints its reference.",
    "erase": "Erase a data subject's personal data from a case: their key is destroyed.",
    "escalate": "The complainant asks for the next stage (1 to 2, 2 to 3; corporate 1 to 2).",
    "export": (
        "Export the full event log as JSON lines (for archive and audit), or the read models "
        "as CSV (for analysts)."
    ),
    "extend": "Extend the current stage's deadline; the complainant must be told the new date.",
    "feedback": (
        "Record initial feedback (or an enquiry) that is not a formal complaint; prints its "
        "reference."
    ),
    "finding": "Record the investigation's (Stage 2) or the panel's (Stage 3) finding on a point.",
    "governing-response": (
        "The governing body's response to the year's complaints report and self-assessment."
    ),
    "handler": "Record the officer handling the complaint's current stage, by register id.",
    "history": (
        "A record's events in the order they were recorded, with actor and dates: a "
        "complaint's, or a compliment's, enquiry's, feedback's or advocacy referral's."
    ),
    "hold": "Legal holds: a case under one cannot be erased, by hand or by the schedule.",
    "import": (
        "Import a legacy export (.csv or .xlsx, one row per case) or restore an export made "
        "by `complaints export` (.jsonl)."
    ),
    "joint": "A complaint handled jointly with another body (the NHS, a school, the police...).",
    "keys": "Back up and restore the key store of the personal notes.",
    "learning": "Learning statements: what went wrong, what was learnt, the action, its team.",
    "link": "Link two related cases (the same family, the same issue); each shows the other.",
    "list": (
        "List cases with their current stage and status, filtered for day-to-day work; with "
        "--kind, compliments, enquiries, initial feedback or advocacy referrals."
    ),
    "merge": (
        "Merge a DUPLICATE case into its original: the duplicate ends (status `merged`), its "
        "history points at the original, and every report counts one complaint."
    ),
    "new-issue": (
        "Record a new issue raised during case REF as a new complaint linked to it; prints "
        "its reference."
    ),
    "ombudsman": (
        "The Ombudsman's enquiry about a case, its decision, and the council's compliance."
    ),
    "panel": "The Stage 3 review panel met (and, with --report-on, issued its report).",
    "panel-report": "The review panel's chair issued its report and recommendations.",
    "privacy": "Check the ledger for personal data held outside the sealed notes.",
    "profile": "Record the complainant's equality-monitoring profile, only as they gave it.",
    "projections": "The read models: their position in the event log, and rebuilding them.",
    "provider": "Record the commissioned or contracted provider the complaint is about.",
    "providers": "List the providers complaints are about, with how many complaints name each.",
    "receive": "Record that a complaint was received; prints its reference.",
    "recommend": "Record a recommendation; prints its id.",
    "recommendation": "The council's decision on a recommendation, and the action that follows.",
    "remind": "E-mail each owner one digest of the deadlines near or past on --on.",
    "reopen": (
        "Re-open the current stage, whose response was found incomplete: it is open again and"
        " its timescale runs afresh from the re-opening (shown by `show`); the annual report "
        "counts it as re-opened."
    ),
    "report": "Reports built from the read models (caught up first, never stale).",
    "respond": "Record the response that ends the current stage, with its outcome.",
    "restriction": (
        "Restrictions on contact under the council's unreasonable-actions policy, in the "
        "register of a case's complainant (the scope, reason and review notes are sealed)."
    ),
    "resume": "Take a complaint off hold; its clock runs again.",
    "retention": "The council's retention schedule of personal data (settings: [retention]).",
    "roles": "PostgreSQL roles: a writer for the application, a read-only auditor.",
    "self-assessment": "The council's yearly self-assessment against the Complaint Handling Code.",
    "service-areas": (
        "List the service areas recorded, with how many complaints and other records "
        "(compliments, enquiries, feedback, advocacy referrals) name each."
    ),
    "show": (
        "Show a record's current state: a complaint's stages, deadlines, recommendations and "
        "payments, or a compliment, enquiry, feedback or advocacy referral (the reference's "
        "prefix tells which)."
    ),
    "split": (
        "Split the part of a complaint that belongs under the other procedure into a new "
        "linked complaint with its own clock; prints the part's reference."
    ),
    "statement": "Record the agreed Stage 2 statement of complaint and its number of points.",
    "subject-access": (
        "Export everything held about a data subject of a case (a subject access request)."
    ),
    "survey": "The satisfaction survey of a case: sent after a response, answered (optional).",
    "suspend": "Put a complaint on hold; its clock stops until it is resumed.",
    "teams": (
        "List the teams recorded, with how many complaints and other records (compliments, "
        "enquiries, feedback, advocacy referrals) name each."
    ),
    "triage": "Triage a received complaint into a procedure, or out of it.",
    "verify": "Recompute the hash chain over every event and compare it with the stored one.",
    "void": "Void the step recorded at VERSION (as `history` numbers it): recorded in error.",
    "withdraw": "The complainant withdrew; the case ends at its current stage.",
}
