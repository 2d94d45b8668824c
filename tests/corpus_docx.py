"""Write the Word notes of the import corpus (tests/data/corpus/weimar-republic.docx) with python-docx.

    python -m tests.corpus_docx

The file is committed; this is how it was made: Word's own heading, list, caption and quote
styles, and a table, as a teacher's Word notes have them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx

CORPUS = Path(__file__).parent / "data" / "corpus"

BODY = [
    ("Title", "The Weimar Republic, 1918-1923"),
    (
        "Normal",
        "Germany became a republic at the end of the First World War. Its first years were marked by defeat, "
        "revolt and hyperinflation.",
    ),
    ("Heading 1", "A difficult start"),
    ("List Bullet", "Kaiser Wilhelm II abdicated on 9 November 1918 and fled to the Netherlands."),
    ("List Bullet", "The armistice that ended the fighting was signed on 11 November 1918."),
    ("List Bullet", "Friedrich Ebert became the first President of the republic in February 1919."),
    (
        "List Bullet",
        "The Treaty of Versailles was signed on 28 June 1919. Many Germans called it a Diktat, a dictated "
        "peace, because Germany had no say in its terms.",
    ),
    ("Heading 1", "Threats from left and right"),
    (
        "Normal",
        "In January 1919 the Spartacists, led by Rosa Luxemburg and Karl Liebknecht, tried to seize power in "
        "Berlin. The Freikorps crushed the rising, and both leaders were killed.",
    ),
    (
        "Normal",
        "In March 1920 Wolfgang Kapp led an attempt by the Freikorps to take over the government, known as "
        "the Kapp Putsch. It failed when the workers of Berlin went on a general strike.",
    ),
    ("Heading 1", "The crisis of 1923"),
    (
        "Normal",
        "In January 1923 French and Belgian troops occupied the Ruhr because Germany had not paid its "
        "reparations. The government paid the striking workers by printing money, and prices rose faster and "
        "faster.",
    ),
    ("Caption", "Table 1: What one US dollar cost in German marks"),
    (
        "TABLE",
        [
            ["Date", "Marks to one dollar"],
            ["July 1914", "4.2"],
            ["January 1923", "17,972"],
            ["November 1923", "4,200,000,000,000"],
        ],
    ),
    (
        "Normal",
        "On 8 November 1923 Adolf Hitler and the Nazi Party tried to seize power in Munich. The Munich Putsch"
        " failed the next day, and Hitler was sent to prison.",
    ),
    (
        "Quote",
        "Philipp Scheidemann proclaimed the republic from a window of the Reichstag on 9 November 1918: “Long"
        " live the German Republic!”",
    ),
    ("Heading 2", "Key terms"),
    ("List Bullet", "Reparations: payments that Germany had to make to the Allies for the damage caused by the war."),
    ("List Bullet", "Hyperinflation: prices rising so fast that money becomes almost worthless."),
    ("List Bullet", "Putsch: an attempt to seize power by force."),
    ("List Bullet", "Armistice: an agreement to stop fighting."),
]


def write(path: Path) -> None:
    """The notes as a .docx made with Word's built-in styles."""
    document = docx.Document()
    for style, text in BODY:
        if style == "TABLE":
            rows = text
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            assert isinstance(text, str)
            document.add_paragraph(text, style=style)
    document.core_properties.author = "Mr D. Evans"
    document.save(str(path))


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS / "weimar-republic.docx")
