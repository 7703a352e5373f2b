"""agency.http.found: how a view says "not found" once its read is a selector's."""

from __future__ import annotations

import pytest
from django.http import Http404

from agency.http import found


def test_found_hands_back_what_the_selector_found() -> None:
    row = object()
    assert found(row) is row
    assert found(0) == 0 and found("") == ""  # only None means "no such row"


def test_nothing_found_is_a_404() -> None:
    with pytest.raises(Http404):
        found(None)
