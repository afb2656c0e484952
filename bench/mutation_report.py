"""Write docs/mutation.md from mutmut's results (`make mutate`).

Reads what `mutmut run` left in mutants/ (one .meta file per mutated source file) and
prints the page: date, tool version, scope, the tests run, the counts and every
surviving mutant with its file, line, the mutated code and why it survives
(``EXPLAINED`` below, kept by hand; a survivor without an entry says so).
"""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from collections import Counter
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: mutmut's exit codes, as its own `mutmut results` names them.
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    37: "caught by type check",
    None: "not checked",
}
ORDER = ("killed", "survived", "timeout", "skipped", "no tests", "not checked", "suspicious")

_REPLAYED_ACTOR = (
    "equivalent: the step judged again is compared with the recorded one by kind and "
    "by what it is about, not by who recorded it, and the recorded step is kept"
)
_NO_NAMES = (
    "equivalent in practice: with no names given, a default of 'XXXX' refuses only a "
    "wording that contains 'xxxx'"
)

#: Why a survivor survives, by mutant name: equivalent (no behaviour changes) or out of
#: reach of the fast tests (and why). Kept by hand after each run.
#: The calendar's table of each year's working days: a mutant that loses or skips it
#: only makes the table be counted again, never a different count.
CACHE_YEARS = (
    "equivalent: the table of a year's working days is only remembered; without it the "
    "same table is counted again"
)

EXPLAINED: dict[str, str] = {
    "ledger.store.integrity.x_event_hash__mutmut_16": (
        "equivalent: positions and versions are never negative, and below 2^63 the "
        "signed and unsigned 8-byte encodings are the same bytes"
    ),
    "ledger.store.integrity.x_event_hash__mutmut_24": (
        "equivalent: a topic's length is far below 2^31 bytes, where `>i` and `>I` "
        "write the same bytes"
    ),
    "domain.calendar.xǁWorkingDayCalendarǁ_add_working_days__mutmut_16": (
        "equivalent: the hold's first day is inside the open hold, so `_counts` does not "
        "count it either, and the clock stops on the next day with the same result "
        "(checked by hand against the new on-hold-on-its-last-day test)"
    ),
    "domain.calendar.xǁWorkingDayCalendarǁ_working_days_of__mutmut_1": CACHE_YEARS,
    "domain.calendar.xǁWorkingDayCalendarǁ_working_days_of__mutmut_2": CACHE_YEARS,
    "domain.calendar.xǁWorkingDayCalendarǁ_working_days_of__mutmut_23": CACHE_YEARS,
    "domain.calendar.xǁWorkingDayCalendarǁ_nth_working_day_after__mutmut_12": (
        "equivalent: `counts[-2]` is the count to 30 December, one less than the year's "
        "only when 31 December is a working day; then the target moves to the next "
        "year as 0, and `bisect_left` of 0 gives the day before 1 January: 31 December, "
        "the same day"
    ),
    "domain.calendar.xǁWorkingDayCalendarǁworking_days_between__mutmut_2": (
        "equivalent: when `end` is `start` the years' counts give the same entry twice "
        "and no year between, so the count is 0 either way"
    ),
    "domain.procedure.x_check_name__mutmut_8": (
        "message only: the labels only add the nearest names' labels to the refusal"
    ),
    "domain.procedure.x_check_name__mutmut_12": (
        "message only: the labels only add the nearest names' labels to the refusal"
    ),
    "domain.procedure.x_name_of__mutmut_1": (
        "message only: the kind of name is used only in the words of the refusal"
    ),
    "domain.complaint.xǁComplaintǁresponded_on_time__mutmut_2": (
        "equivalent: a statutory Stage 1 or 2 never has panel dates, so the panel "
        "checks do nothing there, and the corporate procedure has no Stage 3"
    ),
    "domain.complaint.xǁComplaintǁ_take__mutmut_5": (
        "equivalent: `_reset`, called on the next line, sets the latest step's key again"
    ),
    "domain.complaint.xǁComplaintǁ_take__mutmut_10": (
        "equivalent: a step's key ends with its version, so no two keys are ever equal"
    ),
    "domain.complaint.xǁComplaintǁ_steps_after__mutmut_2": (
        "equivalent: a step dated the same day as the latest is then judged on a scratch "
        "copy holding every step in force (none is later), which records the same step"
    ),
    "domain.complaint.xǁComplaintǁ_shell__mutmut_6": (
        "equivalent: the scratch copy's own timestamp is never read; the steps it makes "
        "are recorded on the case with new ones"
    ),
    "domain.complaint.xǁComplaintǁ_record_late__mutmut_21": (
        "equivalent: `cast` has no effect at run time"
    ),
    "domain.complaint.xǁComplaintǁ_dependency__mutmut_9": (
        "equivalent: the next pass sets the scratch copy's expectation again before its "
        "command runs, and the copy is dropped after the last"
    ),
    "domain.complaint.xǁComplaintǁ_check_again__mutmut_16": (
        "equivalent: the next step judged again sets the scratch copy's expectation "
        "before its command runs; nothing runs on the copy after the last"
    ),
    "domain.complaint.xǁComplaintǁpauses_for__mutmut_6": (
        "equivalent: holds are in date order, so every hold after the first one starting "
        "on or after the stage's end starts after it too"
    ),
    "domain.complaint.xǁComplaintǁpauses_for__mutmut_9": (
        "equivalent: a hold that ended on the day the clock starts covers no day the "
        "clock counts (day 1 is the day after), so adding it changes no deadline"
    ),
    "domain.complaint.xǁComplaintǁerase__mutmut_14": (
        "message only: the register id quoted in the refusal"
    ),
    "domain.complaint.xǁComplaintǁerase__mutmut_27": (
        "message only: whether the refusal names the erasure's wider subject"
    ),
    "domain.complaint.x__escalate_again__mutmut_2": _REPLAYED_ACTOR,
    "domain.complaint.x__run_again__mutmut_8": _REPLAYED_ACTOR,
    "domain.complaint.x__escalate_again__mutmut_9": (
        "equivalent: a request recorded late carries its reason, and `reason and '-'` is "
        "'-' then; one recorded in time needs none"
    ),
    "domain.complaint.x__escalate_again__mutmut_10": (
        "equivalent: any reason lets a late request stand; its words are not recorded again"
    ),
    "domain.learning.x_check_public_wording__mutmut_1": _NO_NAMES,
    "domain.learning.xǁLearningStatementǁapprove_wording__mutmut_1": _NO_NAMES,
}

