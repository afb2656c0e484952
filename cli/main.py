"""The ``complaints`` program: one group; each command group lives in its own module,
imported only when one of its commands runs (start-up time matters)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from cli.base import LedgerGroup, refuse_unreadable
from cli.options import ledger_options

#: Command name -> the module that defines it (as ``COMMANDS`` there).
COMMAND_MODULES = {
    "receive": "intake",
    "triage": "intake",
    "acknowledge": "intake",
    "withdraw": "intake",
    "suspend": "intake",
    "resume": "intake",
    "advocate": "intake",
    "amend": "intake",
    "void": "corrections",
    "erase": "privacy",
    "subject-access": "privacy",
    "privacy": "privacy",
    "keys": "privacy",
    "access-log": "privacy",
    "retention": "retention",
    "hold": "retention",
    "extend": "stages",
    "respond": "stages",
    "escalate": "stages",
    "handler": "stages",
    "appoint": "stages",
    "statement": "stages",
    "finding": "stages",
    "panel": "stages",
    "panel-report": "stages",
    "adr": "stages",
    "recommend": "recommendations",
    "recommendation": "recommendations",
    "compensate": "payments",
    "ombudsman": "ombudsman",
    "show": "views",
    "history": "views",
    "list": "views",
    "compliment": "representations",
    "enquiry": "representations",
    "feedback": "representations",
    "advocacy": "representations",
    "profile": "intake",
    "report": "reporting",
    "projections": "reporting",
    "batch": "batch",
    "demo": "demo",
    "verify": "integrity",
    "checkpoint": "integrity",
    "import": "transfer",
    "export": "transfer",
    "roles": "roles",
    "teams": "registers",
    "service-areas": "registers",
    "learning": "learning",
    "self-assessment": "code",
    "governing-response": "code",
    "remind": "reminders",
    "calendar": "reminders",
    "provider": "casework",
    "providers": "casework",
    "joint": "casework",
    "cost": "casework",
    "survey": "casework",
    "link": "case_links",
    "merge": "case_links",
    "split": "case_links",
    "new-issue": "case_links",
    "reopen": "case_links",
    "restriction": "contact_registers",
    "adjustment": "contact_registers",
    "access-request": "contact_registers",
}


class ComplaintsGroup(LedgerGroup):
    """The root group: commands are loaded from their modules on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"cli.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.commands.setdefault(str(command.name), command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing of ``--help`` as click writes it, each line from
        :data:`cli.summaries.SUMMARIES` when it has one, so that no command module is
        imported to list it (ADR 0036); a command it lacks is asked itself."""
        from cli.summaries import SUMMARIES

        listed: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            summary = SUMMARIES.get(name) if name not in self.commands else None
            found = click.Command(name, help=summary) if summary else self.get_command(ctx, name)
            if found is not None and not found.hidden:
                listed.append((name, found))
        if listed:
            limit = formatter.width - 6 - max(len(name) for name, _ in listed)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in listed])

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run a command line. Whatever stops it is said in one line by
        :func:`cli.failures.describe`, with its exit code (1 refused, 2 usage); with
        ``standalone_mode=False`` (a ``batch`` line) failures are raised to the caller."""
        from cli.failures import describe

        words = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            refuse_unreadable(words)
            return super().main(words, prog_name, complete_var, False, **extra)
        try:
            refuse_unreadable(words)
            done = super().main(words, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as help_shown:
            help_shown.show()
            sys.exit(help_shown.exit_code)
        except Exception as error:  # the one place every failure is described
            message, code = describe(error)
            click.echo(f"Error: {message}", err=True)
            sys.exit(code)
        except KeyboardInterrupt as error:
            message, code = describe(error)
            click.echo(f"Error: {message}", err=True)
            sys.exit(code)
        sys.exit(done if isinstance(done, int) else 0)


@click.group(cls=ComplaintsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@ledger_options
@click.version_option(package_name="complaints-ledger")
def cli() -> None:
    """Record and report children's social care complaints as an immutable ledger.

    Every action is an event with its effective date (--on) and its actor; nothing is
    changed in place. The database is an SQLite file (default complaints.db) or a
    PostgreSQL URL, created on first use.

    Example:

    \b
        complaints receive --on 2025-04-07 --procedure statutory --channel email
    """


def main() -> None:
    cli(obj={})
