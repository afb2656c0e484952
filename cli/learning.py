"""Learning and service improvement: learning statements recorded against a case or a
theme, their actions done, their public wording approved, listed and shown (ADR 0030)."""

from __future__ import annotations

from datetime import date

import click

from cli.base import group
from cli.options import (
    DATE,
    NameChoice,
    TaxonomyName,
    actor,
    emit_json,
    emit_rows,
    format_option,
    ledger,
    ledger_options,
    on_option,
)
from domain.learning import LEARNING_STATUSES


@group()
def learning() -> None:
    """Learning statements: what went wrong, what was learnt, the action, its team.

    A statement's words are personal data, sealed like a case's typed text; only the
    wording approved for publication is quoted in reports ("you said, we did").

    Example:

    \b
        complaints learning list --status open
    """


@learning.command("record")
@ledger_options
@on_option("Date of the statement.")
@click.option("--case", "case_ref", help="The complaint it was learnt from.")
@click.option(
    "--theme", type=TaxonomyName("themes"), help="The learning theme, e.g. communication."
)
@click.option("--team", required=True, help="The team that owns the action (the register's).")
@click.option("--due", type=DATE, required=True, help="When the action is due.")
@click.option("--went-wrong", required=True, help="What went wrong (personal data: sealed).")
@click.option("--learnt", required=True, help="What was learnt (sealed).")
@click.option("--action", "action_text", required=True, help="The action taken (sealed).")
@click.pass_context
def record(
    ctx: click.Context,
    on: date,
    case_ref: str | None,
    theme: str | None,
    team: str,
    due: date,
    went_wrong: str,
    learnt: str,
    action_text: str,
) -> None:
    """Record a learning statement against a case or a theme; prints its reference.

    Example:

    \b
        complaints learning record --case CSC-2025-0001 --on 2025-05-01 \\
            --team "Front Door" --due 2025-07-31 --went-wrong "calls not returned" \\
            --learnt "messages sat in a shared inbox" --action "named duty officer daily"
    """
    ref = ledger(ctx).code.record_learning(
        on=on,
        actor=actor(ctx),
        team=team,
        due=due,
        went_wrong=went_wrong,
        learnt=learnt,
        action=action_text,
        case_ref=case_ref,
        theme=theme,
    )
    click.echo(ref)


@learning.command("done")
@ledger_options
@click.argument("ref")
@on_option("Date the action was done.")
@click.option("--evidence", required=True, help="How it is known to be done (sealed).")
@click.pass_context
def done(ctx: click.Context, ref: str, on: date, evidence: str) -> None:
    """Record that a learning statement's action was done, with the evidence.

    Example:

    \b
        complaints learning done LRN-2025-0001 --on 2025-07-15 \\
            --evidence "rota published and checked by the service manager"
    """
    ledger(ctx).code.learning_done(ref, on=on, actor=actor(ctx), evidence=evidence)


@learning.command("approve")
@ledger_options
@click.argument("ref")
@on_option("Date the wording was approved.")
@click.option("--wording", required=True, help="The words to publish, naming nobody.")
@click.pass_context
def approve(ctx: click.Context, ref: str, on: date, wording: str) -> None:
    """Approve the public wording of a learning statement ("you said, we did").

    Refused while it names a person recorded for the case (as a compliment's extract
    is) or anyone by title (Mrs ...). A later approval replaces it; both stay in the
    history.

    Example:

    \b
        complaints learning approve LRN-2025-0001 --on 2025-07-20 \\
            --wording "You told us calls were not returned; a duty officer now calls back"
    """
    ledger(ctx).code.approve_wording(ref, on=on, actor=actor(ctx), wording=wording)


@learning.command("list")
@ledger_options
@click.option(
    "--status", type=NameChoice(LEARNING_STATUSES), help="Only those open, overdue or done."
)
@click.option("--on", "on", type=DATE, default=None, help="Judge overdue on this day (today).")
@format_option("text", "json", "csv")
@click.pass_context
def list_learning(
    ctx: click.Context, status: str | None, on: date | None, output_format: str
) -> None:
    """Learning statements with their team, due date and status (no words).

    Example:

    \b
        complaints learning list --status overdue --format csv
    """
    rows = ledger(ctx).code.learning_rows(on or date.today(), status)
    emit_rows(rows, output_format, empty="no learning statements")


@learning.command("show")
@ledger_options
@click.argument("ref")
@click.option("--no-personal", is_flag=True, help="Show the words as sealed markers.")
@format_option("text", "json")
@click.pass_context
def show(ctx: click.Context, ref: str, no_personal: bool, output_format: str) -> None:
    """One learning statement: its facts, its words and its history.

    Opening the words is written in the access log (unless --no-personal).

    Example:

    \b
        complaints learning show LRN-2025-0001
    """
    app = ledger(ctx)
    shown = app.code.learning_statement(ref, personal=not no_personal)
    if not no_personal:
        app.code.record_access([ref], actor=actor(ctx), purpose="learning show")
    if output_format == "json":
        emit_json(shown)
        return
    for key in ("ref", "case", "theme", "team", "recorded_on", "due", "done_on", "status"):
        value = shown[key]
        click.echo(f"{key.replace('_', ' ')}: {'-' if value is None else value}")
    click.echo(f"wording approved on: {shown['wording_approved_on'] or '-'}")
    for name, text in shown["words"].items():
        click.echo(f"{name.replace('_', ' ')}: {text}")
    click.echo("history:")
    for step in shown["history"]:
        click.echo(f"  {step['version']}  {step['on']}  {step['type']}  {step['actor']}")


@learning.command("erase")
@ledger_options
@click.argument("ref")
@on_option("Date of the erasure (default today).")
@click.option("--basis", required=True, help="Why: the request or retention rule it meets.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (it cannot be undone).")
@click.pass_context
def erase(ctx: click.Context, ref: str, on: date, basis: str, yes: bool) -> None:
    """Erase the words of a learning statement recorded against a theme alone: its key
    is destroyed, its facts and the hash chain stay. A statement recorded against a
    case is erased with the case (complaints erase REF --subject case).

    Example:

    \b
        complaints learning erase LRN-2025-0001 --basis "retention schedule" --yes
    """
    import sys

    from cli.options import Refusal

    if not yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise Refusal(
                f"not erased: erasing the words of {ref} cannot be undone; confirm it at "
                "the prompt of an interactive session, or give --yes [confirmation-needed]"
            )
        if not click.confirm(f"Erase the words of {ref} for good?", err=True):
            raise Refusal(f"not erased: {ref} was not confirmed [confirmation-needed]")
    ledger(ctx).code.erase_learning(ref, on=on, actor=actor(ctx), basis=basis)


COMMANDS = [learning]
