"""What the page's form asks for, read into plain values and checked against fixed lists.

Nothing in a request becomes a path: a topic is a key of the shipped topics, a kind one of
the built-in kinds, and an uploaded file's name only gives, after `safe_part`, the stem the
CLI would name outputs after. Anything not on a list is dropped, never passed on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from worksheetgen.batch import DEFAULT_KINDS as BATCH_KINDS
from worksheetgen.document import Tier
from worksheetgen.layout import Profile
from worksheetgen.output import safe_part
from worksheetgen.pipeline import DEFAULT_TOPIC, FORMATS, PAPERS, list_kinds
from worksheetgen.resources import shipped_topics

MAX_UPLOAD = 5 * 1024 * 1024  # bytes in one request: far above a teacher's notes, far below what hurts
MAX_SEED = 1_000_000
MAX_TEXT = 2 * 1024 * 1024  # bytes of content in the text box: a content file's own cap (inputs.CONTENT)
CONTENT_TYPES = (".yaml", ".yml")
NOTES_TYPES = (".txt", ".md", ".docx", ".html", ".htm")
ROSTER_TYPES = (".csv",)
OWN = ""  # the topic chosen when the teacher's own content (the text area) is used


@dataclass(frozen=True)
class Upload:
    """A file a teacher sent: its name as their computer gave it (for messages only) and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name.replace("\\", "/")).suffix.lower()

    @property
    def stem(self) -> str:
        """The name outputs are called after, as the CLI would call them: `my-topic` for `My topic.yaml`."""
        return safe_part(PurePosixPath(self.name.replace("\\", "/")).stem, "my-topic")


@dataclass(frozen=True)
class Choices:
    """Everything the form asks, checked: what to build from what, and how."""

    topic: str = DEFAULT_TOPIC  # a shipped topic, or OWN for the text area
    yaml: str = ""  # the teacher's own content, as edited in the text area
    name: str = "my-topic"  # the stem of the teacher's own content file
    kinds: tuple[str, ...] = ()
    tiers: tuple[Tier, ...] = tuple(Tier)
    formats: tuple[str, ...] = FORMATS
    paper: str = "a4"
    profile: Profile = Profile.standard
    cream: bool = False
    key: bool = True
    seed: int = 0
    batch_kinds: tuple[str, ...] = BATCH_KINDS
    problems: list[str] = field(default_factory=list)  # what was wrong with the form itself

    @property
    def own(self) -> bool:
        return self.topic == OWN

    @property
    def stem(self) -> str:
        return self.name if self.own else self.topic


def defaults() -> Choices:
    """The page as first shown: the shipped topic, every kind and tier, both formats, with keys."""
    return Choices(kinds=tuple(list_kinds()))


def read_choices(fields: Mapping[str, Sequence[str]]) -> Choices:
    """The form's fields (each a list of the values sent) as checked Choices."""
    problems: list[str] = []
    kinds = tuple(list_kinds())
    topic = (fields.get("topic") or [DEFAULT_TOPIC])[0]
    if topic != OWN and topic not in shipped_topics():
        topic = DEFAULT_TOPIC
    return Choices(
        topic=topic,
        yaml=_text_box(_first(fields, "yaml"), problems),
        name=safe_part(_first(fields, "name"), "my-topic"),
        kinds=_listed(fields, "kind", kinds),
        tiers=tuple(Tier(value) for value in _listed(fields, "tier", tuple(t.value for t in Tier))),
        formats=_listed(fields, "format", FORMATS),
        paper=_one_of(fields, "paper", PAPERS),
        profile=Profile(_one_of(fields, "profile", tuple(p.value for p in Profile))),
        cream=_first(fields, "cream") == "on",
        key=_first(fields, "key") == "on",
        seed=_seed(_first(fields, "seed"), problems),
        batch_kinds=_listed(fields, "batch_kind", kinds),
        problems=problems,
    )


def one_sheet(action: str) -> tuple[str, Tier, str, bool] | None:
    """`one:gap-fill:core:pdf[:key]` (a preview's download button) as its kind, tier, format and key."""
    parts = action.split(":")
    if len(parts) not in (4, 5) or parts[0] != "one" or parts[1] not in list_kinds():
        return None
    if parts[2] not in {t.value for t in Tier} or parts[3] not in FORMATS or parts[4:] not in ([], ["key"]):
        return None
    return parts[1], Tier(parts[2]), parts[3], parts[4:] == ["key"]


def refusal(upload: Upload, allowed: Sequence[str], what: str) -> str:
    """Why a file is not taken, or '' when it is: only the listed types, never a template."""
    if upload.suffix in allowed:
        return ""
    shown = upload.name or "the file"
    if upload.suffix == ".j2":
        return (
            f"'{shown}': your own templates are not taken over the web: use them on the command line "
            "(worksheetgen build --templates FOLDER)"
        )
    return f"'{shown}' is not {what}: choose a file ending in {', '.join(allowed)}"


def _first(fields: Mapping[str, Sequence[str]], name: str) -> str:
    values = fields.get(name) or [""]
    return values[0]


def _listed(fields: Mapping[str, Sequence[str]], name: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """The values sent that are on the list, in the list's order, each once."""
    sent = set(fields.get(name) or ())
    return tuple(value for value in allowed if value in sent)


def _one_of(fields: Mapping[str, Sequence[str]], name: str, allowed: Sequence[str]) -> str:
    value = _first(fields, name)
    return value if value in allowed else allowed[0]


def _text_box(text: str, problems: list[str]) -> str:
    """The text box's content, or nothing when it is over a content file's cap: it could never be
    read as content, and the page would send it back several times over (`<` is `&lt;`)."""
    size = len(text.encode("utf-8", "replace"))
    if size <= MAX_TEXT:
        return text
    problems.append(
        f"the text in the box was {size / 1024 / 1024:.1f} MB: a content file can be at most "
        f"{MAX_TEXT // 1024 // 1024} MB, so it was not kept. "
        "Load your content file, or import a shorter part of your notes"
    )
    return ""


def _seed(text: str, problems: list[str]) -> int:
    try:
        value = int(text.strip() or "0")
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SEED:
        problems.append(f"'{text}' is not a whole number from 0 to {MAX_SEED:,}: the seed was set back to 0")
        return 0
    return value
