"""A template folder from anywhere can do nothing but print a sheet (issue 11, items 1, 2, 5, 7).

Each attack is rendered in-process through the real pipeline with a custom template folder;
a few go through the command line to show the teacher sees one `error:` line and exit 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_cli import invoke
from worksheetgen import sandbox
from worksheetgen.errors import RenderError, TemplateError
from worksheetgen.pipeline import Options, generate, resolve_content

PWNED = "/tmp/worksheetgen-pwned"
# Templates render in a fork of this process under the child's limits (tests/forked.py); the
# checks of the child process itself (its C-level limits, its path, its imports) are `own_process`.
pytestmark = pytest.mark.usefixtures("forked_children")


def sheet(body: str) -> str:
    return f'<sheet title="Evil">\n<p>Hello</p>\n{body}\n</sheet>\n'


def build_with(folder: Path, out: Path, kind: str = "evil") -> None:
    generate(
        resolve_content(None),
        Options(kinds=(kind,), tiers=(), formats=("pdf",), key=False, out=out, template_dirs=(folder,)),
    )


def attack(tmp_path: Path, body: str) -> str:
    """Render `body` as a custom kind; the TemplateError's message (the attack must fail)."""
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / "evil.j2").write_text(sheet(body), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build_with(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))
    assert not Path(PWNED).exists()
    return str(caught.value)


