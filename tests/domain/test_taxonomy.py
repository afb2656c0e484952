"""A council's own names and labels, added to the default taxonomy by its settings."""

from __future__ import annotations

import pytest

from domain import errors
from domain.procedure import DEFAULT_THEMES, Taxonomy


def test_a_council_may_add_labels_and_names_of_another_kind_in_one_table() -> None:
    taxonomy = Taxonomy().extended(
        {"labels": {"youth-voice": "Youth voice panel"}, "themes": ["youth-voice", "other"]}
    )
    assert taxonomy.themes == (*DEFAULT_THEMES, "youth-voice")
    assert taxonomy.label("youth-voice") == "Youth voice panel"
    assert taxonomy.name_of("themes", "Youth voice panel") == "youth-voice"


def test_labels_not_given_as_a_table_and_unknown_kinds_are_refused() -> None:
    with pytest.raises(errors.BadData):
        Taxonomy().extended({"labels": ["youth-voice"]})
    with pytest.raises(errors.BadData):
        Taxonomy().extended({"weather": ["rain"]})
    with pytest.raises(errors.BadData):
        Taxonomy().name_of("weather", "rain")
