"""Receipt, triage, acknowledgement, advocacy, holds, withdrawal and corrections."""

from __future__ import annotations

from datetime import date

import click

from cli.base import command, group
from cli.options import (
    DATE,
    FixedName,
    NameChoice,
    TaxonomyName,
    actor,
    announce_recorded,
    ledger,
    ledger_options,
    on_option,
    split_names,
    taxonomy_name,
)
from domain.procedure import DISABILITY_ANSWERS, PROCEDURES, TRIAGE_DECISIONS


@command()
@ledger_options
@on_option("Date the complaint was received (day 0 of the clock).")
@click.option("--ref", help="The council's case reference; generated (CSC-YYYY-NNNN) if omitted.")
@click.option(
    "--procedure",
    type=NameChoice(PROCEDURES),
    help="Triage into this procedure's Stage 1 on the same date.",
)
@click.option(
    "--channel",
    type=TaxonomyName("channels"),
    help="How it was received, e.g. email, letter, online-form.",
)
@click.option(
    "--role",
    type=TaxonomyName("roles"),
    help="Who complained, e.g. parent, child-or-young-person, foster-carer.",
)
@click.option("--service-area", help="Service area complained about.")
@click.option("--team", help="Team complained about.")
@click.option(
    "--reason",
    "reasons",
    type=TaxonomyName("reasons", many=True),
    multiple=True,
    help='Reason for complaint (repeatable), by name or label: "Poor communication".',
)
@click.option("--matter-on", type=DATE, help="When the matter complained of happened.")
@click.option(
    "--late-reason", help="With --procedure: why a complaint over a year late is accepted."
)
@click.option("--summary", help="The complaint in brief (personal data: never in statistics).")
@click.option("--complainant", help="Complainant's name (personal data).")
@click.option("--contact", help="Complainant's contact details (personal data).")
@click.option("--child", help="The child's name, when someone complains for them (personal data).")
@click.pass_context
def receive(
    ctx: click.Context,
    on: date,
    ref: str | None,
    procedure: str | None,
    channel: str | None,
    role: str | None,
    service_area: str | None,
    team: str | None,
    reasons: tuple[str, ...],
    matter_on: date | None,
    late_reason: str | None,
    summary: str | None,
    complainant: str | None,
    contact: str | None,
    child: str | None,
) -> None:
    """Record that a complaint was received; prints its reference.

    Example:

    \b
        complaints receive --on 2025-04-07 --procedure statutory --channel email \\
            --role parent --service-area "Children in Need" --team "Locality North" \\
            --reason poor-communication --reason delays-in-service
    """
    reference = ledger(ctx).receive(
        on=on,
        actor=actor(ctx),
        ref=ref,
        procedure=procedure,
        channel=channel,
        role=role,
        service_area=service_area,
        team=team,
        reasons=split_names(reasons),
        matter_on=matter_on,
        late_reason=late_reason,
        personal={
            "summary": summary,
            "complainant": complainant,
            "contact": contact,
            "child": child,
        },
    )
    click.echo(reference)
    announce_recorded(reference, ledger(ctx))


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.option(
    "--decision",
    type=FixedName("triage decision", TRIAGE_DECISIONS),
    required=True,
    help="|".join(TRIAGE_DECISIONS),
)
@click.option("--reason", help="Why (for redirected cases: where it was passed to).")
@click.option("--late-reason", help="Why a complaint over a year late is accepted anyway.")
@click.pass_context
def triage(
    ctx: click.Context,
    ref: str,
    on: date,
    decision: str,
    reason: str | None,
    late_reason: str | None,
) -> None:
    """Triage a received complaint into a procedure, or out of it.

    statutory and corporate open Stage 1; not-a-complaint, out-of-time and excluded
    end the case outside the procedure.

    Example:

    \b
        complaints triage CSC-2025-0001 --on 2025-04-08 --decision statutory
    """
    app = ledger(ctx)
    app.triage(
        ref, on=on, actor=actor(ctx), decision=decision, reason=reason, late_reason=late_reason
    )
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.pass_context
def acknowledge(ctx: click.Context, ref: str, on: date) -> None:
    """Record that the complaint (at its current stage) was acknowledged.

    Example:

    \b
        complaints acknowledge CSC-2025-0001 --on 2025-04-09
    """
    app = ledger(ctx)
    app.acknowledge(ref, on=on, actor=actor(ctx))
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.option("--reason", help="Why (procedural; no names).")
@click.pass_context
def withdraw(ctx: click.Context, ref: str, on: date, reason: str | None) -> None:
    """The complainant withdrew; the case ends at its current stage.

    Example:

    \b
        complaints withdraw CSC-2025-0001 --on 2025-04-20 \\
            --reason "resolved informally"
    """
    app = ledger(ctx)
    app.withdraw(ref, on=on, actor=actor(ctx), reason=reason)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.option("--reason", required=True, help="Why, e.g. court proceedings, finding an advocate.")