@pytest.fixture(autouse=True)
def quick_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit under a second keeps the suite fast: a render stops at 0.9 s of CPU, and a child
    process stuck in one C-level operation at 2 s (whole seconds + 2, isolation.py), not 3 s as
    with a limit of 1 s. The CLI test below runs with the real limit."""
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.9)


# 1. Methods of the objects templates see -----------------------------------------------------

PICKLE = "cos\\nsystem\\n(S'id > " + PWNED + "'\\ntR."
METHOD_ATTACKS = [
    f'{{{{ content.parse_raw("{PICKLE}", proto="pickle", allow_pickle=True) }}}}',
    '{{ content.model_validate_json("{}") }}',
    "{{ content.model_dump() }}",
    "{{ content.copy() }}",
    "{{ content.__class__.__init__.__globals__ }}",
    "{{ content.events[0].__class__ }}",
    "{{ content.events.__class__.__mro__ }}",
    "{{ content._fields }}",
    "{{ sheet.__dict__ if sheet else '' }}{{ layout.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ 'x'.format }}{{ 'x'.format('{0.__class__}') }}",
    "{{ '{0.__class__.__base__}'.format(content) }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ lipsum() }}",
    "{{ self._TemplateReference__context }}",
    "{{ (content.title|attr('__class__')) }}",
    "{{ content.events|map(attribute='__class__')|join }}",
    "{{ loop }}",
    "{% set x = content.glossary.append(1) %}",
    "{{ content.title.upper() }}",
    "{{ dict.fromkeys }}",
    "{{ content.title.format_map }}",
    "{{ content.title.format(1) }}",
    "{% set c = cycler(1, 2) %}{{ c.next.__globals__ }}",
    "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "{% import '_cause-ranking.j2' as r %}{{ r.__dict__ }}",
    "{% block b %}x{% endblock %}{{ self.b() }}",
    "{% set d = dict(a=1) %}{{ d.pop('a') }}",
    "{{ content|tojson }}{{ content|pprint }}",
    "{% for k in content %}{{ k.__class__ }}{% endfor %}",
]


@pytest.mark.parametrize("body", METHOD_ATTACKS)
def test_templates_see_plain_data_without_methods(tmp_path: Path, body: str) -> None:
    message = attack(tmp_path, body)
    assert message.startswith("template evil.j2:"), message


def test_content_fields_properties_and_listed_helpers_are_there(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    body = "<p>{{ content.people[0].short_name }} {{ content.title }} {{ layout.frame_width.pt | round }}</p>"
    (folder / "ok.j2").write_text(sheet(body), encoding="utf-8")
    build_with(folder, tmp_path / "out", kind="ok")
    from tests.readback import pdf_text

    text = pdf_text(tmp_path / "out" / "stalins-purges_ok_core.pdf")
    assert "Stalin's Purges" in text and "482" in text


def test_slice_cycler_and_joiner_work_as_the_readme_says(tmp_path: Path) -> None:
    """WEAK 10: `|slice` was always refused (the limit read the sequence as the count: slice is
    an async variant, passed the eval context first), and `cycler()` and `joiner()` were refused
    as not safely callable (the check knew their instances, not the classes)."""
    folder = tmp_path / "mine"
    folder.mkdir()
    body = (
        "<p>S{% for part in [1, 2, 3, 4, 5]|slice(2) %}{{ part|join('-') }}/{% endfor %}"
        " B{{ [1, 2, 3]|batch(2)|list|length }}</p>\n"
        "<p>{% set row = cycler('odd', 'even') %}{% for i in range(3) %}{{ row.next() }}.{% endfor %}</p>\n"
        "<p>{% set comma = joiner(', ') %}{% for x in ['a', 'b', 'c'] %}{{ comma() }}{{ x }}{% endfor %}</p>"
    )
    (folder / "ok.j2").write_text(sheet(body), encoding="utf-8")
    build_with(folder, tmp_path / "out", kind="ok")
    from tests.readback import pdf_text

    text = pdf_text(tmp_path / "out" / "stalins-purges_ok_core.pdf")
    assert "S1-2-3/4-5/ B2" in text and "odd.even.odd." in text and "a, b, c" in text, text


# 2. Files outside the folder -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "target", "body"),
    [
        ("passwd.j2", "/etc/passwd", '{% include "passwd.j2" %}'),
        ("root", "/", '{% include "root/etc/hostname" %}'),
        ("up", "..", '{% include "up/secret.j2" %}'),
    ],
)
def test_links_out_of_the_template_folder_are_refused(tmp_path: Path, link: str, target: str, body: str) -> None:
    (tmp_path / "secret.j2").write_text("TOP SECRET", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    os.symlink(target, tmp_path / "mine" / link)
    message = attack(tmp_path, body)
    assert "links outside its folder" in message and "TOP SECRET" not in message


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/passwd", "./x/../../y.j2"])
def test_paths_out_of_the_template_folder_are_refused(tmp_path: Path, name: str) -> None:
    message = attack(tmp_path, f'{{% include "{name}" %}}')
    assert "only files inside its own folder" in message, message


def test_a_fifo_template_is_refused_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    os.mkfifo(tmp_path / "mine" / "pipe.j2")
    assert "not a regular file" in attack(tmp_path, '{% include "pipe.j2" %}')


# 5. Runtime errors and 7. unbounded work -------------------------------------------------------


def test_big_texts_in_one_call_stop_at_the_memory_headroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WEAK 11: a dict() of 1,500 texts of 2 million emoji (8 MB each) is one step of the clock,
    so memory read every 1,024 steps was first checked past 1 GB (the child's 1.5 GB address
    space stopped it, after 16 s). Making a text over 100,000 characters reads memory at once."""
    from worksheetgen.sandbox import MEMORY_HEADROOM

    monkeypatch.setattr(sandbox, "TIME_LIMIT", 5.0)  # the real limit: 512 MB of texts takes a while to make
    pairs = ", ".join(f"k{i}=(s ~ '{i}')" for i in range(200))
    body = f'{{% set s = "😀" * 1999990 %}}{{% set d = dict({pairs}) %}}<p>{{{{ d|length }}}}</p>'
    message = attack(tmp_path, body)
    assert f"it needed more than {MEMORY_HEADROOM >> 20} MB of memory" in message, message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ 1/0 }}", "evil.j2:3: division by zero"),
        ('{{ "%d"|format("x") }}', "evil.j2:3:"),
        ('{{ "%d" % "x" }}', "evil.j2:3:"),
        ("{{ [1,2]|slice(0)|list }}", "evil.j2:3:"),
        ("{{ (9**99999)|string }}", "evil.j2:3: refused by the sandbox: it raised a number to too high a power"),
        ("{{ 9**999999 }}", "too high a power"),
        ("{% macro m(n) %}{{ m(n+1) }}{% endmacro %}{{ m(1) }}", "calls itself without end"),
        ('{% include "evil.j2" %}', "calls itself without end"),
        ("{{ content.events[999] }}", "evil.j2:3:"),
    ],
)
def test_runtime_failures_name_the_template_and_line(tmp_path: Path, body: str, expected: str) -> None:
    assert expected in attack(tmp_path, body)


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        "{% set big = [1] * 100000 %}{% for i in big %}{% for j in big %}{% endfor %}{% endfor %}",
        "{{ lipsum(n=100000000) }}",
        "{{ 'x' * 1000000000 }}",
        "{{ ['x'] * 1000000000 }}",
        "{% set s = namespace(t='x') %}{% for i in range(64) %}{% set s.t = s.t ~ s.t %}{% endfor %}{{ s.t|length }}",
        "{% set s = namespace(t='x') %}{% for i in range(64) %}{% set s.t = s.t + s.t %}{% endfor %}",
        "{% set s = 'x' * 1000000 %}{{ s|replace('x', s) }}",
        "{% set s = 'x' * 1000000 %}{{ [s, s, s]|join(s) }}",
        "{% set s = 'x' * 1000000 %}{{ ([s] * 1000)|map('upper')|join }}",
        "{% set s = 'x' * 1000000 %}{{ ([s] * 1000)|string }}",
        '{{ "%0999999999d"|format(1) }}',
        '{{ "%.999999999f" % 1.0 }}',
        '{{ "%*d"|format(999999999, 1) }}',
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'|indent(1000000000) }}",
        "{{ range(10**12)|list }}",
        "{{ [1]|batch(100000000, 'x')|list }}",
        "{{ [1]|slice(100000000)|list|length }}",
        # the second red-team pass (issue 11 closing note): each ran past 10 s, past 1 GB or crashed
        "{% set ns = namespace(x=()) %}{% for j in range(300) %}{% set ns.x = (ns.x,) %}{% endfor %}{{ {ns.x: 1} }}",
        "{% set ns = namespace(x=2**4000) %}{% for i in range(12) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
        "{{ ([[1]] * 100000)|sum(start=[])|length }}",
        "{{ ([(1,)] * 100000)|sum(start=())|length }}",
        '{{ "%(a)900000000s"|format(a="x") }}',
        '{{ "%(a)-999999999s"|format(a=1) }}',
        '{{ ("x" * 1000000)|replace("x", "y" * 900)|length }}',
        '{{ ("x" * 1000)|replace("", "y" * 1999990)|length }}',
        '{{ range(450)|join("y" * 1999990) }}',
        "{% set ns = namespace(x=['x' * 1000]) %}{% for i in range(20) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}"
        + "{{ ns.x|string|length }}",
        "{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}"
        + "{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}"
        + "{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}"
        + "{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}"
        + "{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}{% call m() %}"
        + "xxxxxxxxxx"
        + "{% endcall %}" * 24,
    ],
)
def test_unbounded_work_ends_quickly_with_a_message(tmp_path: Path, body: str) -> None:
    started = time.monotonic()
    message = attack(tmp_path, body)
    assert time.monotonic() - started < 8, message
    assert message.startswith("template evil.j2"), message


