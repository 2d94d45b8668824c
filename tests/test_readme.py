"""README's two commands are the ones CI runs: keep them true for a new user."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))[:2]


def test_readme_opens_with_install_and_build_then_install_and_test() -> None:
    build, test = readme_commands()
    assert build.startswith("pip install . && worksheetgen ")
    assert test.startswith("pip install -e ") and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci
