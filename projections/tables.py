"""The read-model tables. No personal data: no names, contact details or narratives,
only the facts the figures are built from (dates, taxonomy names, counts, money)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    inspect,
)
from sqlalchemy.engine import Connection

metadata = MetaData()

NAME = String(200)
CASE = String(36)

tracking = Table(
    "projection_tracking",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("version", String(200), nullable=False),
)

cases = Table(
    "rm_case",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("ref", String(40), nullable=False, index=True),
    Column("procedure", String(20)),
    Column("triage", String(30)),
    Column("received_on", Date, nullable=False),
    Column("triaged_on", Date),
    Column("channel", NAME),
    Column("role", NAME),
    Column("direct_from_child", Boolean, nullable=False),
    Column("service_area", NAME),
    Column("team", NAME),
    Column("advocate_offered", Boolean, nullable=False),
    Column("advocate_accepted", Boolean),
    Column("ended", String(20)),
    Column("ended_on", Date),
    Column("on_hold", Boolean, nullable=False),
    Column("current_stage", Integer),
    Column("from_feedback", String(40)),
    Column("age_band", NAME),
    Column("ethnicity", NAME),
    Column("disability", String(20)),
)

case_reasons = Table(
    "rm_case_reason",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("reason", NAME, primary_key=True),
    # The case's Stage 1, copied here so that the report's reasons need no join (ADR
    # 0045): its procedure, entry, response and outcome; NULL while it has none.
    Column("procedure", String(20)),
    Column("stage1_started_on", Date),
    Column("stage1_responded_on", Date),
    Column("stage1_outcome", String(20)),
)

stages = Table(
    "rm_stage",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("stage", Integer, primary_key=True),
    Column("procedure", String(20), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("clock_from", Date),
    Column("working_days", Integer, nullable=False),
    Column("extended", Boolean, nullable=False),
    Column("deadline", Date),
    Column("response_due", Date),
    Column("acknowledged_on", Date),
    Column("acknowledgement_due", Date),
    Column("acknowledged_on_time", Boolean),
    Column("responded_on", Date),
    Column("outcome", String(20)),
    Column("withdrawn_on", Date),
    Column("on_time", Boolean),
    Column("working_days_taken", Integer),
    Column("panel_met_on", Date),
    Column("panel_reported_on", Date),
    Column("panel_on_time", Boolean),
    Column("points", Integer, nullable=False),
    Column("findings_changed", Boolean),
    # The case's facts the report counts a stage's rows by, copied onto each of them so
    # that no report statement joins a stage to its case (ADR 0045).
    Column("service_area", NAME),
    Column("team", NAME),
    Column("channel", NAME),
    Column("role", NAME),
    Column("age_band", NAME),
    Column("ethnicity", NAME),
    Column("disability", String(20)),
    Column("direct_from_child", Boolean),
    Column("advocate_offered", Boolean),
    Column("advocate_accepted", Boolean),
    Column("provider", NAME),
)

points = Table(
    "rm_point",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("stage", Integer, primary_key=True),
    Column("point", Integer, primary_key=True),
    Column("finding", String(30), nullable=False),
    # The stage's procedure and response, copied here (ADR 0045).
    Column("procedure", String(20)),
    Column("responded_on", Date),
)

remedies = Table(
    "rm_remedy",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("stage", String(10), primary_key=True),
    Column("remedy", NAME, primary_key=True),
    Column("given_on", Date, nullable=False),
    Column("procedure", String(20)),  # the case's, copied here (ADR 0045)
)

recommendations = Table(
    "rm_recommendation",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("recommendation_id", String(40), primary_key=True),
    Column("ref", String(40), nullable=False),
    Column("procedure", String(20)),
    Column("stage", String(10), nullable=False),
    Column("theme", NAME),
    Column("made_on", Date, nullable=False),
    Column("decision", String(10)),
    Column("decided_on", Date),
    Column("owner", NAME),
    Column("due", Date),
    Column("completed_on", Date),
)

payments = Table(
    "rm_payment",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("procedure", String(20)),
    Column("paid_on", Date, nullable=False),
    Column("stage", String(10), nullable=False),
    Column("amount", Numeric(12, 2), nullable=False),
    Column("reason", NAME),
)

ombudsman = Table(
    "rm_ombudsman",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("procedure", String(20)),
    Column("enquiry_on", Date, nullable=False),
    Column("decided_on", Date),
    Column("decision", String(40)),
    Column("due", Date),
    Column("complied_on", Date),
    Column("satisfactory_remedy", Boolean),
)

representations = Table(
    "rm_representation",
    metadata,
    Column("ref", String(40), primary_key=True),
    Column("kind", String(30), nullable=False),  # compliment, enquiry, feedback, advocacy
    Column("source", String(30)),  # councillor|mp; initial-feedback|enquiry
    Column("received_on", Date, nullable=False),
    Column("service_area", NAME),
    Column("team", NAME),
    Column("channel", NAME),
    Column("role", NAME),
    Column("due", Date),
    Column("responded_on", Date),  # enquiries answered; feedback resolved
    Column("publishable", Boolean),
    Column("complaint_ref", String(40)),  # feedback converted; referral led to
    Column("age_band", NAME),
    Column("theme", NAME),
)

learning = Table(
    "rm_learning",
    metadata,
    Column("ref", String(40), primary_key=True),
    Column("case_ref", String(40)),
    Column("theme", NAME),
    Column("team", NAME, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("due", Date, nullable=False),
    Column("done_on", Date),
    Column("approved_on", Date),
    # The step holding the approved wording (sealed there; never copied here).
    Column("wording_version", Integer),
)

#: A stage re-opened because its response was found incomplete (ADR 0038); the stage's
#: own row then holds the response that followed.
reopenings = Table(
    "rm_reopening",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("procedure", String(20), nullable=False),
    Column("stage", Integer, nullable=False),
    Column("reopened_on", Date, nullable=False),
    Column("set_aside_response_on", Date),
)

#: A link between two cases, one row on each case (ADR 0038): its kind and the other case.
links = Table(
    "rm_link",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("procedure", String(20)),
    Column("kind", String(30), nullable=False),
    Column("other_ref", String(40), nullable=False),
    Column("linked_on", Date, nullable=False),
)

# An unreasonable-actions register's restrictions (ADR 0040): ``ref`` is the case whose
# complainant the register is of; kinds and dates only, never the sealed words.
restrictions = Table(
    "rm_restriction",
    metadata,
    Column("ref", String(40), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("kind", NAME, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("review_on", Date),
    Column("reviews", Integer, nullable=False),
    Column("last_reviewed_on", Date),
    Column("lifted_on", Date),
)

# The reasonable adjustments agreed in a register (ADR 0040): kinds and dates only.
adjustments = Table(
    "rm_adjustment",
    metadata,
    Column("ref", String(40), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("kind", NAME, nullable=False),
    Column("agreed_on", Date, nullable=False),
)

# Subject access requests received by children's services (ADR 0040).
access_requests = Table(
    "rm_access_request",
    metadata,
    Column("ref", String(40), primary_key=True),
    Column("service_area", NAME, nullable=False),
    Column("requester", NAME, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("due", Date, nullable=False),
    Column("extended_on", Date),
    Column("responded_on", Date),
    Column("outcome", NAME),
    Column("review_requested_on", Date),
    Column("reviewed_on", Date),
    Column("review_outcome", NAME),
)

# The report's questions: "which stages were entered / closed in this period?" Each
# index after the date holds the columns the annual report counts those stages by, so
# that it counts from the index alone, never reading the table's rows (ADR 0054): the
# case's facts by the entry, the response's figures and what makes a stage open by the
# response, the panel's figures by the panel.
#: The case's facts copied onto each stage (ADR 0045) that the Stage 1 figures break
#: down by, in the report's order, then the flags they tally (``reports.annual`` counts
#: by these very names, so the index below holds each of them).
STAGE_BREAKDOWNS = (
    "service_area",
    "team",
    "channel",
    "role",
    "age_band",
    "ethnicity",
    "disability",
)
STAGE_FLAGS = ("direct_from_child", "advocate_offered", "advocate_accepted")
STAGE_FACTS = (*STAGE_BREAKDOWNS, *STAGE_FLAGS)
COUNTED_BY = {
    "started_on": ("responded_on", "outcome", *STAGE_FACTS, "provider"),
    "responded_on": (
        "started_on",
        "withdrawn_on",
        "outcome",
        "working_days_taken",
        "on_time",
        "extended",
    ),
    "withdrawn_on": (),
    "panel_met_on": ("panel_on_time", "findings_changed"),
    "response_due": ("responded_on",),
    "acknowledged_on": ("acknowledged_on_time",),
}
for _column, _counted in COUNTED_BY.items():
    Index(
        f"rm_stage_counted_by_{_column}" if _counted else f"rm_stage_by_{_column}",
        stages.c.procedure,
        stages.c.stage,
        stages.c[_column],
        *(stages.c[name] for name in _counted),
    )
Index(
    "rm_representation_counted_by_received",
    representations.c.kind,
    representations.c.received_on,
    *(
        representations.c[name]
        for name in (
            "team",
            "service_area",
            "channel",
            "role",
            "source",
            "age_band",
            "theme",
            "publishable",
            "responded_on",
            "due",
            "complaint_ref",
        )
    ),
)
Index("rm_payment_by_date", payments.c.procedure, payments.c.paid_on)
Index("rm_recommendation_by_made", recommendations.c.procedure, recommendations.c.made_on)
Index("rm_ombudsman_by_enquiry", ombudsman.c.procedure, ombudsman.c.enquiry_on)
Index("rm_ombudsman_by_decision", ombudsman.c.procedure, ombudsman.c.decided_on)
# The remedies given in a period, index-only (ADR 0045).
Index(
    "rm_remedy_by_procedure_and_date",
    remedies.c.procedure,
    remedies.c.given_on,
    remedies.c.stage,
    remedies.c.remedy,
)
# "Is this team or service area in use yet?" (the warning about a new name).
Index("rm_case_by_team", cases.c.team)
Index("rm_case_by_service_area", cases.c.service_area)
Index("rm_representation_by_team", representations.c.team)
Index("rm_representation_by_service_area", representations.c.service_area)
# Index-only, without the case (ADR 0045): Stage 2's points by the response's date, each
# reason's Stage 1 by its entry and by its response, the duplicates merged in a period.
Index(
    "rm_point_by_response",
    points.c.procedure,
    points.c.stage,
    points.c.responded_on,
    points.c.finding,
)
for _first, _second in (("started_on", "responded_on"), ("responded_on", "started_on")):
    Index(
        f"rm_case_reason_by_stage1_{_first}",
        case_reasons.c.procedure,
        case_reasons.c[f"stage1_{_first}"],
        case_reasons.c[f"stage1_{_second}"],
        case_reasons.c.stage1_outcome,
        case_reasons.c.reason,
    )
Index("rm_case_by_ending", cases.c.procedure, cases.c.ended, cases.c.ended_on)

# Issue 16, part 2 (ADR 0039): the provider, joint complaint, costs and survey scores.
casework = Table(
    "rm_casework",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("procedure", String(20)),
    Column("received_on", Date, nullable=False),
    Column("provider", NAME),
    Column("joint_body", String(30)),
    Column("joint_lead", String(30)),
    Column("joint_on", Date),
    Column("joint_response_on", Date),
    Column("survey_sent_on", Date),
    Column("survey_answered_on", Date),
)
costs = Table(
    "rm_cost",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("procedure", String(20)),
    Column("paid_on", Date, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("stage", String(10), nullable=False),
    Column("amount", Numeric(12, 2), nullable=False),
)
survey_scores = Table(
    "rm_survey_score",
    metadata,
    Column("case_id", CASE, primary_key=True),
    Column("question", String(40), primary_key=True),
    Column("procedure", String(20)),
    Column("answered_on", Date, nullable=False),
    Column("score", Integer, nullable=False),
)
Index("rm_cost_by_date", costs.c.procedure, costs.c.paid_on)
Index("rm_survey_score_by_date", survey_scores.c.procedure, survey_scores.c.answered_on)

CASE_TABLES = (
    cases,
    case_reasons,
    stages,
    points,
    remedies,
    recommendations,
    payments,
    ombudsman,
    casework,
    costs,
    survey_scores,
    reopenings,
    links,
)
READ_MODEL_TABLES = (
    *CASE_TABLES,
    representations,
    learning,
    restrictions,
    access_requests,
    adjustments,
)
#: The tables of records other than cases, each keyed by its record's reference.
REFERENCE_TABLES = (representations, learning, restrictions, access_requests, adjustments)


def indexes_it_holds(connection: Connection, table: Table, indexes: list[Index]) -> list[Index]:
    """Those of ``indexes`` (missing from a stored ``table``) whose columns the stored
    table has. A read model of an older shape, opened before its rebuild, lacks the
    columns a newer version added; its rebuild recreates the table with every index
    (ADR 0045). Asks the database only when an index is missing."""
    if not indexes:
        return []
    stored = {column["name"] for column in inspect(connection).get_columns(table.name)}
    return [index for index in indexes if {c.name for c in index.columns} <= stored]


#: The engines on which a rebuild from scratch writes its rows without the read models'
#: secondary indexes and builds each once at the end (ADR 0053). Not PostgreSQL: the
#: writer role does not own the tables (ADR 0024), and dropping an index locks its
#: table against every reader for the whole rebuild.
INDEXES_DEFERRED_ON = frozenset({"sqlite"})


def secondary_indexes() -> list[Index]:
    """The read models' declared indexes (not their primary keys), by name."""
    found = [index for table in READ_MODEL_TABLES for index in table.indexes]
    return sorted(found, key=lambda index: str(index.name))