STATE_TEXT = (
    "gap: a detail the event records (actor, role, reason, the voided step's type) that "
    "no rule reads; the projections and the history read it, outside the fast selection"
)
MESSAGE_TEXT = "message only: the words of a refusal"

#: Why a survivor survives, by the function it is in, where one reason holds for all
#: the survivors there that have no entry above (``gap`` says a test is missing).
BY_FUNCTION: dict[str, str] = {
    "_shell": "equivalent: without the plain flag a command on the scratch copy takes "
    "the late-step route only where the copy holds a later step (a dependency's dry "
    "run), and that route ends the same way: it reaches recording, where the dry run "
    "stops, or it is refused",
    "trigger_event": "equivalent in practice: every step judged again is run with the "
    "recorded step's own arguments, targets included (`_CHECK_AGAIN`), so it would "
    "record the same kind of step about the same part; the comparison guards a "
    "command that derives them, which none does",
    "_check_again": "equivalent: with no expectation set the command records on the "
    "scratch copy instead, which is dropped; the kind and targets match anyway (see "
    "`trigger_event`)",
    "_payload": "equivalent: `trigger_event` sets the case's own id and next version "
    "over any given; a timestamp kept from the scratch copy's event is one made "
    "earlier in the same command, which no rule reads (`--as-of` and the history "
    "would show it a few microseconds earlier)",
    "_open_stage": MESSAGE_TEXT,
    "resolve": "message only: the kind given to `tidy` names the kind in a refusal",
    "service_area": "equivalent: `register(None)` is the service-area register too",
}

MESSAGE = (
    "message only: the change is to the words of a refusal; the tests check the "
    "exception's class and rule (`refused`), not its wording (by kind)"
)
PAUSES = (
    "gap: the deadline is computed without the case's holds; no fast test puts a case "
    "on hold during this step, so only a held case would show it (by kind)"
)
STATE = (
    "gap: a detail the event records on the case's state that no rule reads; the "
    "projections and reports read it, in tests outside the fast selection (by kind)"
)
CACHE = (
    "equivalent: the calendar's memo of answers; the change only decides whether an "
    "answer is worked out again, never what it is (by kind)"
)


