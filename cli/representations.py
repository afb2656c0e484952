"""Representations that are not complaints: compliments, councillor and MP enquiries,
initial feedback and advocacy referrals. Each group records a new one when called with
options alone (``complaints compliment --on DATE``) and has subcommands for what follows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from cli.base import LedgerGroup
from cli.options import (
    DATE,
    NameChoice,
    TaxonomyName,
    actor,
    fixed_name,
    ledger,
    ledger_options,
    on_option,
    split_names,
    taxonomy_name,
)
from domain.procedure import PROCEDURES
from domain.representations import (
    ENQUIRY_SOURCES,
    FEEDBACK_KINDS,
    AdvocacyReferral,
    Compliment,
    Enquiry,
    InitialFeedback,
    Representation,
)


class RecordingGroup(LedgerGroup):
    """A group that records a new representation when no subcommand is named."""


def _amend_command(kind: type[Representation], example_ref: str) -> click.Command:
    fields = "|".join(kind.AMENDABLE)

    @click.command("amend", cls=RecordingGroup.command_class)
    @ledger_options
    @click.argument("ref")
    @on_option("Date of the correction.")
    @click.option("--field", "detail", required=True, help=fields)
    @click.option("--value", required=True, help="The corrected value.")
    @click.option("--reason", required=True, help="Why the record was wrong.")
    @click.pass_context
    def amend(ctx: click.Context, ref: str, on: date, detail: str, value: str, reason: str) -> None:
        who = actor(ctx)
        names = kind.AMENDABLE.get(detail)
        if names == "source":
            value = fixed_name("enquiry source", value, ENQUIRY_SOURCES)
        elif names == "kind":
            value = fixed_name("kind of feedback", value, FEEDBACK_KINDS)
        elif names is not None:
            value = taxonomy_name(ctx, names, value)
        ledger(ctx).amend_representation(
            ref, kind, on=on, actor=who, field=detail, value=value, reason=reason
        )

    amend.help = (
        f"Correct a recorded detail of a {kind.KIND}; the history keeps both.\n\n"
        "Example:\n\n\b\n"
        f"    complaints {kind.KIND.split()[0]} amend {example_ref} --field team \\\n"
        '        --value "Locality South" --reason "recorded against the wrong team"'
    )
    return amend


# ----------------------------------------------------------------------- compliments
@click.group(cls=RecordingGroup, invoke_without_command=True)
@ledger_options
@click.option("--on", "on", type=DATE, default=None, help="Date received (default today).")
@click.option("--service-area", help="Service area complimented.")
@click.option("--team", help="Team complimented.")
@click.option(
    "--channel", type=TaxonomyName("channels"), help="How it was received, e.g. email, letter."
)
@click.option(
    "--role", type=TaxonomyName("roles"), help="Who it was from, e.g. parent, foster-carer."
)
@click.option("--text", help="What they said (personal data: quoted only once approved).")
@click.option("--from-name", help="Who sent it (personal data: never published).")
@click.pass_context
def compliment(ctx: click.Context, /, on: date | None, **details: Any) -> None:
    """Record a compliment; prints its reference.

    Example:

    \b
        complaints compliment --on 2025-05-02 --service-area "Children in Care" \\
            --team "Fostering" --channel email --text "Thank you for all your help"

    Then, to allow quoting it:

    \b
        complaints compliment publish CMP-2025-0001 --extract "..."
    """
    if ctx.invoked_subcommand is not None:
        return
    ref = ledger(ctx).record_compliment(on=on or date.today(), actor=actor(ctx), **details)
    click.echo(ref)


@compliment.command("publish")
@ledger_options
@click.argument("ref")
@on_option("Date publication was approved.")
@click.option("--extract", required=True, help="The words to quote, with every name removed.")
@click.pass_context
def compliment_publish(ctx: click.Context, ref: str, on: date, extract: str) -> None:
    """Approve a compliment for quoting in reports, with the extract to quote.

    An extract that still contains the sender's recorded name is refused.

    Example:

    \b
        complaints compliment publish CMP-2025-0001 \\
            --extract "She listened and helped us"
    """
    ledger(ctx).publish_compliment(ref, on=on, actor=actor(ctx), extract=extract)


compliment.add_command(_amend_command(Compliment, "CMP-2025-0001"))


# ------------------------------------------------------------------------ enquiries
@click.group(cls=RecordingGroup, invoke_without_command=True)
@ledger_options
@click.option("--on", "on", type=DATE, default=None, help="Date the enquiry was received.")
@click.option("--from", "source", type=NameChoice(ENQUIRY_SOURCES), help="councillor|mp")
@click.option("--service-area", help="Service area asked about.")
@click.option("--team", help="Team asked about.")
@click.option("--responded-on", type=DATE, help="Date it was answered, if already.")
@click.pass_context
def enquiry(
    ctx: click.Context,
    on: date | None,
    source: str | None,
    service_area: str | None,
    team: str | None,
    responded_on: date | None,
) -> None:
    """Record a councillor's or MP's enquiry; prints its reference.

    Example:

    \b
        complaints enquiry --on 2025-05-06 --from councillor --team "Front Door" \\
            --responded-on 2025-05-14

    Answer a recorded one later with:

    \b
        complaints enquiry respond ENQ-2025-0001 --on 2025-05-14
    """
    if ctx.invoked_subcommand is not None:
        return
    if source is None:
        raise click.UsageError("say who the enquiry is from: --from councillor|mp")
    ref = ledger(ctx).record_enquiry(
        on=on or date.today(),
        actor=actor(ctx),
        source=source,
        service_area=service_area,
        team=team,
        responded_on=responded_on,
    )
    click.echo(ref)


@enquiry.command("respond")
@ledger_options
@click.argument("ref")
@on_option("Date the enquiry was answered.")
@click.pass_context
def enquiry_respond(ctx: click.Context, ref: str, on: date) -> None:
    """Record the answer to a councillor's or MP's enquiry.

    Example:

    \b
        complaints enquiry respond ENQ-2025-0001 --on 2025-05-14
    """
    ledger(ctx).respond_to_enquiry(ref, on=on, actor=actor(ctx))


enquiry.add_command(_amend_command(Enquiry, "ENQ-2025-0001"))


# ------------------------------------------------------------------ initial feedback
@click.group(cls=RecordingGroup, invoke_without_command=True)
@ledger_options
@click.option("--on", "on", type=DATE, default=None, help="Date received (default today).")
@click.option(
    "--kind", type=NameChoice(FEEDBACK_KINDS), default="initial-feedback", show_default=True
)
@click.option("--service-area", help="Service area concerned.")
@click.option("--team", help="Team concerned.")
@click.option("--channel", type=TaxonomyName("channels"), help="How it was received.")
@click.option("--resolved-on", type=DATE, help="Date it was resolved, if already.")
@click.option("--summary", help="What it was about (personal data).")
@click.pass_context
def feedback(
    ctx: click.Context,
    on: date | None,
    kind: str,
    service_area: str | None,
    team: str | None,
    channel: str | None,
    resolved_on: date | None,
    summary: str | None,
) -> None:
    """Record initial feedback (or an enquiry) that is not a formal complaint; prints
    its reference.

    Example:

    \b
        complaints feedback --on 2025-05-06 --team "Front Door" \\
            --resolved-on 2025-05-07

    Later, resolve it, or convert it to make it a formal complaint:

    \b
        complaints feedback resolve FBK-2025-0001 --on 2025-05-07
        complaints feedback convert FBK-2025-0001 --on 2025-05-09 --procedure statutory
    """
    if ctx.invoked_subcommand is not None:
        return
    day, who = on or date.today(), actor(ctx)
    ref = ledger(ctx).record_feedback(
        on=day,
        actor=who,
        kind=kind,
        service_area=service_area,
        team=team,
        channel=channel,
        summary=summary,
        resolved_on=resolved_on,
    )
    click.echo(ref)


@feedback.command("resolve")
@ledger_options
@click.argument("ref")
@on_option("Date it was resolved.")
@click.pass_context
def feedback_resolve(ctx: click.Context, ref: str, on: date) -> None:
    """Record that initial feedback was resolved without a formal complaint.

    Example:

    \b
        complaints feedback resolve FBK-2025-0001 --on 2025-05-07
    """
    who = actor(ctx)
    ledger(ctx).resolve_feedback(ref, on=on, actor=who)


@feedback.command("convert")
@ledger_options
@click.argument("ref")
@on_option("Date it became a formal complaint (the complaint's date of receipt).")
@click.option("--ref", "complaint_ref", help="The complaint's reference; generated if omitted.")
@click.option("--procedure", type=NameChoice(PROCEDURES), help="Triage it on the same date.")
@click.option("--role", type=TaxonomyName("roles"), help="Who complained.")
@click.option(
    "--reason",
    "reasons",
    type=TaxonomyName("reasons", many=True),
    multiple=True,
    help="Reason for complaint (repeatable).",
)
@click.option("--service-area", help="Service area complained about (default: the feedback's).")
@click.option("--team", help="Team complained about (default: the feedback's).")
@click.pass_context
def feedback_convert(
    ctx: click.Context,
    ref: str,
    on: date,
    complaint_ref: str | None,
    procedure: str | None,
    role: str | None,
    reasons: tuple[str, ...],
    service_area: str | None,
    team: str | None,
) -> None:
    """Turn initial feedback into a formal complaint; prints the complaint's reference.

    The complaint's history records the feedback it grew from, and the feedback's
    history the complaint it became.

    Example:

    \b
        complaints feedback convert FBK-2025-0001 --on 2025-05-09 \\
            --procedure statutory
    """
    made = ledger(ctx).convert_feedback(
        ref,
        on=on,
        actor=actor(ctx),
        ref=complaint_ref,
        procedure=procedure,
        role=role,
        reasons=split_names(reasons),
        **{k: v for k, v in (("service_area", service_area), ("team", team)) if v is not None},
    )
    click.echo(made)


feedback.add_command(_amend_command(InitialFeedback, "FBK-2025-0001"))


# ------------------------------------------------------------------------- advocacy
@click.group(cls=RecordingGroup, invoke_without_command=True)
@ledger_options
@click.option("--on", "on", type=DATE, default=None, help="Date of the referral.")
@click.option(
    "--age-band",
    type=TaxonomyName("age_bands"),
    help="Age band of the child or young person at referral.",
)
@click.option(
    "--theme",
    type=TaxonomyName("advocacy_themes"),
    help="What the advocacy is about, e.g. placement, care-planning.",
)
@click.option("--service-area", help="Service area concerned.")
@click.option("--team", help="Team concerned.")
@click.option("--complaint", "complaint_ref", help="The complaint it led to, if any.")
@click.pass_context
def advocacy(
    ctx: click.Context,
    on: date | None,
    age_band: str | None,
    theme: str | None,
    service_area: str | None,
    team: str | None,
    complaint_ref: str | None,
) -> None:
    """Record a referral to the advocacy service; prints its reference.

    Example:

    \b
        complaints advocacy --on 2025-05-06 --age-band 12-15 --theme placement

    Later, link it to the complaint it led to:

    \b
        complaints advocacy link ADV-2025-0001 --complaint CSC-2025-0042
    """
    if ctx.invoked_subcommand is not None:
        return
    day, who, app = on or date.today(), actor(ctx), ledger(ctx)
    ref = app.refer_to_advocacy(
        on=day,
        actor=who,
        age_band=age_band,
        theme=theme,
        service_area=service_area,
        team=team,
        complaint_ref=complaint_ref,
    )
    click.echo(ref)


@advocacy.command("link")
@ledger_options
@click.argument("ref")
@on_option()
@click.option("--complaint", "complaint_ref", required=True, help="The complaint it led to.")
@click.pass_context
def advocacy_link(ctx: click.Context, ref: str, on: date, complaint_ref: str) -> None:
    """Record the complaint an advocacy referral led to.

    Example:

    \b
        complaints advocacy link ADV-2025-0001 --complaint CSC-2025-0042 \\
            --on 2025-05-20
    """
    who, app = actor(ctx), ledger(ctx)
    app.link_advocacy(ref, on=on, actor=who, complaint_ref=complaint_ref)


advocacy.add_command(_amend_command(AdvocacyReferral, "ADV-2025-0001"))


COMMANDS = [compliment, enquiry, feedback, advocacy]