def drop_secondary_indexes(connection: Connection) -> None:
    """Take the secondary indexes off the read models (emptied for a rebuild from
    scratch), on an engine that defers them; :func:`create_missing_indexes` puts them
    back. A rebuild killed before then leaves them missing until the next catch-up of
    a backlog or the next opening of the ledger creates them."""
    if connection.dialect.name not in INDEXES_DEFERRED_ON:
        return
    quote = connection.dialect.identifier_preparer.quote
    for index in secondary_indexes():
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {quote(str(index.name))}")


def create_missing_indexes(connection: Connection) -> None:
    """Create each read-model index the database lacks (each one sort of its table),
    as far as the stored tables hold their columns; one query when none is missing."""
    if connection.dialect.name not in INDEXES_DEFERRED_ON:
        return  # never dropped there
    present = set(
        connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
        .scalars()
        .all()
    )
    for table in READ_MODEL_TABLES:
        missing = [index for index in table.indexes if index.name not in present]
        for index in indexes_it_holds(connection, table, missing):
            index.create(connection)


#: Indexes an earlier version declared and this one replaces: the report's stage and
#: representation indexes, now covering under new names (ADR 0054). Kept beside their
#: successors they would only cost every write their upkeep.
RETIRED_INDEXES = (
    "rm_stage_by_started_on",
    "rm_stage_by_responded_on",
    "rm_stage_by_panel_met_on",
    "rm_stage_by_response_due",
    "rm_stage_by_acknowledged_on",
    "rm_representation_by_received",
)


def drop_retired_indexes(connection: Connection, present: set[str]) -> None:
    """Drop each of :data:`RETIRED_INDEXES` that ``present`` (the schema's table and
    index names) still holds: once, when a ledger made before is first opened to write
    (on PostgreSQL by the tables' owner, as for creating their successors)."""
    quote = connection.dialect.identifier_preparer.quote
    for name in RETIRED_INDEXES:
        if name in present:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {quote(name)}")
            present.discard(name)