# Through the command line: drive-by configuration and a real payload ---------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`worksheetgen ARGS` in this process, through `main()` (tests.test_cli.invoke): the exit
    status and `error:` lines are the command line's; the process itself is not what these check."""
    return invoke(*args, cwd=cwd)


def run_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m worksheetgen ARGS` in a process of its own, with the real time limit."""
    return subprocess.run(
        [sys.executable, "-m", "worksheetgen", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_a_downloaded_folder_cannot_run_code_on_a_plain_build(tmp_path: Path) -> None:
    """The drive-by of issue 11: worksheetgen.toml + t/gap-fill.j2 with a pickle payload."""
    (tmp_path / "t").mkdir()
    payload = f'{{{{ content.parse_raw("{PICKLE}", proto="pickle", allow_pickle=True) }}}}'
    (tmp_path / "t" / "gap-fill.j2").write_text(sheet(payload), encoding="utf-8")
    (tmp_path / "worksheetgen.toml").write_text('templates = ["t"]\n', encoding="utf-8")
    plain = run("build", "--sheet", "gap-fill", "--tier", "core", "--format", "pdf", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr  # the untrusted folder is not used: the built-in sheet is
    assert "worksheetgen trust" in plain.stderr and not Path(PWNED).exists()
    assert run("trust", cwd=tmp_path).returncode == 0
    trusted = run("build", "--sheet", "gap-fill", "--tier", "core", "--format", "pdf", "--out", "o2", cwd=tmp_path)
    assert trusted.returncode == 1 and not Path(PWNED).exists()
    assert "error: template gap-fill.j2:3: refused by the sandbox" in trusted.stderr
    assert "Traceback" not in trusted.stderr and not list(tmp_path.glob("o2/**/*_core.pdf"))


def test_a_hang_ends_within_ten_seconds_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    (tmp_path / "mine" / "slow.j2").write_text(sheet(loops), encoding="utf-8")
    started = time.monotonic()
    command = ("build", "--sheet", "slow", "--templates", "mine", "--tier", "core", "--format", "pdf")
    result = run_process(*command, cwd=tmp_path)
    assert time.monotonic() - started < 10
    assert (
        result.returncode == 1
        and "error: template slow.j2:3: refused by the sandbox: it ran for more than" in result.stderr
    )


@pytest.mark.parametrize("given", ["nowhere", "afile"])
def test_a_template_folder_that_is_not_a_folder_is_an_error(tmp_path: Path, given: str) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run("list", "--templates", given, cwd=tmp_path)
    assert result.returncode == 1 and f"'{given}'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        "{{ " + "(" * 100 + "1" + ")" * 100 + " }}",
        "{{ " + "[" * 3000 + "]" * 3000 + " }}",
        "{% if true %}" * 2000 + "{% endif %}" * 2000,
        "{{ 1" + "+1" * 100000 + " }}",
        "{{ x" + "|upper" * 50000 + " }}",
    ],
)
def test_templates_too_deep_to_compile_are_refused_not_a_traceback(tmp_path: Path, body: str) -> None:
    message = attack(tmp_path, body)
    assert "nest too deeply" in message or "over 64,000 bytes" in message, message


def test_a_template_too_big_to_compile_quickly_is_refused(tmp_path: Path) -> None:
    macros = "".join(f"{{% macro m{i}() %}}x{{% endmacro %}}" for i in range(3000))
    started = time.monotonic()
    assert "over 64,000 bytes" in attack(tmp_path, macros)
    assert time.monotonic() - started < 5


def test_a_kind_name_too_long_for_a_file_name_is_not_a_kind(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / ("k" * 240 + ".j2")).write_text(sheet(""), encoding="utf-8")
    result = run("build", "--templates", "mine", "--sheet", "k" * 240, "--format", "docx", cwd=tmp_path)
    assert result.returncode == 2 and "is not a sheet kind" in result.stderr and "Traceback" not in result.stderr


def test_a_config_nested_too_deeply_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "worksheetgen.toml").write_text("templates = " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    result = run("list", cwd=tmp_path)
    assert result.returncode == 1 and "nest too deeply" in result.stderr and "Traceback" not in result.stderr


def test_a_link_to_a_trusted_config_does_not_carry_its_trust(tmp_path: Path) -> None:
    """The second red-team pass: a downloaded folder linking to the teacher's trusted config."""
    teacher, download = tmp_path / "teacher", tmp_path / "download"
    (download / "my-templates").mkdir(parents=True)
    teacher.mkdir()
    (teacher / "worksheetgen.toml").write_text('templates = ["my-templates"]\n', encoding="utf-8")
    assert run("trust", cwd=teacher).returncode == 0
    os.symlink(teacher / "worksheetgen.toml", download / "worksheetgen.toml")
    (download / "my-templates" / "gap-fill.j2").write_text('<sheet title="EVIL"><p>attacker</p></sheet>')
    result = run("build", "--sheet", "gap-fill", "--tier", "core", "--no-key", "--format", "pdf", cwd=download)
    assert result.returncode == 0 and "worksheetgen trust" in result.stderr
    from tests.readback import pdf_text

    assert "attacker" not in pdf_text(next((download / "output").rglob("*.pdf")))


# The third red-team pass: single C-level operations that never return to the sandbox's checks.
# A teacher's templates render in a child process with hard memory and CPU limits (isolation.py).
THIRD_PASS = [
    "{{ 1|round(-100000000) }}",
    '{{ 1|round(100000000, "ceil") }}',
    '{% set s = "x" * 1900000 %}{% set w = [s]|batch(1)|list|batch(1)|list|batch(1)|list|batch(1)|list'
    + "|batch(1)|list|batch(1)|list|batch(1)|list|batch(1)|list|batch(1)|list %}"
    + "{% set big = [w] * 50000 %}{{ big|length }}{{ big }}",
    '{% set ns = namespace(x="a") %}{% for i in range(31) %}{% set b %}{{ ns.x }}{{ ns.x }}{% endset %}'
    + "{% set ns.x = b %}{% endfor %}{{ ns.x|length }}",
    '{% set s = "a" * 1000000 %}{% set c = "b" * 999999 ~ "a" %}{{ s|trim(c)|length }}',
    '{% set a = ("f" * 1900000)|int(base=16) %}{% set b = ("e" * 950000)|int(base=16) %}{{ (a // b) % 7 }}',
    '{% set s = "x" * 1000000 %}{{ ("%(a)s" * 2000)|format(a=s) }}',
]


@pytest.mark.own_process
@pytest.mark.parametrize("body", THIRD_PASS)
def test_single_operations_that_never_return_are_stopped_by_the_child_process(tmp_path: Path, body: str) -> None:
    started = time.monotonic()
    message = attack(tmp_path, body)
    assert time.monotonic() - started < 8, message
    assert message.startswith("template evil.j2"), message


def test_a_word_no_page_can_hold_is_refused_before_rendering(tmp_path: Path) -> None:
    """reportlab breaks a long word in quadratic time (200,000 characters: 18 s); a word over
    1,000 characters is refused at once (a paragraph over 50,000 characters is refused too)."""
    started = time.monotonic()
    message = attack(tmp_path, '<p>{{ "x" * 15000 }}</p>')
    assert "a word of 15,000 characters" in message and time.monotonic() - started < 8
    assert "holds 200,000 characters" in attack(tmp_path, '<p>{{ "x" * 200000 }}</p>')


# The fourth red-team pass: what reached the parent process as a traceback or a long wait.
FOURTH_PASS = {
    "half a surrogate pair": ('{{ "\\udc80" }}', "U+DC80, half of a surrogate pair"),
    "250 chained filters": ('{{ "x"' + "|upper" * 250 + " }}", "nest too deeply"),
    "300 unary minuses": ("{{ " + "-" * 300 + "1 }}", "nest too deeply"),
    "21 nested loops": ("{% for a in [1] %}" * 21 + "x" + "{% endfor %}" * 21, "nest too deeply"),
}


@pytest.mark.parametrize(("body", "expected"), FOURTH_PASS.values(), ids=FOURTH_PASS.keys())
def test_what_python_cannot_compile_or_encode_is_a_template_error(tmp_path: Path, body: str, expected: str) -> None:
    message = attack(tmp_path, body)
    assert message.startswith("template evil.j2") and expected in message, message


def test_a_sheet_far_past_the_page_limit_is_refused_before_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3 tables x 500 rows x 12 cells of 20 words: within every template cap, 600 pages of
    layout; reportlab took 17 s to reach the page limit, since it wraps every cell first."""
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 5.0)  # the template itself takes about a second
    cell = '<td>{{ (["word"] * 20)|join(" ") }}</td>'
    row = "<tr>{% for c in range(12) %}" + cell + "{% endfor %}</tr>"
    body = "{% for t in range(3) %}<table>{% for r in range(500) %}" + row + "{% endfor %}</table>{% endfor %}"
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "evil.j2").write_text(sheet(body), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RenderError, match="runs past 30 pages, the most a sheet from your own templates"):
        build_with(tmp_path / "mine", tmp_path / "out")
    assert time.monotonic() - started < 15  # 3 s on a quiet machine


def test_a_child_that_ends_without_an_answer_is_a_template_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from worksheetgen import isolation

    def silent(*args: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.CompletedProcess([], 0, b"", b"")

    monkeypatch.setattr(isolation.subprocess, "run", silent)
    with pytest.raises(TemplateError, match="stopped the renderer .no answer."):
        isolation.render_isolated("evil.j2", (Path("."),), {})


@pytest.mark.own_process
def test_a_python_file_in_the_working_folder_never_runs_in_the_template_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fifth red-team pass: the child that renders a teacher's template is a fresh interpreter,
    which put the working folder first on its path: a `json.py` there ran on every build."""
    work = tmp_path / "work"
    (work / "mine").mkdir(parents=True)
    (work / "mine" / "evil.j2").write_text(sheet("<p>fine</p>"), encoding="utf-8")
    for module in ("json", "pickle", "copyreg"):
        (work / f"{module}.py").write_text(f'open("PWNED-{module}", "w").write("ran")\n', encoding="utf-8")
    monkeypatch.chdir(work)
    build_with(work / "mine", work / "out")
    assert list((work / "out").rglob("*.pdf")) and not list(work.glob("PWNED-*"))


def test_templates_including_each_other_are_stopped_at_a_fixed_depth_not_by_the_clock(tmp_path: Path) -> None:
    """Under load the one-second clock fired before Python's recursion limit ("ran for more than
    1 seconds"): includes are counted, so the same message comes at the same depth every run."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "evil.j2").write_text(sheet('{% include "other.j2" %}'), encoding="utf-8")
    (folder / "other.j2").write_text('<p>again</p>\n{% include "evil.j2" %}\n', encoding="utf-8")
    for _ in range(3):
        with pytest.raises(TemplateError) as caught:
            build_with(folder, tmp_path / "out")
        assert "calls itself without end" in str(caught.value)
    nested = tmp_path / "nested"
    nested.mkdir()
    (nested / "evil.j2").write_text(sheet('{% include "n1.j2" %}'), encoding="utf-8")
    for depth in range(1, 5):  # includes a few deep are fine
        (nested / f"n{depth}.j2").write_text(f'<p>{depth}</p>\n{{% include "n{depth + 1}.j2" %}}\n', encoding="utf-8")
    (nested / "n5.j2").write_text("<p>end</p>\n", encoding="utf-8")
    build_with(nested, tmp_path / "nested-out")


def test_the_time_limit_is_said_in_good_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 1.0)
    message = attack(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    assert "it ran for more than 1 second" in message and "1 seconds" not in message


def test_a_sheet_from_your_own_templates_stops_at_30_pages(tmp_path: Path) -> None:
    """A teacher's template could have 150 pages laid out (about 0.2 s a page on a busy machine, half
    a minute); a sheet from your own templates now stops at 30, with what to look for."""
    row = "<tr>{% for c in range(8) %}<td>ab cd ef</td>{% endfor %}</tr>"
    page = "<table>{% for r in range(15) %}" + row + "{% endfor %}</table>"
    body = "{% for p in range(40) %}" + page + "<pagebreak/>{% endfor %}"
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "evil.j2").write_text(sheet(body), encoding="utf-8")
    started = time.process_time()
    with pytest.raises(RenderError) as caught:
        build_with(tmp_path / "mine", tmp_path / "out")
    assert time.process_time() - started < 5  # about 0.7 s of CPU: 30 pages at most, once or twice
    assert str(caught.value).endswith(
        "the sheet runs past 30 pages, the most a sheet from your own templates may run to (a built-in sheet may "
        "run to 150): does a loop in the template repeat more than it should?"
    )
    assert not list((tmp_path / "out").rglob("*.pdf")) if (tmp_path / "out").exists() else True


def test_the_built_in_sheets_keep_their_150_pages_beside_a_folder_of_your_own(tmp_path: Path) -> None:
    from worksheetgen.document import OWN_PAGE_LIMIT
    from worksheetgen.pipeline import own_templates
    from worksheetgen.resources import builtin_templates

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "evil.j2").write_text(sheet("<p>x</p>"), encoding="utf-8")
    search = (mine, builtin_templates())
    assert own_templates("evil.j2", search) and not own_templates("gap-fill.j2", search)
    assert not own_templates("evil.j2", (builtin_templates(),))
    (mine / "_cause-ranking.j2").write_text("<p>mine</p>", encoding="utf-8")  # a partial the built-ins include
    assert own_templates("ranking-ladder.j2", search) and OWN_PAGE_LIMIT == 30


def test_trust_covers_the_template_folders_a_config_names(tmp_path: Path) -> None:
    """Trust used to fingerprint only worksheetgen.toml: a template edited (or added) on a shared drive
    after the teacher trusted the folder was used at once. Now any change to them needs trusting again."""
    from worksheetgen import config
    from worksheetgen.errors import WorksheetError

    folder = tmp_path / "shared"
    (folder / "t" / "partials").mkdir(parents=True)
    (folder / "worksheetgen.toml").write_text('templates = ["t"]\n', encoding="utf-8")
    (folder / "t" / "gap-fill.j2").write_text(sheet("<p>mine</p>"), encoding="utf-8")
    (folder / "t" / "partials" / "_bit.j2").write_text("<p>bit</p>", encoding="utf-8")
    config.trust(folder)
    assert config.load_config(folder).templates == (folder / "t",)

    def changes(change: object) -> None:
        change()  # type: ignore[operator]
        loaded = config.load_config(folder)
        assert loaded.templates == () and loaded.untrusted == folder / "worksheetgen.toml" and loaded.changed
        config.trust(folder)
        assert config.load_config(folder).templates == (folder / "t",)

    changes(lambda: (folder / "t" / "gap-fill.j2").write_text(sheet("<p>evil</p>"), encoding="utf-8"))
    changes(lambda: (folder / "t" / "partials" / "_bit.j2").write_text("<p>evil</p>", encoding="utf-8"))
    changes(lambda: (folder / "t" / "timeline.j2").write_text(sheet("<p>new</p>"), encoding="utf-8"))
    changes(lambda: os.symlink("gap-fill.j2", folder / "t" / "key-terms.j2"))
    changes(lambda: (folder / "t" / "partials" / "_bit.j2").unlink())
    assert "has changed since you trusted it" in config.untrusted_warning(folder / "worksheetgen.toml", True)

    for number in range(config.MAX_TRUSTED_ENTRIES):
        (folder / "t" / f"junk{number}.txt").write_text("x", encoding="utf-8")
    with pytest.raises(WorksheetError, match=r"hold more than 500 files and folders .*: .* nothing trusted"):
        config.trust(folder)
    assert config.load_config(folder).templates == ()


@pytest.mark.parametrize("hidden", ["t", "t/partials"])
def test_a_template_folder_that_cannot_be_listed_is_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hidden: str
) -> None:
    """The fourth red-team pass: a template folder of mode 0300 (write and search, no read). os.walk
    skipped it without a word, so trust fingerprinted an empty folder, while the loader opens a template
    in it by name: an edit there after `worksheetgen trust` was used with no warning. Listing is refused
    here by patching os.scandir, so the test runs as root too (root ignores the mode)."""
    from worksheetgen import config
    from worksheetgen.errors import WorksheetError

    folder = tmp_path / "shared"
    (folder / "t" / "partials").mkdir(parents=True)
    (folder / "worksheetgen.toml").write_text('templates = ["t"]\n', encoding="utf-8")
    (folder / "t" / "gap-fill.j2").write_text(sheet("<p>looked at</p>"), encoding="utf-8")
    (folder / "t" / "partials" / "_bit.j2").write_text("<p>bit</p>", encoding="utf-8")
    closed = os.path.realpath(folder / hidden)
    scandir = os.scandir

    def no_listing(path: object = ".") -> object:
        if os.fspath(path) == closed:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", no_listing)
    with pytest.raises(WorksheetError, match=r"found '.*" + hidden + r"' cannot be read \(Permission denied\)"):
        config.trust(folder)
    loaded = config.load_config(folder)
    assert loaded.templates == () and loaded.untrusted == folder / "worksheetgen.toml" and loaded.unreadable
    warning = config.untrusted_warning(loaded.untrusted, loaded.changed, loaded.unreadable)
    assert "cannot check, so they are not used" in warning and "cannot be read (Permission denied)" in warning

    monkeypatch.setattr(os, "scandir", scandir)  # trusted while it could be read, then closed: not used
    config.trust(folder)
    assert config.load_config(folder).templates == (folder / "t",)
    monkeypatch.setattr(os, "scandir", no_listing)
    loaded = config.load_config(folder)
    assert loaded.templates == () and loaded.unreadable and "Permission denied" in loaded.unreadable


def test_a_template_that_cannot_be_read_is_never_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from worksheetgen import config
    from worksheetgen.errors import WorksheetError

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "gap-fill.j2").write_text(sheet("<p>mine</p>"), encoding="utf-8")
    (tmp_path / "worksheetgen.toml").write_text('templates = ["t"]\n', encoding="utf-8")
    opener = os.open

    def closed(path: str, flags: int, *args: int) -> int:
        if str(path).endswith("gap-fill.j2"):
            raise PermissionError(13, "Permission denied", path)
        return opener(path, flags, *args)

    monkeypatch.setattr(os, "open", closed)
    with pytest.raises(WorksheetError, match=r"found '.*gap-fill.j2' cannot be read .*nothing trusted"):
        config.trust(tmp_path)
    assert config.load_config(tmp_path).templates == ()


def test_a_folder_named_thousands_of_times_is_not_walked_thousands_of_times(tmp_path: Path) -> None:
    from worksheetgen import config
    from worksheetgen.errors import WorksheetError

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "gap-fill.j2").write_text(sheet("<p>mine</p>"), encoding="utf-8")
    (tmp_path / "worksheetgen.toml").write_text("templates = [" + ", ".join(['"t"'] * 6_000) + "]\n")
    started = time.process_time()
    with pytest.raises(WorksheetError, match="a folder counts each time it is named"):
        config.trust(tmp_path)
    assert config.load_config(tmp_path).templates == () and time.process_time() - started < 2


def test_a_template_changed_after_trust_is_not_used_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "gap-fill.j2").write_text(sheet("<p>looked at</p>"), encoding="utf-8")
    (tmp_path / "worksheetgen.toml").write_text('templates = ["t"]\n', encoding="utf-8")
    assert run("trust", cwd=tmp_path).returncode == 0
    (tmp_path / "t" / "gap-fill.j2").write_text(sheet("<p>attacker</p>"), encoding="utf-8")
    result = run("build", "--sheet", "gap-fill", "--tier", "core", "--no-key", "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "has changed since you trusted it" in result.stderr and "worksheetgen trust` in that folder again" in (
        result.stderr
    )
    from tests.readback import pdf_text

    assert "attacker" not in pdf_text(next((tmp_path / "output").rglob("*.pdf")))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{{ content.glossary|map(attribute='trem')|list }}", "Term has no field 'trem' (did you mean 'term'?)"),
        ("{{ content.glossary|map(attribute='trem')|list|length }}", "Term has no field 'trem'"),
        ("{{ [content.titel] }}", "Content has no field 'titel' (did you mean 'title'?)"),
        ("{{ content.glossary|selectattr('trem')|list }}", "Term has no field 'trem'"),
        ("{{ content.glossary|sort(attribute='trem')|list }}", "Term has no field 'trem'"),
        ("{{ content.glossary|groupby('trem')|list }}", "Term has no field 'trem'"),
        ("{{ content.glossary|sum(attribute='trem') }}", "Term has no field 'trem'"),
    ],
)
def test_a_misspelt_attribute_in_a_filter_is_an_error_not_undefined(tmp_path: Path, body: str, field: str) -> None:
    """Attacker review W5: `map(attribute='trem')|list` printed `[Undefined, ...]` with exit 0."""
    message = attack(tmp_path, body)
    assert message.startswith("template evil.j2:3: ") and field in message


