"""People: only where a person's name is written the way names are, never places, ships, laws or bodies.

A name is a run of capitalised words (with initials, `de`/`von`, `of Aragon`, a regnal number)
that is: given a title (`Sir Thomas More`, `Pope Clement VII`, `Mr. Wilberforce`), or starts
with a given name (`Samuel Pepys`), or has a middle initial (`Harry S. Truman`), or is followed
by what people do (`Olaudah Equiano, who ...`, `Wat Tyler was killed`) or named beside another
person (`Neil Armstrong and Buzz Aldrin`). A run after `the` (`the Carpathia`), with a number
(`Apollo 11`), ending in a word for a place, body or document (`Pudding Lane`, `Harvard
University`, `Factory Act`), or naming a country or city, is not a person. A surname used on its
own joins its full name; a role the notes give (`the Lord Mayor, Sir Thomas Bloodworth`,
`Thomas Cranmer, the new Archbishop of Canterbury`) is kept for the teacher to check.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from worksheetgen.importer.structure import Note

MAX_PEOPLE = 15
MAX_NAME_WORDS = 6
SPELLING_CHECKS = 300  # single names compared for other spellings, per first letter (keeps huge notes fast)


def word_set(text: str) -> frozenset[str]:
    """The words of a long list written as text (easier to read than a list literal)."""
    return frozenset(text.split())


TITLES = word_set(
    """Tsar Tsarina King Queen Marshal General Admiral Colonel Captain Major Lieutenant President Chancellor
    Emperor Empress Prince Princess Duke Duchess Lord Lady Sir Dame Dr Dr. Mr Mr. Mrs Mrs. Ms Ms. Miss Saint
    Pope Bishop Archbishop Comrade Professor Prof Kaiser Sultan Pharaoh Archduke Count Countess Baron
    Senator Governor Reverend Rev Cardinal Father Sister Brother Chief Judge Justice Premier Consul Earl"""
)
COURTESY = word_set("Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr.")  # dropped from the name itself
NOT_NAMES = word_set(
    """I The A An And But Or If In On At To For From By Of With As It Its This That These Those There Then They
    Their He She His Her We Our You Your Who What When Where Why How Which While After Before During Although
    Because Many Most Some Several Both Each Every No Not Only Even Still Yet Also Later Soon Four Three Two
    One Five Six Seven Eight Nine Ten Old New Great Red White Black Soviet United Holy First Second Third
    World Royal National Northern Southern Eastern Western North South East West Central Upper Lower Civil
    Cold Grand Middle Far Near Prime Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Spring Summer Autumn
    Winter Christmas Easter God Note Notes Source Sources Key Question Answer Summary Introduction
    Conclusion Chapter Part Section Figure Table English British French German Russian American Italian
    Spanish Chinese Japanese European Christian Catholic Protestant Jewish Muslim Communist Nazi Fascist
    Bolshevik Austrian Serbian Belgian Polish Dutch Greek Roman Ottoman Turkish Irish Scottish Welsh Indian
    Egyptian Persian Norman Saxon Viking Allied Allies Axis Many Historians Scientists Contemporaries
    People Workers Parliament Congress Senate Government Church State Crown Army Navy Parliamentarians
    Physical Human Remember Effects Causes Responses Key Glossary Biography Today Yesterday However Meanwhile
    Finally Then Later Earlier Afterwards Today Here Nobody Everyone Someone Dozens Hundreds Thousands
    Millions About Around Over Under Between Among Inquiries Survivors Lifeboats Women Men Children"""
)
PLACE_WORDS = word_set(
    """Platform Party Congress Committee Plan Army Navy War Wars Revolution Revolt Rising Uprising Trial Trials
    Union Republic Empire Kingdom State States Office Council Ministry Department Government Institute
    University School College Church Cathedral Abbey Chapel Museum Palace Square Street Road Lane Avenue
    Bridge River Sea Ocean Lake Mountain Mountains Mount Valley Island Islands Bay Coast Forest Desert Act Acts
    Treaty Pact Agreement Charter Declaration Convention Doctrine Statute Ordinance Bill Law Laws Constitution
    Front Guard Guards Police Court Parliament House Senate Assembly League Alliance Company Line Bank
    Corporation Centre Center Purges Purge Terror Entente Crisis Affair Movement Programme Program Conference
    Campaign Day Week Year Age Period Era Dynasty Minister Secretary Mayor Chairman Bolsheviks Mensheviks
    Communists Plateau Reform Reformation Renaissance Depression Crash Deal Blitz Wall Rights Rock Rocks
    Head Point Cliff Cliffs Hill Hills Castle Park Gate Beach Sands Moor Falls Canyon Peak Gorge Range Plain
    Plains Canal Railway Station Agency Trust Society Societies Association Federation Organisation
    Organization Prize Award Medal Trophy Derby Cup Games Olympics City Town Village County Shire Province
    District Region Zone Basin Strait Channel Harbour Harbor Port Airport Hospital Prison Tower Hall Monument
    Memorial Library Inquiry Commission Report Survey Times Post Mail Herald Gazette Express Guardian Daily
    Weekly Review Journal Press News Service Services Project Mission Missions Programme Trials Plot Putsch
    Massacre Famine Plague Flood Fire Storm Earthquake Eruption Disaster Death Tax Act Bible Quran Gospel
    Factory Mill Mills Works Industries Industry Group Council Board Cabinet Commons Lords Embassy Navy
    Fleet Squadron Regiment Brigade Division Battalion Corps Legion Institute Foundation Fund Club Team
    Line Lines Code Codes Manifesto Diary Letter Letters Speech Petition Constitution Empire Cause Causes"""
)
PLACES = word_set(
    """Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bangladesh Belarus Belgium
    Bolivia Bosnia Brazil Bulgaria Burma Cambodia Canada Chile China Colombia Congo Croatia Cuba Cyprus
    Czechoslovakia Denmark Egypt Estonia Ethiopia Finland France Germany Ghana Greece Hungary Iceland India
    Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Kenya Korea Kuwait Latvia Lebanon Libya Lithuania
    Luxembourg Malaysia Mexico Mongolia Morocco Netherlands Holland Nigeria Norway Pakistan Palestine Peru
    Philippines Poland Portugal Romania Russia Rwanda Scotland Serbia Singapore Slovakia Somalia Spain Sudan
    Sweden Switzerland Syria Taiwan Tanzania Thailand Tunisia Turkey Uganda Ukraine Vietnam Wales Yugoslavia
    Zimbabwe England Britain Europe Asia Africa America Americas Antarctica Arctic Atlantic Pacific Prussia
    Bavaria Austria-Hungary Persia Byzantium Rome Sparta Athens Carthage Babylon Mesopotamia Siberia Crimea
    Manchuria Balkans Normandy Flanders Gaul London Paris Berlin Moscow Vienna Washington Leningrad Petrograd
    Stalingrad Tokyo Beijing Delhi Jerusalem Constantinople Istanbul Sarajevo Ruhr Rhineland Verdun Somme
    Manchester Liverpool Birmingham Bristol Leeds Glasgow Edinburgh Cardiff Belfast Dublin York Oxford
    Cambridge Southampton Plymouth Dover Munich Hamburg Frankfurt Dresden Weimar Versailles Dunkirk Normandy
    Cornwall Devon Dorset Kent Sussex Yorkshire Lancashire Derbyshire Oxfordshire Boston Chicago Hartford
    Connecticut Virginia Texas California Alaska Hawaii Newfoundland Gascony Burgundy Aragon Castile Wessex
    Mercia Northumbria Westminster Whitehall Smithfield Southwark Greenwich Canterbury Winchester Hastings
    Agincourt Waterloo Trafalgar Gallipoli Ypres Passchendaele Cherbourg Queenstown Calais Brussels Madrid
    Lisbon Prague Warsaw Budapest Kiev Kyiv Odessa Venice Florence Milan Naples Geneva Zurich Amsterdam
    Scandinavia Caribbean Mediterranean Baltic Himalayas Alps Pyrenees Sahara Amazon Nile Thames Danube Rhine
    Volga Seine Mississippi Vancouver Tranquility Moon Earth Mars Venus Jupiter Saturn"""
)
PLACE_PREFIXES = word_set("Mount Mt Lake Loch Cape Port Fort Glen Isle Isles River Lough St. New Fort Saint")
GIVEN = word_set(
    """Aaron Abraham Ada Adam Adolf Agnes Albert Alec Alexander Alexandra Alexei Alfred Alice Alison Alessandro
    Amelia Amy Andrew Andrei Angela Ann Anna Anne Annie Anthony Antoine Anton Archibald Arthur Augustus Barbara
    Beatrice Benjamin Bernard Betty Boris Brian Bruce Buzz Caroline Catherine Cecil Charles Charlotte Christabel
    Christopher Clara Clare Claude Clement Constance Cornelius Daniel David Dmitri Dorothy Douglas Ebenezer
    Edith Edmund Edward Edwin Eleanor Elizabeth Ellen Elsie Emily Emma Emmeline Erich Ernest Ernst Eugene Eva
    Evelyn Felix Ferdinand Florence Frances Francis Franklin Franz Frederick Friedrich Gavrilo George Georg
    Georges Gerald Gertrude Giuseppe Gordon Grace Granville Gregory Grigori Gustav Hannah Hans Harold Harriet
    Harry Heinrich Helen Helmut Henri Henrietta Henry Herbert Hermann Horatio Howard Hugh Ida Ian Isaac
    Isabella Ivan Jack Jacob Jacques James Jan Jane Jean Jeanne Jennie Jessie Joan Johann Johannes John
    Jonathan Joseph Josef Josephine Julia Julian Juliet Julius Karl Kate Katherine Kathleen Konrad Lavrentiy
    Lawrence Leo Leon Leonid Leopold Lev Lewis Lillian Louis Louisa Louise Lucy Ludwig Luther Lydia Mahatma
    Malcolm Margaret Maria Marie Mark Martha Martin Mary Matilda Matthew Maud Max Maximilian Michael Mikhail
    Millicent Nancy Napoleon Nathaniel Neil Nelson Neville Nicholas Nikita Nikolai Norman Olaudah Oliver Olive
    Oscar Otto Owen Patrick Paul Peter Philip Philipp Pierre Pyotr Queenie Rachel Ralph Ramsay Raymond Rebecca
    Richard Robert Roger Ronald Rosa Rose Rosalind Rudolf Rupert Ruth Samuel Sarah Sergei Sergey Sidney
    Simon Sophia Sophie Stanley Stephen Susan Sylvia Theodore Thomas Timothy Tony Victor Victoria Vladimir
    Walter Wat Wilhelm Wilfred William Winston Wolfgang Yuri Zachary Kwame Nelson Indira Jawaharlal Mao
    Ho Fidel Che Golda Ayatollah Mustafa Kemal Haile Jomo Julius Desmond Rosa Malcolm Medgar Thurgood
    Emmett Harriet Frederick Sojourner Ida Booker Marcus Martin Coretta Benito Francisco Vittorio Giuseppe
    Leonardo Galileo Isambard Florence Mary Marie Pierre Ernest Niels Albert Werner Erwin Enrico Rosalind
    Francis Alexander Louis Edward Joseph Gregor Charles Alfred Dmitri Antoine Humphry Joseph Ada Alan
    Tim Grace Margaret Tony Gordon Harold Clement Anthony Alec Stanley Bonar Herbert David Arthur"""
)
ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII|XVIII)$")
INITIAL = re.compile(r"^[A-Z]\.$")
PARTICLES = word_set("de von van der den da di du la le bin ibn al")
# What follows a person's name, and what comes before a person named by their job or kin.
PERSON_AFTER = re.compile(
    r"^(?:’s|'s)?\s*(?:,\s*(?:who|whose)\b|,\s*(?:a|an|the)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:of|for|who|from)\b"
    r"|\s+(?:(?:had\s+)?(?:himself|herself)\s+)?(?:said|says|wrote|writes|told|tells|declared|argued|claimed|replied|shouted"
    r"|cried|remarked|announced|insisted|warned|promised|proclaimed|exclaimed|radioed|recalled|explained"
    r"|was\s+born|died|was\s+(?:killed|executed|hanged|shot|murdered|assassinated|arrested|sacked|imprisoned|exiled"
    r"|elected|appointed|crowned|knighted|sent|struck)|invented|designed|discovered|married|founded|refused"
    r"|confessed|resigned|abdicated|became\s+(?:the\s+)?(?:first\s+)?[A-Z]|led\s+(?:an?|the)\b|proclaimed"
    r"|published|watched|stayed|ran|fled|helped))\b"
)
PERSON_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:volcanologist|scientist|historian|chronicler|lookout|leader|chairman|writer|author|poet|"
    r"painter|engineer|inventor|architect|king|queen|monk|priest|bishop|diarist|explorer|astronaut|president|"
    r"minister|brother|sister|son|daughter|wife|husband|mother|father|widow|nephew|niece|uncle|aunt|rebel|"
    r"journalist|reporter|soldier|officer|captain|campaigner|suffragette|activist|merchant|farmer|baker|"
    r"watchmaker|clergyman|physicist|chemist|biologist|geographer|mathematician|philosopher|composer|"
    r"their|his|her|its)\s+$",
    re.IGNORECASE,
)
_EPITHET = re.compile(r"\b([A-Z][a-z]+) the ([A-Z][a-z]+)\b(?! (?:of|Act|War|Plan)\b)")
_NOBLE = re.compile(
    r"\b([A-Z][a-z]+),\s+((?:Duke|Duchess|Earl|Countess|Prince|Princess|Bishop|Archbishop)\s+of\s+[A-Z][a-z]+)\b"
)
_TITLE_COMMA = re.compile(  # `The German Chancellor, Bethmann Hollweg, ...`
    r"\b(?:Chancellor|President|Prime Minister|Minister|Secretary|King|Queen|Emperor|Empress|Tsar|Kaiser|Pope|"
    r"General|Admiral|Marshal|leader|chief|commander|governor|Governor)\s*,\s*$"
)
_TITLE_AFTER = re.compile(  # `Harald Hardrada, King of Norway, ...`
    r"^,\s+(?:King|Queen|Duke|Duchess|Earl|Count|Emperor|Empress|Prince|Princess|Bishop|Archbishop|Lord|Lady)\s+of\s+[A-Z]"
)
_JOINERS = PARTICLES | {"of"}
_RUN = re.compile(r"[A-Z][\w’'-]*\.?(?: (?:(?:de|von|van|der|den|da|di|du|la|le|bin|ibn|al|of) )?[A-Z][\w’'-]*\.?)*")
_ROLE_AFTER = re.compile(
    r"^,\s+((?:the|a|an)\s+(?:new\s+|young\s+|first\s+|former\s+|then\s+)?[A-Za-z][\w’'-]*(?:\s+(?:of|for|to)\s+(?:the\s+)?[A-Z][\w’'-]*"
    r"(?:\s+[A-Z][\w’'-]*)*|\s+[a-z][\w’'-]*){0,4}),"
)
_ROLE_BEFORE = re.compile(
    r"(?:^|,\s+|\bthe\s+)((?:[A-Z][\w’'-]*\s+of\s+[A-Z][\w’'-]*|(?:Lord\s+Mayor|Prime\s+Minister|Secretary\s+of\s+State"
    r"|[a-z]+ist|volcanologist|chronicler|lookout|chairman|leader)))\s*,?\s*$"
)


@dataclass
class Person:
    """A person found in the notes, with how they were named and what the notes say they were."""

    name: str
    line: int
    count: int = 1
    role: str | None = None
    forms: set[str] = field(default_factory=set)
    variants: dict[str, int] = field(default_factory=dict)  # other spellings -> first line

    @property
    def surname(self) -> str:
        words = [w for w in self.name.replace(",", " ").split() if not ROMAN.match(w)]
        return words[-1] if words else self.name


@dataclass(frozen=True)
class Mention:
    """One name in one sentence: the words, where, and what marks it as a person's."""

    words: tuple[str, ...]
    start: int
    end: int
    titled: bool
    title: str
    outer: int  # where the run starts, titles included


