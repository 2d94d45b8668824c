"""The topic as a whole: its school subject and a suggested key question.

The subject comes from the notes' own front matter or title (`Year 8 Physics`) if they say, else
from the words they use most (and, for History, how many dates they give). The key question is
the notes' own "why" heading if there is one; otherwise one is suggested for the subject: a
History "Why did ... happen?" only when the title names an event, "Why was ... important?" for
anything else; Geography's causes, effects and responses; a neutral question for other subjects.
"""

from __future__ import annotations

import re
from collections import Counter

from worksheetgen.importer.dates import find_dates

SUBJECT_WORDS = {
    "History": "war wars king queen empire revolution treaty army century parliament government party emperor "
    "battle rebellion dictator regime purge purges tsar monarchy invasion medieval reign executed abolition "
    "slavery slave act prime minister president pope church monasteries revolt peasants suffrage vote laws "
    "famine league campaign reform reformers protest plot plotters rebels rebellion colonies empire nobles",
    "Geography": "river rivers erosion climate rainfall rain population settlement coast coastal volcano volcanoes "
    "earthquake earthquakes glacier weather migration urban rural landscape deposition weathering tectonic "
    "flood flooding valley drainage tributary magma lava plate eruption landslide",
    "Biology": "cell cells organism organisms species photosynthesis enzyme enzymes protein dna gene genes "
    "chlorophyll respiration bacteria tissue organ organs evolution glucose leaf leaves",
    "Chemistry": "atom atoms molecule molecules element elements compound compounds reaction reactions acid "
    "acids alkali ion ions electron electrons periodic",
    "Physics": "force forces energy velocity mass current voltage wave waves gravity circuit circuits "
    "acceleration momentum resistance ammeter voltmeter electricity charge",
}
NAMED_SUBJECTS = {
    "history": "History",
    "geography": "Geography",
    "biology": "Biology",
    "chemistry": "Chemistry",
    "physics": "Physics",
    "science": "Science",
    "english": "English",
    "religious studies": "Religious Studies",
    "re": "Religious Studies",
    "economics": "Economics",
    "citizenship": "Citizenship",
}
HISTORY_EVENTS = re.compile(
    r"\b(?:war|wars|revolution|revolt|rebellion|rising|uprising|fire|plague|death|sinking|crisis|conquest|invasion|"
    r"abolition|fall|collapse|purges?|massacre|race|landing|break|reformation|blitz|crash|depression|strike|"
    r"assassination|coup|putsch|battle|siege|famine|riots?|protests?|campaign|movement|independence|partition|"
    r"unification|dissolution|evacuation|exodus|migration|genocide|holocaust|terror)\b",
    re.IGNORECASE,
)
GEOGRAPHY_EVENTS = re.compile(
    r"\b(?:flood|floods|flooding|eruption|earthquake|storm|hurricane|cyclone|typhoon|tsunami|drought|landslide|"
    r"wildfire|heatwave|avalanche)\b",
    re.IGNORECASE,
)


def guess_subject(texts: list[str], title: str, front: dict[str, object], dated: int) -> tuple[str, str]:
    """(subject, how it was decided): front matter, the title, else the notes' words and dates."""
    declared = front.get("subject")
    if isinstance(declared, str) and declared.strip():
        return declared.strip(), "from the notes' front matter"
    for word, subject in NAMED_SUBJECTS.items():
        if re.search(rf"\b{word}\b", title, re.IGNORECASE) and len(word) > 2:
            return subject, "named in the title"
    words = Counter(w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text))
    scores = {subject: sum(words[w] for w in vocab.split()) for subject, vocab in SUBJECT_WORDS.items()}
    scores["History"] += min(dated, 6)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best, score = ranked[0]
    if score == 0:
        return "History" if dated else "Other", "a guess: the notes name no subject"
    return best, "guessed from the notes' words"


