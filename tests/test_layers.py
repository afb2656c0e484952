"""The layers depend on each other one way only (CONTRIBUTING.md): the domain imports
nothing of ours and no database or command-line library; projections and reports know
the domain but no command line; the service (ledger) knows the layers below it; only the
command line knows click. Found by reading every import, lazy ones included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"domain", "projections", "reports", "ledger", "transfer", "demo", "cli", "bench", "tests"}

#: What each package may import of ours.
MAY_IMPORT = {
    "domain": {"domain"},
    "projections": {"domain", "projections"},
    "reports": {"domain", "projections", "reports"},
    "ledger": {"domain", "projections", "reports", "ledger"},
    "transfer": {"domain", "projections", "reports", "ledger", "transfer"},
    "demo": {"domain", "projections", "reports", "ledger", "demo"},
    "cli": {"domain", "projections", "reports", "ledger", "transfer", "demo", "cli"},
    "bench": {"domain", "projections", "reports", "ledger", "transfer", "demo", "bench"},
}
#: Libraries a package must never import.
MUST_NOT_IMPORT = {
    "domain": {"sqlalchemy", "click", "psycopg", "matplotlib"},
    "projections": {"click"},
    "reports": {"click"},
    "ledger": {"click"},
    "transfer": {"click"},
    "demo": {"click"},
}


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules() -> list[tuple[str, Path]]:
    return [
        (package, path) for package in MAY_IMPORT for path in sorted((ROOT / package).rglob("*.py"))
    ]


@pytest.mark.parametrize(
    ("package", "path"), modules(), ids=lambda value: str(value).removeprefix(str(ROOT) + "/")
)
def test_a_module_imports_only_the_layers_below_its_own(package: str, path: Path) -> None:
    imported = imported_packages(path)
    ours = imported & OURS
    assert ours <= MAY_IMPORT[package], (
        f"{package} may not import {sorted(ours - MAY_IMPORT[package])}"
    )
    banned = imported & MUST_NOT_IMPORT.get(package, set())
    assert not banned, f"{package} may not import {sorted(banned)}"


SERVICE = {"ledger.application", "ledger.settings", "ledger.registers"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "ledger" / "store").glob("*.py")),
    ids=lambda value: str(value).removeprefix(str(ROOT) + "/"),
)
def test_a_storage_adapter_knows_nothing_of_the_service_above_it(path: Path) -> None:
    """``ledger/store/`` holds the adapters (storage, the hash chain, the key store, ...):
    the service in ``ledger/`` uses them; they never reach back up to it."""
    assert not imported_modules(path) & SERVICE
