"""Fixtures for the framework tests."""

import pytest
import yaml


@pytest.fixture
def write_library(tmp_path):
    """``write_library(data, name)`` → path of a YAML file holding ``data``."""

    def write(data, name: str = "alpha.yaml"):
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