@pytest.mark.parametrize("name", ["model_fields_set", "model_extra"])
def test_pydantic_properties_are_not_content_fields(tmp_path: Path, name: str) -> None:
    """Attacker review W7: pydantic's own properties reached templates (and a typo's hint)."""
    assert f"Content has no field '{name}'" in attack(tmp_path, f"{{{{ content.{name} }}}}")
    assert "model_fields_set" not in attack(tmp_path, "{{ content.model_fields_se }}")


@pytest.mark.own_process
def test_the_template_process_loads_neither_the_content_models_nor_the_renderers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child is given plain data, so it starts with Jinja and the sandbox only (about 0.25 s
    of CPU, not 0.6 s with pydantic and the models): each sheet from a teacher's templates pays it."""
    from worksheetgen import isolation

    real_run = subprocess.run
    loaded: list[str] = []

    def reporting(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        report = "; import sys; sys.stderr.write(' '.join(sorted(m for m in sys.modules if '.' not in m)))"
        done = real_run([*command[:-1], command[-1] + report], **kwargs)  # type: ignore[call-overload]
        loaded.extend(done.stderr.decode().split())
        return done

    monkeypatch.setattr(isolation.subprocess, "run", reporting)
    folder = tmp_path / "mine"
    folder.mkdir()
    body = "<p>{{ content.title }} {{ layout.diamond('core').columns }}</p>"  # a helper, called in the child
    (folder / "ok.j2").write_text(sheet(body), encoding="utf-8")
    from worksheetgen.document import Tier

    one_sheet = {"kinds": ("ok",), "tiers": (Tier.core,), "formats": ("pdf",), "key": False}  # built in this process
    generate(resolve_content(None), Options(**one_sheet, out=tmp_path / "out", template_dirs=(folder,)))
    assert "jinja2" in loaded and "worksheetgen" in loaded
    assert not {"pydantic", "reportlab", "docx", "yaml"} & set(loaded), loaded


@pytest.mark.parametrize("isolated", [False, True])
def test_a_trusted_template_swapped_after_the_trust_was_checked_is_refused_as_it_is_read(
    tmp_path: Path, isolated: bool
) -> None:
    """Issue 11: trust was checked when worksheetgen.toml was read, but the templates were read
    later, while the sheets were built: a template swapped in between (mid-pack) was used. The
    loader now checks the bytes it reads against the hashes the trust matched, in the isolated
    child too; a template added since is refused the same way."""
    from worksheetgen import config
    from worksheetgen.errors import TemplateError
    from worksheetgen.isolation import render_isolated
    from worksheetgen.templating import environment, render_here, search_path

    folder = tmp_path / "shared"
    (folder / "t").mkdir(parents=True)
    (folder / "worksheetgen.toml").write_text('templates = ["t"]\n', encoding="utf-8")
    (folder / "t" / "gap-fill.j2").write_text(sheet("<p>looked at</p>"), encoding="utf-8")
    (folder / "t" / "key-terms.j2").write_text(sheet("<p>also looked at</p>"), encoding="utf-8")
    config.trust(folder)
    loaded = config.load_config(folder)
    assert loaded.templates == (folder / "t",)
    path = search_path(loaded.templates)
    environment.cache_clear()
    render = render_isolated if isolated else render_here  # the child reads the template itself
    assert "looked at" in render("key-terms.j2", path, {}).text  # unchanged: used

    (folder / "t" / "gap-fill.j2").write_text(sheet("<p>attacker</p>"), encoding="utf-8")  # mid-pack
    with pytest.raises(TemplateError) as caught:
        render("gap-fill.j2", path, {})
    message = str(caught.value)
    assert "template 'gap-fill.j2' in" in message and "has changed since" in message
    assert "worksheetgen.toml" in message and "`worksheetgen trust` in that folder again" in message
    (folder / "t" / "timeline.j2").write_text(sheet("<p>added</p>"), encoding="utf-8")
    with pytest.raises(TemplateError, match="has changed since"):
        render("timeline.j2", path, {})
    environment.cache_clear()


@pytest.mark.parametrize("isolated", [False, True])
def test_a_trusted_template_folder_relinked_mid_build_is_never_read_unchecked(tmp_path: Path, isolated: bool) -> None:
    """Red team: worksheetgen.toml named `t`, a link to the trusted `tA`; mid-build `t` was relinked to an
    untrusted `tB`. The isolated child resolved the name again, found no record for `tB` and treated it
    like a --templates folder: the untrusted template rendered. The folder is now used by the real path
    it had when its trust matched; one relinked since, or with no record, is refused."""
    from worksheetgen import config
    from worksheetgen.isolation import render_isolated
    from worksheetgen.templating import (
        environment,
        render_here,
        restore_trusted_templates,
        search_path,
        trusted_templates,
    )

    folder = tmp_path / "shared"
    (folder / "tA").mkdir(parents=True)
    (folder / "tB").mkdir()
    (folder / "worksheetgen.toml").write_text('templates = ["t"]\n', encoding="utf-8")
    (folder / "tA" / "gap-fill.j2").write_text(sheet("<p>trusted</p>"), encoding="utf-8")
    (folder / "tB" / "gap-fill.j2").write_text(sheet("<p>EVIL</p>"), encoding="utf-8")
    os.symlink("tA", folder / "t")
    config.trust(folder)
    loaded = config.load_config(folder)
    path = search_path(loaded.templates)
    render = render_isolated if isolated else render_here
    environment.cache_clear()
    try:
        os.symlink("tB", folder / "t-new")
        os.replace(folder / "t-new", folder / "t")  # mid-build
        text = render("gap-fill.j2", path, {}).text
        assert "trusted" in text and "EVIL" not in text  # the folder that was checked, not the name's new target

        os.rename(folder / "tA", folder / "tA-old")  # the trusted folder itself becomes a link elsewhere
        os.symlink("tB", folder / "tA")
        environment.cache_clear()
        with pytest.raises(TemplateError, match="is not the folder that was trusted") as caught:
            render("gap-fill.j2", path, {})
        assert "worksheetgen.toml" in str(caught.value) and "`worksheetgen trust` in that folder again" in str(
            caught.value
        )
        os.unlink(folder / "tA")
        os.rename(folder / "tA-old", folder / "tA")

        kept = trusted_templates()
        restore_trusted_templates({})  # a trusted config's folder with no record: refused, not read as --templates
        environment.cache_clear()
        with pytest.raises(TemplateError, match="is not the folder that was trusted"):
            render_here("gap-fill.j2", path, {})
        restore_trusted_templates(kept)
    finally:
        environment.cache_clear()