def _by_kind(before: str, after: str) -> str | None:
    """A reason that holds for every mutant of this kind, or None."""
    words = ("XX", "None", "'XX?XX'")
    message_line = before.startswith(("raise ", 'f"', '"', "+ ")) or "errors." in before
    if message_line and (any(w in after for w in words) or before.lower() == after.lower()):
        return MESSAGE
    # check_name's first argument names the kind of name, in the refusal's words only.
    same_value = after.split(",")[1:] == before.split(",")[1:]
    if before.startswith("check_name(") and after != before and same_value:
        return MESSAGE
    # _required's first argument says what is missing, in the refusal's words only.
    said = re.compile(r'_required\((None|"[^"]*"), ')
    if "_required(" in before and said.sub("_required(_, ", after) == said.sub(
        "_required(_, ", before
    ):
        return MESSAGE
    if "_counted" in before or "_remember(" in before or before.startswith("key = ("):
        return CACHE
    if "pauses" in before and ("pauses" not in after or "pauses = None" in after):
        return PAUSES
    if "self.pauses_for(stage)" in before and "pauses_for" not in after:
        return PAUSES
    if before.startswith("self.") and after.endswith("= None") and "event." in before:
        return STATE
    return None


def _status(code: int | None) -> str:
    return STATUS.get(code, "suspicious")


def _config() -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    config: dict[str, object] = data["tool"]["mutmut"]
    return config


