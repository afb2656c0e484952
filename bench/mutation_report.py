"""Write docs/mutation.md from mutmut's results (`make mutate`).

Reads what `mutmut run` left in mutants/ (one .meta file per mutated source file) and
prints the page: date, tool version, scope, the tests run, the counts and every
surviving mutant with its file, line, the mutated code and why it survives
(``EXPLAINED`` below, kept by hand; a survivor without an entry says so).
"""

from __future__ import annotations

import ast
import json
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

#: Why a survivor survives, by mutant name: equivalent (no behaviour changes) or out of
#: reach of the fast tests (and why). Kept by hand after each run.
EXPLAINED: dict[str, str] = {
    "ledger.store.integrity.x_event_hash__mutmut_15": (
        "equivalent: positions and versions are never negative, and below 2^63 the "
        "signed and unsigned 8-byte encodings are the same bytes"
    ),
    "ledger.store.integrity.x_event_hash__mutmut_23": (
        "equivalent: a topic's length is far below 2^31 bytes, where `>i` and `>I` "
        "write the same bytes"
    ),
    "domain.calendar.xǁWorkingDayCalendarǁ_add_working_days__mutmut_16": (
        "equivalent: the hold's first day is inside the open hold, so `_counts` does not "
        "count it either, and the clock stops on the next day with the same result "
        "(checked by hand against the new on-hold-on-its-last-day test)"
    ),
    "domain.complaint.xǁComplaintǁ_received__mutmut_15": (
        "not analysed: `triaged_on` starts as an empty string instead of None; the "
        "rules read it only after triage has set it"
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
    "domain.procedure.xǁTaxonomyǁextended__mutmut_14": (
        "gap: no fast test extends the taxonomy with labels and another kind at once "
        "(the council's settings tests do, outside the fast selection)"
    ),
    "domain.complaint.xǁComplaintǁresponded_on_time__mutmut_2": (
        "equivalent: a statutory Stage 1 or 2 never has panel dates, so the panel "
        "checks do nothing there, and the corporate procedure has no Stage 3"
    ),
}

STATE_TEXT = (
    "gap: a detail the event records (actor, role, reason, the voided step's type) that "
    "no rule reads; the projections and the history read it, outside the fast selection"
)
MESSAGE_TEXT = "message only: the words of a refusal"

#: Why a survivor survives, by the function it is in, where one reason holds for all
#: the survivors there that have no entry above (``gap`` says a test is missing).
BY_FUNCTION: dict[str, str] = {
    "_again": "gap: replaying a later step when an earlier-dated one is recorded "
    "(the late-step machinery); its tests check refusals, not every argument replayed",
    "_dependency": "gap: the late-step machinery (see `_again`)",
    "_escalate_again": "gap: the late-step machinery (see `_again`)",
    "_check_again": "gap: the late-step machinery (see `_again`)",
    "_record_late": "gap: the late-step machinery (see `_again`); `cast` has no effect at "
    "run time (equivalent)",
    "_shell": "gap: the late-step machinery (see `_again`)",
    "_steps_after": "gap: a step dated the same day as the latest step is not judged late; "
    "no test records two steps on one day in the late order",
    "_take": "gap: the order of steps on one day (see `_steps_after`)",
    "trigger_event": "gap: the late-step machinery (see `_again`)",
    "_payload": "not analysed: which event fields are compared when a late step is replayed",
    "pauses_for": "gap: a hold that starts or ends on the day a stage's clock starts; no "
    "fast test puts a case on hold on that day",
    "_amended": "gap: an amendment's effect on the state (reasons as a list, the receipt "
    "date moving a triaged case's clock, the amendment's record); the tests amend "
    "before triage or read only the amended value",
    "amend": "gap: the field names that choose the check for channel, service area and "
    "team; no test amends these to an unknown name, or a team to one out of use that day",
    "void": STATE_TEXT,
    "receive": STATE_TEXT,
    "_first_step_on": "gap: the receipt date moved past an advocate offer or a hold; no test does",
    "_acknowledgement_due": "gap: the acknowledgement deadline of a case under the "
    "regulations' timescales (only the Code's is tested directly)",
    "clock_start": "equivalent here: the policy is not read on this path in the tests "
    "(the clock basis is decided earlier)",
    "working_days_to_response": "gap: working days to a response of a stage with no clock start",
    "clock_basis": "gap: the name of the Stage 2 clock basis is compared nowhere in the fast tests",
    "_check_stage_reached": "gap: naming a stage on a case not triaged",
    "_open_stage": MESSAGE_TEXT,
    "resolve": "message only: the kind given to `tidy` names the kind in a refusal",
    "service_area": "equivalent (kind None): `register(None)` is the service-area "
    "register too; gap (day None): no test has a service area out of use on the day",
    "team": "gap: no test has a team out of use on the day received",
    "responded_on_time": "gap: a Stage 3 with a report but no meeting date cannot be "
    "recorded, so the `or` is out of reach of the rules (equivalent in practice)",
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
        "*no tests*: no test in the selection reaches the function. `domain/learning.py` "
        "has no test in `tests/domain/` at all (its rules are tested through the command "
        "line, `tests/cli/test_learning_and_code_report.py`, outside the fast selection); "
        "the rest are functions of `domain/complaint.py` that no domain test calls.",
        "",
        "*gap* in the table below means a test is missing, not that the mutant is "
        "harmless; *(by kind)* marks a reason given to every survivor of that kind of "
        "change, not checked one by one.",
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
