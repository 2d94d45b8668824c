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


# The documents the code and README cite, and the commands README teaches ---------------------------------------

DOCS = ROOT / "docs"
CITATION = re.compile(r"\b(DESIGN|PEDAGOGY|BAD-INPUTS)(\.md)?(?: §?(\d+(?:\.\d+)*)(?:\(([a-z])\))?)?")
CITING = ["worksheetgen/**/*.py", "worksheetgen/*.yaml", "templates/*.j2", "tests/*.py", "README.md", "pyproject.toml"]


def citations() -> list[tuple[str, str, str, str]]:
    """(where, document, section, part) for every mention of a project document."""
    found = []
    for pattern in CITING:
        for path in sorted(ROOT.glob(pattern)):
            for match in CITATION.finditer(path.read_text(encoding="utf-8")):
                name, suffix, section, part = match.groups()
                if suffix or section:  # "PEDAGOGY.md", "PEDAGOGY 1.3"; not a bare word
                    found.append((path.relative_to(ROOT).as_posix(), name, section or "", part or ""))
    return found


def test_every_cited_document_and_section_exists_in_docs() -> None:
    found = citations()
    assert len(found) > 20  # the kinds, layout and tests cite the documents throughout
    for where, name, section, part in found:
        doc = DOCS / f"{name}.md"
        assert doc.is_file(), f"{where} cites {name}.md, which docs/ does not have"
        text = doc.read_text(encoding="utf-8")
        if section:
            heading = re.search(rf"^#+ {re.escape(section)}[ .]", text, re.MULTILINE)
            assert heading, f"{where} cites {name}.md {section}, which has no such section"
            assert not part or f"({part})" in text[heading.end() :], f"{where} cites {name}.md {section}({part})"


def test_readme_links_point_at_files_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    assert "docs/PEDAGOGY.md" in links and "docs/DESIGN.md" in links and "docs/BAD-INPUTS.md" in links
    for link in links:
        assert (ROOT / link).exists(), link


def test_readme_is_for_teachers_and_developer_detail_lives_in_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for internal in ("StructTreeRoot", "MCID", "ParentTree", "WordprocessingML", "bench_batch"):
        assert internal not in readme, internal
        assert internal in (DOCS / "DESIGN.md").read_text(encoding="utf-8"), internal


def test_readme_teaches_only_commands_and_options_that_exist() -> None:
    import typer

    from worksheetgen.cli import app

    group = typer.main.get_command(app)
    commands: dict[str, set[str]] = {
        name: {
            opt for param in command.params for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", [])
        }
        for name, command in group.commands.items()  # type: ignore[attr-defined]
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL) + re.findall(r"`([^`\n]+)`", readme)
    used = [use for snippet in code for use in re.findall(r"worksheetgen ([a-z]+)((?: +[^\s#|&]+)*)", snippet)]
    assert len(used) > 15
    for command, rest in used:
        assert command in commands, f"README uses `worksheetgen {command}`"
        for option in re.findall(r"(?<!\S)(--[a-z-]+)", rest):
            assert option in commands[command] | {"--help", "--verbose"}, f"README: worksheetgen {command} {option}"
