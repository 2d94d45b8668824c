"""Sheet templates: Jinja2 on a visible search path, rendering block markup.

A template writes a small XML vocabulary (`<h1>`, `<p>`, `<gap/>`, `<table>`, ...) that
`markup.parse_sheet` turns into Document blocks. Autoescaping makes teacher text such as
`Tsar <Nicholas II>` safe; the sandbox and StrictUndefined make a template typo or an
escape attempt an error instead of a blank or a security hole.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from worksheetgen.errors import TemplateError
from worksheetgen.resources import builtin_templates


def search_path(user_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """User template folders first, then the built-in ones."""
    return (*user_dirs, builtin_templates())


@lru_cache(maxsize=8)
def environment(path: tuple[Path, ...]) -> jinja2.Environment:
    """One sandboxed, strict, autoescaping environment per search path."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in path]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def available_kinds(path: tuple[Path, ...]) -> list[str]:
    """Kind names found on the search path: every `<kind>.j2` that is not a key or partial."""
    kinds: set[str] = set()
    for folder in path:
        for file in folder.glob("*.j2"):
            name = file.name.removesuffix(".j2")
            if not name.startswith("_") and "." not in name:
                kinds.add(name)
    return sorted(kinds)


def render_template(name: str, path: tuple[Path, ...], context: dict[str, Any]) -> str:
    """Render one template to block markup; every failure names the template and line."""
    env = environment(path)
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        searched = "\n  ".join(str(p) for p in path)
        raise TemplateError(f"template {name!r} not found; searched:\n  {searched}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.filename or name}:{exc.lineno}: {exc.message}") from None
    try:
        return template.render(context)
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"template {name}: refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        line = _template_line(exc, template)
        raise TemplateError(f"template {name}{line}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {name}: {exc}") from None


def _template_line(exc: BaseException, template: jinja2.Template) -> str:
    """The template line where rendering failed, from the traceback Jinja rewrites."""
    filename = template.filename
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f":{line}" if line else ""
