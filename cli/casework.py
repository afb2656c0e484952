"""Who a complaint is about, joint complaints, the procedure's costs and the
satisfaction survey (ADR 0039)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import click

from cli.base import command, group
from cli.options import (
    POUNDS,
    FixedName,
    actor,
    announce_recorded,
    emit_rows,
    format_option,
    ledger,
    ledger_options,
    on_option,
)
from domain.casework import COST_KINDS, JOINT_BODIES, JOINT_LEADS, SURVEY_SCALE
from domain.registers import PROVIDER

STAGE_OF_COST = FixedName("stage", ("1", "2", "3"))
SCORE = click.IntRange(*SURVEY_SCALE)


@command("provider")
@ledger_options
@click.argument("ref")
@on_option("Date it was known the complaint is about the provider.")
@click.option(
    "--provider", "provider", required=True, help="A name from the register of providers."
)
@click.pass_context
def provider(ctx: click.Context, ref: str, on: date, provider: str) -> None:
    """Record the commissioned or contracted provider the complaint is about.

    With a register of providers in the settings ([registers] providers = [...]), the
    name must be in it (or one of its aliases).

    Example:

    \b
        complaints provider CSC-2025-0001 --on 2025-04-08 --provider "Brightpath Fostering"
    """
    app = ledger(ctx)
    app.casework.name_provider(ref, on=on, actor=actor(ctx), provider=provider)
    announce_recorded(ref, app)


@command("providers")
@ledger_options
@format_option("text", "json", "csv")
@click.pass_context
def providers(ctx: click.Context, output_format: str) -> None:
    """List the providers complaints are about, with how many complaints name each.

    When the settings file has a register of providers, every name in it is listed
    (with 0 when no complaint names it yet).

    Example:

        complaints providers --format json
    """
    from reports.casework import provider_counts

    app = ledger(ctx)
    counts = app.query(provider_counts)
    register = app.policy.register(PROVIDER)
    names = list(counts)
    if register is not None:
        names += [n for n in register.names if n not in counts]
    rows: list[dict[str, Any]] = []
    for name in sorted(names):
        row: dict[str, Any] = {"provider": name, "complaints": counts.get(name, 0)}
        if register is not None:
            listed = name in register.names
            row["in_register"] = listed if output_format != "text" else ("yes" if listed else "NO")
        rows.append(row)
    emit_rows(rows, output_format, empty="no providers recorded")


@group()
def joint() -> None:
    """A complaint handled jointly with another body (the NHS, a school, the police...).

    Example:

    \b
        complaints joint record CSC-2025-0001 --on 2025-04-09 --with nhs --lead council
    """


@joint.command("record")
@ledger_options
@click.argument("ref")
@on_option("Date the complaint was agreed to be joint.")
@click.option(
    "--with",
    "body",
    type=FixedName("joint body", JOINT_BODIES),
    required=True,
    help="|".join(JOINT_BODIES),
)
@click.option(
    "--lead", type=FixedName("lead", JOINT_LEADS), required=True, help="|".join(JOINT_LEADS)
)
@click.pass_context
def record_joint(ctx: click.Context, ref: str, on: date, body: str, lead: str) -> None:
    """Record that the complaint is joint with another body, and who leads it.

    Example:

    \b
        complaints joint record CSC-2025-0001 --on 2025-04-09 --with nhs --lead council
    """
    app = ledger(ctx)
    app.casework.record_joint_complaint(ref, on=on, actor=actor(ctx), body=body, lead=lead)
    announce_recorded(ref, app)


@joint.command("agreed")
@ledger_options
@click.argument("ref")
@on_option("Date the joint response was agreed.")
@click.pass_context
def agreed(ctx: click.Context, ref: str, on: date) -> None:
    """Record the date the joint response was agreed with the other body.

    Example:

    \b
        complaints joint agreed CSC-2025-0001 --on 2025-05-02
    """
    app = ledger(ctx)
    app.casework.agree_joint_response(ref, on=on, actor=actor(ctx))
    announce_recorded(ref, app)


@command("cost")
@ledger_options
@click.argument("ref")
@on_option("Date the payment was made.")
@click.option(
    "--kind", type=FixedName("cost", COST_KINDS), required=True, help="|".join(COST_KINDS)
)
@click.option(
    "--amount",
    type=POUNDS,
    required=True,
    help="Pounds and pence, e.g. 1200, 845.50 or £1,345.50.",
)
@click.option("--stage", type=STAGE_OF_COST, help="1, 2 or 3; default the current stage.")
@click.pass_context
def cost(
    ctx: click.Context, ref: str, on: date, kind: str, amount: Decimal, stage: str | None
) -> None:
    """Record a cost of the procedure on a case: an independent investigator, an
    independent person, a panel member or advocacy (the report's expenditure).

    Example:

    \b
        complaints cost CSC-2025-0001 --on 2025-07-01 --kind independent-investigator \\
            --amount 1450 --stage 2
    """
    app = ledger(ctx)
    app.casework.record_cost(ref, on=on, actor=actor(ctx), kind=kind, amount=amount, stage=stage)
    announce_recorded(ref, app)


@group()
def survey() -> None:
    """The satisfaction survey of a case: sent after a response, answered (optional).

    Example:

    \b
        complaints survey sent CSC-2025-0001 --on 2025-05-01
    """


@survey.command("sent")
@ledger_options
@click.argument("ref")
@on_option("Date the survey was sent.")
@click.pass_context
def sent(ctx: click.Context, ref: str, on: date) -> None:
    """Record that the satisfaction survey was sent (after a stage response).

    Example:

    \b
        complaints survey sent CSC-2025-0001 --on 2025-05-01
    """
    app = ledger(ctx)
    app.casework.send_survey(ref, on=on, actor=actor(ctx))
    announce_recorded(ref, app)


@survey.command("answered")
@ledger_options
@click.argument("ref")
@on_option("Date the answers came back.")
@click.option("--overall", type=SCORE, required=True, help="Overall satisfaction, 1 to 5.")
@click.option("--kept-informed", type=SCORE, help="Kept informed, 1 to 5.")
@click.option("--fairly-treated", type=SCORE, help="Treated fairly, 1 to 5.")
@click.option("--timeliness", type=SCORE, help="Dealt with in good time, 1 to 5.")
@click.option("--comment", help="The complainant's words (sealed as personal data).")
@click.pass_context
def answered(
    ctx: click.Context,
    ref: str,
    on: date,
    overall: int,
    kept_informed: int | None,
    fairly_treated: int | None,
    timeliness: int | None,
    comment: str | None,
) -> None:
    """Record the survey's answers: scores 1 (very dissatisfied) to 5 (very satisfied)
    and an optional comment, kept sealed like every typed text.

    Example:

    \b
        complaints survey answered CSC-2025-0001 --on 2025-05-12 --overall 4 \\
            --kept-informed 3 --comment "slow at first, then helpful"
    """
    given = {
        "overall": overall,
        "kept-informed": kept_informed,
        "fairly-treated": fairly_treated,
        "timeliness": timeliness,
    }
    scores = {question: score for question, score in given.items() if score is not None}
    app = ledger(ctx)
    app.casework.answer_survey(ref, on=on, actor=actor(ctx), scores=scores, comment=comment)
    announce_recorded(ref, app)


COMMANDS = [provider, providers, joint, cost, survey]
