"""The demo's providers are the example settings' register of providers (ADR 0039)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from demo.casework import PROVIDERS
from domain.registers import PROVIDER
from ledger.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "complaints.toml"


def test_every_provider_the_demo_names_is_in_the_example_register() -> None:
    policy, _ = load_settings(str(EXAMPLE))
    register = policy.register(PROVIDER)
    assert register is not None
    assert [policy.resolve(PROVIDER, name, date(2025, 4, 1)) for name, _ in PROVIDERS] == [
        name for name, _ in PROVIDERS
    ]