@click.option(
    "--until", type=DATE, help="The day the hold ended (a hold recorded after it was over)."
)
@click.pass_context
def suspend(ctx: click.Context, ref: str, on: date, reason: str, until: date | None) -> None:
    """Put a complaint on hold; its clock stops until it is resumed.

    A hold recorded after it was over is recorded with --until, the day it ended.

    Example:

    \b
        complaints suspend CSC-2025-0001 --on 2025-04-10 \\
            --reason "police investigation"
    """
    app = ledger(ctx)
    app.suspend(ref, on=on, actor=actor(ctx), reason=reason, until=until)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.pass_context
def resume(ctx: click.Context, ref: str, on: date) -> None:
    """Take a complaint off hold; its clock runs again.

    Example:

    \b
        complaints resume CSC-2025-0001 --on 2025-05-12
    """
    app = ledger(ctx)
    app.resume(ref, on=on, actor=actor(ctx))
    announce_recorded(ref, app)


@group()
def advocate() -> None:
    """Advocacy: record the offer of an advocate and whether it was taken up.

    Example:

    \b
        complaints advocate offer CSC-2025-0001 --on 2025-04-08
    """


@advocate.command("offer")
@ledger_options
@click.argument("ref")
@on_option()
@click.pass_context
def advocate_offer(ctx: click.Context, ref: str, on: date) -> None:
    """An advocate was offered.

    Example:

    \b
        complaints advocate offer CSC-2025-0001 --on 2025-04-08
    """
    app = ledger(ctx)
    app.offer_advocate(ref, on=on, actor=actor(ctx))
    announce_recorded(ref, app)


@advocate.command("accept")
@ledger_options
@click.argument("ref")
@on_option()
@click.pass_context
def advocate_accept(ctx: click.Context, ref: str, on: date) -> None:
    """The offer of an advocate was taken up.

    Example:

    \b
        complaints advocate accept CSC-2025-0001 --on 2025-04-09
    """
    app = ledger(ctx)
    app.answer_advocate_offer(ref, on=on, actor=actor(ctx), accepted=True)
    announce_recorded(ref, app)


@advocate.command("decline")
@ledger_options
@click.argument("ref")
@on_option()
@click.pass_context
def advocate_decline(ctx: click.Context, ref: str, on: date) -> None:
    """The offer of an advocate was declined.

    Example:

    \b
        complaints advocate decline CSC-2025-0001 --on 2025-04-09
    """
    app = ledger(ctx)
    app.answer_advocate_offer(ref, on=on, actor=actor(ctx), accepted=False)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date of the correction.")
@click.option(
    "--field",
    "detail",
    required=True,
    help="service-area|team|channel|role|reasons|received-on|matter-on",
)
@click.option(
    "--value",
    "values",
    required=True,
    multiple=True,
    help="The corrected value (repeat, or separate by commas, for reasons).",
)
@click.option("--reason", required=True, help="Why the record was wrong.")
@click.pass_context
def amend(
    ctx: click.Context, ref: str, on: date, detail: str, values: tuple[str, ...], reason: str
) -> None:
    """Correct a recorded detail; the history keeps the original and the correction.

    Example:

    \b
        complaints amend CSC-2025-0001 --field team --value "Locality South" \\
            --reason "recorded against the wrong team"
    """
    value: object
    if detail == "reasons":
        value = [taxonomy_name(ctx, "reasons", name) for name in split_names(values)]
    elif detail in ("received-on", "matter-on"):
        value = DATE.convert(values[-1], None, ctx)
    elif detail in ("channel", "role"):
        value = taxonomy_name(ctx, detail + "s", values[-1])
    else:
        value = values[-1]
    app = ledger(ctx)
    app.amend(ref, on=on, actor=actor(ctx), field=detail, value=value, reason=reason)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the complainant gave it.")
@click.option("--age-band", type=TaxonomyName("age_bands"), help="e.g. 12-15, 25-34, 65-and-over.")
@click.option("--ethnicity", help="As the complainant described it.")
@click.option(
    "--disability",
    type=FixedName("disability answer", DISABILITY_ANSWERS),
    help="|".join(DISABILITY_ANSWERS),
)
@click.pass_context
def profile(
    ctx: click.Context,
    ref: str,
    on: date,
    age_band: str | None,
    ethnicity: str | None,
    disability: str | None,
) -> None:
    """Record the complainant's equality-monitoring profile, only as they gave it.

    Reports count these with "not recorded" shown, and the public version suppresses
    small numbers.

    Example:

    \b
        complaints profile CSC-2025-0001 --age-band 35-44 \\
            --ethnicity "White British"
    """
    app = ledger(ctx)
    app.record_profile(
        ref,
        on=on,
        actor=actor(ctx),
        age_band=age_band,
        ethnicity=ethnicity,
        disability=disability,
    )
    announce_recorded(ref, app)


COMMANDS = [receive, triage, acknowledge, withdraw, suspend, resume, advocate, amend, profile]