def _selected(name: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatch

    return not patterns or any(fnmatch(name, p) for p in patterns)


def _make_patterns() -> list[str]:
    """The mutant names `make mutate` runs (the Makefile's MUTANTS)."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("MUTANTS :="):
            return [p.strip("'") for p in line.split(":=", 1)[1].split()]
    return []


def _function_span(source: str, function: str, cls: str | None) -> tuple[int, int]:
    tree = ast.parse(source)
    body: list[ast.stmt] = tree.body
    if cls is not None:
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == cls:
                body = node.body
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function:
            return node.lineno, node.end_lineno or node.lineno
    return 1, len(source.splitlines())


def _where(name: str, path: Path) -> tuple[int, str, str]:
    """The line of the original file the mutant changes, that line, and the mutated one."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key

    diff = get_diff_for_mutant(name, path=path).splitlines()[2:]
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    function, cls = orig_function_and_class_names_from_key(name)
    source = (ROOT / path).read_text()
    start, end = _function_span(source, function.rpartition(".")[-1], cls)
    lines = source.splitlines()
    line = start
    if removed:
        for n in range(start, end + 1):
            if lines[n - 1].strip() == removed[0].strip():
                line = n
                break
    before = " / ".join(r.strip() for r in removed) or "(nothing)"
    after = " / ".join(a.strip() for a in added) or "(removed)"
    return line, before, after


def _explain(name: str, before: str, after: str) -> str:
    if name in EXPLAINED:
        return EXPLAINED[name]
    by_kind = _by_kind(before, after)
    if by_kind:
        return by_kind
    function = (
        name.rpartition("__mutmut_")[0]
        .rpartition("ǁ")[-1]
        .removeprefix(name.rpartition(".")[0] + ".")
    )
    function = function.removeprefix("x_")
    return BY_FUNCTION.get(function, "not yet explained")


def _tally(survivors: list[tuple[str, int, str, str, str]]) -> dict[str, int]:
    """How many survivors are equivalent, message only, gaps, or not yet explained."""
    kinds = ("equivalent", "message only", "gap", "not analysed", "not yet explained")
    found: Counter[str] = Counter()
    for name, _line, before, after, _file in survivors:
        reason = _explain(name, before, after)
        found[next((k for k in kinds if reason.startswith(k)), "other")] += 1
    return {kind: found[kind] for kind in (*kinds, "other") if found[kind]}


def _cell(text: str) -> str:
    text = text.replace("|", "\\|")
    return f"`{text}`" if "`" not in text else text


def main() -> None:
    sys.path.insert(0, str(ROOT))
    config = _config()
    patterns = _make_patterns()
    counts: Counter[str] = Counter()
    by_file: dict[str, Counter[str]] = {}
    survivors: list[tuple[str, int, str, str, str]] = []
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        path = meta.relative_to(ROOT / "mutants").with_suffix("")
        if str(path) not in [str(p) for p in config["only_mutate"]]:  # type: ignore[attr-defined]
            continue
        results = json.loads(meta.read_text())["exit_code_by_key"]
        for name, code in sorted(results.items(), key=lambda item: _number(item[0])):
            if not _selected(name, patterns):
                continue
            status = _status(code)
            counts[status] += 1
            by_file.setdefault(str(path), Counter())[status] += 1
            if status == "survived":
                line, before, after = _where(name, path)
                survivors.append((name, line, before, after, str(path)))

    out = [
        "# Mutation testing",
        "",
        f"Written by `make mutate` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC), "
        f"mutmut {version('mutmut')}, Python {sys.version.split()[0]}.",
        "",
        "A mutant is a small change to the product code (a `<` for a `<=`, a `+ 1` for a "
        "`+ 2`, a condition negated, an argument dropped). The tests below are run against "
        "each; a mutant the tests still pass on (it *survived*) is a rule the tests do not "
        "pin. mutmut changes code inside functions only, so a module-level constant (a "
        "time limit written as a constant) is not mutated.",
        "",
        "## Scope",
        "",
        "Mutated: "
        + ", ".join(f"`{p}`" for p in config["only_mutate"])  # type: ignore[attr-defined]
        + "; of `ledger/store/integrity.py` only `event_hash` (the chain's hash "
        "input), not the database code (triggers, verification queries), whose tests each "
        "build a ledger on SQLite and PostgreSQL and would take the run past its bound. The "
        "rest of `domain/` (vocabulary, registers, representations, personal notes, "
        "retention, references) is left out to keep the run within about 15 minutes: the "
        "whole of `domain/` and `integrity.py` is about 3,300 mutants. With "
        "`tests/ledger/store/test_integrity.py` and the database tests of "
        "`test_hash_inputs.py` in the selection, every mutant of a step of a case ran them "
        "too (they build ledgers through every step) and took about 10 s; so `event_hash` "
        "is tested by its pure tests only.",
        "",
        "Tests run (mutmut runs, for each mutant, only those of them that reach the "
        "mutated function):",
        "",
    ]
    out += [f"- `{t}`" for t in config["pytest_add_cli_args_test_selection"]]  # type: ignore[attr-defined]
    out += [
        "",
        "The integrity tests use PostgreSQL at 127.0.0.1:5432 as in `make test`.",
        "",
        "## Counts",
        "",
        "| file | " + " | ".join(ORDER) + " |",
        "| --- | " + " | ".join("---:" for _ in ORDER) + " |",
    ]
    for file, counter in sorted(by_file.items()):
        out.append(f"| `{file}` | " + " | ".join(str(counter[s]) for s in ORDER) + " |")
    out.append("| **all** | " + " | ".join(f"**{counts[s]}**" for s in ORDER) + " |")
    out += [
        "",
        "*timeout*: the tests ran past mutmut's CPU limit (a mutant that makes a "
        "stopped clock count on forever, until the dates run out): the mutant did not "
        "pass, but which test meets it first depends on the order mutmut runs them in, "
        "so it is killed in one run and a timeout in another.",
        "",
        "*no tests*: no test in the selection reaches the function. (Until 2026-12-03 "
        "that was all of `domain/learning.py`, whose rules were tested only through the "
        "command line, and the erasure, legal hold, subject access and monitoring profile "
        "commands of `domain/complaint.py`; `tests/domain/test_learning.py` and "
        "`tests/domain/test_personal_data_steps.py` now reach them.) mutmut switches a "
        "mutant on when a function is called, so code run once at import (the `_again` "
        "factory that builds `_CHECK_AGAIN`) is out of its reach: the replay it builds is "
        "`_run_again`, called when a step is judged again, and the factory's one line is "
        "marked `# pragma: no mutate`.",
        "",
        "*gap* in the table below means a test is missing, not that the mutant is "
        "harmless; *(by kind)* marks a reason given to every survivor of that kind of "
        "change, not checked one by one; *not yet explained* is a survivor the reasons "
        "table (`EXPLAINED`, `BY_FUNCTION` and `_by_kind` in `bench/mutation_report.py`) "
        "has no entry for: a new test or a reason is due.",
        "",
        "Survivors by reason: "
        + ", ".join(f"{kind} {n}" for kind, n in _tally(survivors).items())
        + ".",
        "",
        f"## Survivors ({len(survivors)})",
        "",
        "| file | line | code | mutated to | mutant | why it survives |",
        "| --- | ---: | --- | --- | --- | --- |",
    ]
    for name, line, before, after, file in sorted(survivors, key=lambda s: (s[4], s[1])):
        out.append(
            f"| `{file}` | {line} | {_cell(before)} | {_cell(after)} | "
            f"`{name.rpartition('.')[-1]}` | {_explain(name, before, after)} |"
        )
    print("\n".join(out))


def _number(name: str) -> tuple[str, int]:
    stem, _, n = name.rpartition("__mutmut_")
    return stem, int(n) if n.isdigit() else 0


if __name__ == "__main__":
    main()