def find_people(sentences: list[tuple[int, str]], notes: list[Note]) -> list[Person]:
    """The people the notes name, in the order first named, each with the forms used for them."""
    full: dict[str, Person] = {}
    singles: dict[str, list[tuple[int, Mention, str]]] = {}
    for line, sentence in sentences:
        accepted: list[Mention] = []
        for mention in _mentions(sentence):
            name = _display(mention)
            if _is_person(mention, sentence, accepted):
                accepted.append(mention)
                key = _key(name)
                person = full.get(key)
                if person is None:
                    full[key] = person = Person(name, line, 0, forms={name})
                person.count += 1
                person.role = person.role or _role(sentence, mention)
            elif len(mention.words) == 1:
                singles.setdefault(_bare(mention.words[0]), []).append((line, mention, sentence))
        for epithet in _EPITHET.finditer(sentence):
            if epithet.group(1) in GIVEN:  # `Edward the Confessor`, `Alfred the Great`
                name = epithet.group(0)
                person = full.setdefault(_key(name), Person(name, line, 0, forms={name}))
                person.count += 1
        for noble in _NOBLE.finditer(sentence):
            if re.search(r"[A-Z][\w’'-]*\s+$", sentence[: noble.start()]):
                continue  # `Harold Godwinson, Earl of Wessex`: a full name with a title after it, found already
            name = f"{noble.group(1)}, {noble.group(2)}"
            person = full.setdefault(_key(name), Person(name, line, 0, forms={name}))
            person.count += 1
    people = list(full.values())
    _join_surnames(people, singles, notes)
    people = _merge_same(people)
    return sorted(people, key=lambda p: p.line)[:MAX_PEOPLE]


