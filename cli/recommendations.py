"""Recommendations: made at a stage or by the Ombudsman, decided, completed."""

from __future__ import annotations

from datetime import date

import click

from cli.base import command, group
from cli.options import (
    DATE,
    STAGE,
    TaxonomyName,
    actor,
    announce_recorded,
    ledger,
    ledger_options,
    on_option,
)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the recommendation was made.")
@click.option("--text", required=True, help="The recommendation (kept with personal data).")
@click.option("--stage", type=STAGE, help="1, 2, 3 or ombudsman; default the current stage.")
@click.option("--id", "recommendation_id", help="Id unique within the case; default R1, R2, ...")
@click.option(
    "--theme",
    type=TaxonomyName("themes"),
    help="Learning theme, e.g. communication, service-failure.",
)
@click.pass_context
def recommend(
    ctx: click.Context,
    ref: str,
    on: date,
    text: str,
    stage: str | None,
    recommendation_id: str | None,
    theme: str | None,
) -> None:
    """Record a recommendation; prints its id.

    Example:

    \b
        complaints recommend CSC-2025-0001 --on 2025-06-20 --stage 2 \\
            --text "Review the duty desk call-back process" --theme communication
    """
    app = ledger(ctx)
    made = app.recommend(
        ref,
        on=on,
        actor=actor(ctx),
        text=text,
        recommendation_id=recommendation_id,
        stage=stage,
        theme=theme,
    )
    announce_recorded(ref, app)
    click.echo(made)


@group()
def recommendation() -> None:
    """The council's decision on a recommendation, and the action that follows.

    Example:

    \b
        complaints recommendation accept CSC-2025-0001 R1 --on 2025-06-25 \\
            --owner "Front Door" --due 2025-09-30
    """


@recommendation.command("accept")
@ledger_options
@click.argument("ref")
@click.argument("recommendation_id", metavar="ID")
@on_option("Date of the council's decision.")
@click.option("--owner", help="Team that owns the action.")
@click.option("--due", type=DATE, help="Date the action is due.")
@click.pass_context
def accept(
    ctx: click.Context,
    ref: str,
    recommendation_id: str,
    on: date,
    owner: str | None,
    due: date | None,
) -> None:
    """Accept a recommendation; it becomes an action with an owner and a due date.

    Example:

    \b
        complaints recommendation accept CSC-2025-0001 R1 --on 2025-06-25 \\
            --owner "Front Door" --due 2025-09-30
    """
    app = ledger(ctx)
    app.decide_recommendation(
        ref,
        on=on,
        actor=actor(ctx),
        recommendation_id=recommendation_id,
        accepted=True,
        owner=owner,
        due=due,
    )
    announce_recorded(ref, app)


@recommendation.command("reject")
@ledger_options
@click.argument("ref")
@click.argument("recommendation_id", metavar="ID")
@on_option("Date of the council's decision.")
@click.option("--reason", help="Why it was rejected.")
@click.pass_context
def reject(
    ctx: click.Context, ref: str, recommendation_id: str, on: date, reason: str | None
) -> None:
    """Reject a recommendation.

    Example:

    \b
        complaints recommendation reject CSC-2025-0001 R2 --on 2025-06-25
    """
    app = ledger(ctx)
    app.decide_recommendation(
        ref,
        on=on,
        actor=actor(ctx),
        recommendation_id=recommendation_id,
        accepted=False,
        reason=reason,
    )
    announce_recorded(ref, app)


@recommendation.command("complete")
@ledger_options
@click.argument("ref")
@click.argument("recommendation_id", metavar="ID")
@on_option("Date the action was completed.")
@click.option("--evidence", help="What shows it was done (no names).")
@click.pass_context
def complete(
    ctx: click.Context, ref: str, recommendation_id: str, on: date, evidence: str | None
) -> None:
    """Record that an accepted recommendation's action is done.

    Example:

    \b
        complaints recommendation complete CSC-2025-0001 R1 --on 2025-09-12 \\
            --evidence "new call-back standard issued"
    """
    app = ledger(ctx)
    app.complete_recommendation(
        ref,
        on=on,
        actor=actor(ctx),
        recommendation_id=recommendation_id,
        evidence=evidence,
    )
    announce_recorded(ref, app)


COMMANDS = [recommend, recommendation]