def key_question(title: str, subject: str, headings: list[str], body: str, person: bool) -> tuple[str, str]:
    """(question, how it was found): the notes' own question heading, else one suggested for the subject."""
    topic = topic_phrase(title)
    for heading in headings:
        text = heading.strip().rstrip(":")
        if re.match(r"(?:why|how far|how important|how significant|to what extent)\b", text, re.IGNORECASE):
            if text.upper() == text:
                text = text[0] + text[1:].lower()
            if re.search(r"\b(?:it|this)\b", text) and topic:  # `Why does it matter?` asks about the topic
                text = re.sub(r"\b(?:it|this)\b", _lower_article(topic, lower_all=subject != "History"), text, count=1)
            return (text if text.endswith("?") else text.rstrip(".") + "?"), "the notes' own question"
    if not topic or title.startswith("TODO"):
        return "TODO: write the key question?", ""
    first = topic.split()[0]
    if len(topic.split()) > 1 and topic.split()[1].islower() and re.search(rf"\b{re.escape(first.lower())}\b", body):
        topic = first.lower() + topic[len(first) :]  # `Women's suffrage in ...`: sentence case, a common word first
    if subject == "History":
        if person:
            return f"How significant was {topic}?", "suggested from the title"
        if HISTORY_EVENTS.search(topic):
            return f"Why did {_lower_article(topic)} happen?", "suggested from the title"
        verb = "were" if _plural(topic) else "was"
        return f"Why {verb} {_lower_article(topic)} important?", "suggested from the title"
    if subject == "Geography":
        event = GEOGRAPHY_EVENTS.search(topic)
        if event is None:
            text = " ".join([*headings, *headings, body])
            common = Counter(m.group(0).lower() for m in GEOGRAPHY_EVENTS.finditer(text)).most_common(1)
            if common and common[0][1] >= 2:
                return (
                    f"What were the causes and effects of the {common[0][0]} of {topic}, and how did people respond?",
                    "suggested from the title",
                )
            return (
                f"What are the causes and effects of {_lower_article(topic, lower_all=True)}?",
                "suggested from the title",
            )
        return (
            f"What were the causes and effects of {_lower_article(topic)}, and how did people respond?",
            "suggested from the title",
        )
    if topic.endswith("s") and not topic.endswith("ss"):
        return f"How do {_lower_article(topic, lower_all=True)} work?", "suggested from the title"
    return f"What is {_lower_article(topic, lower_all=True)}, and why does it matter?", "suggested from the title"


def _plural(topic: str) -> bool:
    """`The Railways`, `The Tudors`: a plural head noun (the last word, unless `of` follows it)."""
    head = re.split(r"\s+(?:of|in|and)\s+", topic)[0].split()[-1]
    return (
        head.endswith("s") and not head.endswith(("ss", "us", "is")) and head[:1].islower() is False and len(head) > 3
    )


def topic_phrase(title: str) -> str:
    """`Mount St Helens, 1980: a case study` -> `Mount St Helens`; `Circuits - Year 8 Physics` -> `Circuits`."""
    text = re.sub(r"\s+[-–—]\s+(?:year|yr|ks\d|gcse|a-level|unit|lesson|topic)\b.*$", "", title, flags=re.IGNORECASE)
    if ":" in text:
        head, tail = (part.strip() for part in text.split(":", 1))
        generic = re.match(r"^(?:an?\s+)?(?:case study|overview|summary|notes|introduction|revision)\b", tail, re.I)
        text = head if generic or not tail else tail
    for when in sorted(find_dates(text), key=lambda w: -w.start):
        text = text[: when.start] + text[when.end :]
    text = " ".join(text.strip(" ,;:-–—").split())
    return re.sub(r"^(?:and|or|&)\s+", "", text)  # `1066 and the Norman Conquest`


def _lower_article(text: str, lower_all: bool = False) -> str:
    """`The Great Fire of London` -> `the Great Fire of London`; `Sinking of X` -> `the sinking of X`."""
    if lower_all and not any(w.isupper() and len(w) > 1 for w in text.split()):
        return " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w for w in text.split())
    common = re.match(r"^([A-Za-z][a-z]+)(\s+of\b.*)$", text)
    if common and common.group(1) not in ("Henry", "Catherine", "Mary", "Anne", "House"):
        return f"the {common.group(1).lower()}{common.group(2)}"
    return re.sub(r"^The\b", "the", text)