def _mentions(sentence: str) -> Iterator[Mention]:
    """Runs of capitalised words (with initials, particles, `of Aragon`, regnal numbers), titles split off."""
    for match in _RUN.finditer(sentence):
        if match.group(0).count(" ") > MAX_NAME_WORDS * 2:
            continue  # a line of capitalised words is a heading or a list, not a name
        tokens = [
            (t.group(0), match.start() + t.start(), match.start() + t.end())
            for t in re.finditer(r"\S+", match.group(0))
        ]
        run: list[tuple[str, int, int]] = []
        for token in [*tokens, ("", 0, 0)]:
            if token[0] and (_capital(token[0]) or (run and token[0] in _JOINERS)):
                run.append(token)
                continue
            while run and run[-1][0] in _JOINERS:
                run.pop()
            if run:
                yield from _split_run(_without_full_stop(run))
            run = []


def _without_full_stop(run: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """`Robert Ballard.` at the end of a sentence: the full stop is the sentence's, not the name's."""
    word, start, end = run[-1]
    if word.endswith(".") and len(word) > 2 and word.rstrip(".") not in TITLES:
        return [*run[:-1], (word[:-1], start, end - 1)]
    return run


def _capital(word: str) -> bool:
    return bool(word[:1].isupper()) and (not word.isupper() or bool(ROMAN.match(word)) or bool(INITIAL.match(word)))


def _split_run(run: list[tuple[str, int, int]]) -> Iterator[Mention]:
    """A run without its leading titles, determiners and roles (`Secretary of State George C. Marshall`)."""
    words = [w for w, _, _ in run]
    titled = False
    title = ""
    cut = 0
    given_at = next((i for i, w in enumerate(words) if _bare(w) in GIVEN or INITIAL.match(w)), None)
    while cut < len(words):
        word = _bare(words[cut])
        if word in TITLES or word.rstrip(".") in TITLES:
            titled, title = True, words[cut]
            cut += 1
        elif _leading_word(word, cut, given_at, len(words)):
            cut += 1
        else:
            break
    rest = run[cut:]
    if rest:
        yield Mention(tuple(w for w, _, _ in rest), rest[0][1], rest[-1][2], titled, title, run[0][1])


def _leading_word(word: str, at: int, given_at: int | None, length: int) -> bool:
    """A word before the name itself: `The`, or a role or body before a given name (`State George C. Marshall`)."""
    before_given = given_at is not None and at < given_at and (word in NOT_NAMES or word in PLACE_WORDS or word == "of")
    return before_given or (word in NOT_NAMES and at + 1 < length)


def _bare(word: str) -> str:
    """A word without its possessive `’s`."""
    return word[:-2] if word.endswith(("’s", "'s")) else word


def _is_person(mention: Mention, sentence: str, others: list[Mention]) -> bool:
    """Does this run name a person? See the module docstring for the rules."""
    words = [_bare(w) for w in mention.words]
    if any(w in PLACES or w in NOT_NAMES or any(c.isdigit() for c in w) for w in words):
        return False
    if words[0] in PLACE_PREFIXES and not mention.titled:
        return False
    before = sentence[: mention.start]
    after = sentence[mention.end :]
    if (
        re.search(r"\b(?:the|a|an|in|at|from|to|into|near|across|towards)\s+$", before, re.IGNORECASE)
        and not mention.titled
    ):
        return False
    if re.match(r"^\s*\d", after) or (len(words) == 1 and ROMAN.match(words[0])):
        return False
    marked = bool(
        PERSON_AFTER.match(after)
        or PERSON_BEFORE.search(before)
        or _TITLE_COMMA.search(before)
        or _TITLE_AFTER.match(after)
    )
    if any(w in PLACE_WORDS for w in words) and not (marked and words[0] in GIVEN):
        return False  # `Victoria Station`, `Harvard University`; but `the lookout Frederick Fleet saw`
    if mention.titled:
        return True
    if len(words) == 1:
        return False
    if words[0] in GIVEN or any(INITIAL.match(w) for w in words[:-1]) or ROMAN.match(words[-1]):
        return True
    if "of" in words:
        return False
    if marked:
        return True
    joined = re.search(r"\s+and\s+$", before) or re.match(r"^\s+and\s+", after)
    return bool(joined and others)


def _display(mention: Mention) -> str:
    """How a name is written in the draft: the title kept (`Sir Thomas More`), `Mr.` and `Dr` dropped."""
    words = [_bare(w) for w in mention.words]
    title = mention.title.rstrip(".")
    if mention.titled and mention.title not in COURTESY and title not in COURTESY:
        words = [title, *words]
    return " ".join(words)


def _key(name: str) -> str:
    """Names compared without titles: `King Charles II` and `Charles II` are one person."""
    words = [w for w in name.split() if w.rstrip(".") not in TITLES and w not in TITLES]
    return " ".join(words) or name


def _role(sentence: str, mention: Mention) -> str | None:
    """What the notes call the person right beside their name (`the volcanologist`, `, the new Archbishop of ...,`)."""
    after = _ROLE_AFTER.match(sentence[mention.end :])
    if after:
        return _tidy_role(after.group(1))
    before = re.search(
        r"\b(?:[Tt]he|[Tt]heir|[Hh]is|[Hh]er)\s+((?:[a-z]+\s+){0,2}(?:volcanologist|chronicler|lookout|leader|chairman|diarist"
        r"|inventor|engineer|architect|astronaut|scientist|historian|watchmaker|baker|clergyman|physicist|chemist))\s+$",
        sentence[: mention.start],
    )
    if before:
        return _tidy_role(before.group(1))
    titled = re.search(
        r"(?:^|\b[Tt]he\s+|,\s+)(Lord\s+Mayor|Prime\s+Minister|Secretary\s+of\s+State|Archbishop\s+of\s+[A-Z]\w+)\s*,?\s*$",
        sentence[: mention.outer],
    )
    if titled:
        return _tidy_role(titled.group(1))
    return None


def _tidy_role(text: str) -> str:
    """`the new Archbishop of Canterbury` -> `The new Archbishop of Canterbury`."""
    text = " ".join(text.split()).strip(" ,")
    text = re.sub(r"^(?:their|his|her)\s+", "", text)
    return text[:1].upper() + text[1:]


def _join_surnames(people: list[Person], singles: dict[str, list[tuple[int, Mention, str]]], notes: list[Note]) -> None:
    """`Armstrong said` counts for Neil Armstrong; other single names (and their other spellings) that act as people."""
    by_surname = {p.surname: p for p in people}
    firsts: dict[str, list[Person]] = {}
    for person in people:
        given = [w for w in _key(person.name).replace(",", " ").split() if w in GIVEN][:1]
        for word in given:
            firsts.setdefault(word, []).append(person)
    groups: dict[str, list[str]] = {}
    for word, uses in singles.items():
        owner = by_surname.get(word) or (firsts[word][0] if len(firsts.get(word, [])) == 1 else None)
        if owner is not None:
            owner.count += len(uses)
            owner.forms.add(word)
        elif _could_be_name(word, uses):
            groups[word] = [word]
    _group_spellings(groups, singles, notes)
    for main, words in groups.items():
        uses = [u for w in words for u in singles[w]]
        acts = any(_acts(sentence, mention) for _, mention, sentence in uses)
        if acts and (len(uses) >= 2 or any(_speaks(sentence, mention) for _, mention, sentence in uses)):
            person = Person(main, min(u[0] for u in uses), len(uses), forms=set(words))
            person.variants = {w: singles[w][0][0] for w in words if w != main}
            people.append(person)


def _could_be_name(word: str, uses: list[tuple[int, Mention, str]]) -> bool:
    """A capitalised word used mid-sentence, never as a place, group or ship (`RMS Titanic`, `in Moscow`)."""
    if (
        word in PLACES
        or word in PLACE_WORDS
        or word in NOT_NAMES
        or word.isupper()
        or re.search(r"(?:ists?|ians?|ans|ers|ese)$", word)
    ):
        return False
    after_place = 0
    for _, mention, sentence in uses:
        before = sentence[: mention.outer]
        if re.search(r"\b(?:RMS|HMS|SS|USS|HMT|MV|HMY)\s+$", before):
            return False
        after_place += bool(re.search(r"\b(?:the|in|at|from|to|into|near|across|towards)\s+$", before, re.IGNORECASE))
    return after_place * 2 < len(uses) and any(m.outer > 0 for _, m, _ in uses)


def _acts(sentence: str, mention: Mention) -> bool:
    """Said or did what people do: speaks, is sacked or shot, is `replaced by` or `led by` them."""
    if _speaks(sentence, mention):
        return True
    before = sentence[: mention.outer]
    after = sentence[mention.end :]
    by_agent = re.search(
        r"\b(?:replaced|led|ordered|founded|killed|shot|murdered|arrested|appointed|removed|signed)\s+by\s+$", before
    )
    acting = re.match(
        r"^\s+(?:had\s+\w+\s+(?:arrested|shot|executed|killed)|wanted|ordered|feared|believed|decided|made\s+[A-Z])",
        after,
    )
    return bool(by_agent or acting or PERSON_AFTER.match(after))


def _group_spellings(
    groups: dict[str, list[str]], singles: dict[str, list[tuple[int, Mention, str]]], notes: list[Note]
) -> None:
    """`Yezkhov` and `Yehzkov` join `Yezhov` (the commonest): reported for the teacher to check."""
    order = sorted(groups, key=lambda w: (-len(singles[w]), singles[w][0][0]))
    by_letter: dict[str, list[str]] = {}
    for word in order:
        by_letter.setdefault(word[0], []).append(word)
    for word in order:
        if word not in groups or len(by_letter[word[0]]) > SPELLING_CHECKS:
            continue
        for other in by_letter[word[0]]:
            if other != word and other in groups and any(same_name(w, other) for w in groups[word]):
                groups[word].extend(groups.pop(other))
                line = singles[other][0][0]
                notes.append((line, f"'{other}' looks like another spelling of '{word}': check which is right"))


def _speaks(sentence: str, mention: Mention) -> bool:
    """`Lominadze said`, `said Stalin`, `Lominadze was sacked`: a single name that speaks or is treated as a person."""
    after = sentence[mention.end :]
    before = sentence[: mention.outer]
    if re.search(r"\b(?:the|a|an|in|at|from|to|into)\s+$", before, re.IGNORECASE):
        return False
    speech = (
        r"said|says|wrote|told|declared|argued|claimed|replied|shouted|warned|announced|insisted|ordered"
        r"|was\s+(?:sacked|shot|arrested|executed|murdered|killed|expelled|removed|replaced)"
    )
    return bool(re.match(rf"^(?:’s|'s)?\s+(?:{speech})\b", after) or re.search(r"\b(?:said|says|wrote)\s+$", before))


def same_name(a: str, b: str) -> bool:
    """Probably one name spelt two ways: same first letter, similar length and letters."""
    if a[0] != b[0] or min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8  # Yezhov/Yezkhov 0.92, Hitler/Himmler 0.77


def _merge_same(people: list[Person]) -> list[Person]:
    """`Sir Thomas More` and `Thomas More`, `Mr. Wilberforce` and `Wilberforce`: one person, the longer name."""
    kept: list[Person] = []
    endings: dict[tuple[str, ...], Person] = {}  # the last 1, 2 ... words of each kept name: the first kept with them
    for person in sorted(people, key=lambda p: -len(p.name)):
        words = _key(person.name).split()
        owner = endings.get(tuple(words)) if words else None  # (one look-up, not a scan of every kept name)
        if owner is not None and (len(words) > 1 or words[-1] == owner.surname):
            owner.count += person.count
            owner.forms |= person.forms
            owner.line = min(owner.line, person.line)
            owner.role = owner.role or person.role
        else:
            kept.append(person)
            kept_words = _key(person.name).split()
            for length in range(1, len(kept_words) + 1):
                endings.setdefault(tuple(kept_words[-length:]), person)
    return kept
