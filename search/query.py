"""What a visitor typed in the search box, read into a query both search engines can run.

Pure Python, no database: ``parse(text) -> Query`` or a ``QueryError`` whose message the page
shows. The syntax is the one people expect from web search, and nothing else:

- words are all required: ``format compliance``;
- ``"quoted words"`` must appear together, in that order;
- ``OR`` (in capitals) between two terms accepts either;
- ``-word`` or ``NOT word`` leaves out what contains it.

Everything else is text, never syntax: ``AND`` and ``NEAR`` are dropped (every word is
required anyway), and ``* ^ : ( ) + ~ '`` and other punctuation only separate words, so no input
can reach either engine's own query language (FTS5's ``NEAR``, column filters and prefixes;
PostgreSQL's tsquery operators). A query is made of words (``\\w+``), lower-cased, and each
engine builds its own query from them with its own quoting: ``search.engines``.

Common words ("the", "of") match almost everything, and PostgreSQL's English configuration
drops them while SQLite's FTS5 would require them: they are dropped here, the same for both,
unless they sit inside a quoted phrase.
"""

import re
from dataclasses import dataclass, field

# Longer input is refused (HTTP 400) rather than cut: what was cut would be searched silently.
MAX_LENGTH = 200
# Terms beyond this many are left out, and the page says so.
MAX_TERMS = 12
# A longer "word" is no word a lesson contains; PostgreSQL would not index it either.
MAX_WORD_LENGTH = 40

# PostgreSQL's "english" stop words (Snowball's list), so both engines ignore the same words.
_SNOWBALL_ENGLISH = """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own s same she should so some such t than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with you your yours yourself
    yourselves"""
STOP_WORDS = frozenset(_SNOWBALL_ENGLISH.split())

_TOKEN = re.compile(r'(?P<minus>-?)"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+)')
_WORD = re.compile(r"\w+")


class QueryError(ValueError):
    """The input cannot be searched; ``str(error)`` says why, for the page."""

    status = 200  # the page shows the message with the form, as for no results


class QueryTooLong(QueryError):
    status = 400


@dataclass(frozen=True)
class Phrase:
    """One or more words that must appear together, in this order."""

    words: tuple[str, ...]

    def __str__(self) -> str:
        return self.words[0] if len(self.words) == 1 else f'"{" ".join(self.words)}"'


@dataclass(frozen=True)
class Query:
    """Every clause must match (each clause: any one of its phrases) and no excluded phrase may.

    ``dropped`` lists the common words that were left out; ``truncated`` says whether terms
    past ``MAX_TERMS`` were.
    """

    clauses: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...] = ()
    dropped: tuple[str, ...] = field(default=())
    truncated: bool = False

    def __str__(self) -> str:
        """The query as it is searched, in the syntax it was read with."""
        parts = [" OR ".join(str(p) for p in clause) for clause in self.clauses]
        parts += [f"-{phrase}" for phrase in self.excluded]
        return " ".join(parts)

    @property
    def words(self) -> tuple[str, ...]:
        """The words searched for (not the excluded ones), each once."""
        seen = dict.fromkeys(w for clause in self.clauses for p in clause for w in p.words)
        return tuple(seen)


def parse(text: str) -> Query:
    """Read ``text``; raise ``QueryError`` when nothing in it can be searched."""
    text = text or ""
    if len(text) > MAX_LENGTH:
        raise QueryTooLong(
            f"Your search is {len(text):,} characters long; searches are limited to "
            f"{MAX_LENGTH}. Shorten it to a few words and try again."
        )
    clauses: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    dropped: list[str] = []
    either = negate = False
    count = 0
    truncated = False
    for match in _TOKEN.finditer(text):
        bare = match.group("bare")
        if bare in ("OR", "|"):
            either = bool(clauses)
            continue
        if bare in ("AND", "NEAR", "&"):
            continue
        if bare == "NOT":
            negate = True
            continue
        minus = bool(match.group("minus")) or (bare is not None and bare.startswith("-"))
        source = match.group("phrase") if bare is None else bare
        phrase = _phrase(source, dropped=dropped)
        exclude, negate = minus or negate, False
        if phrase is None:
            continue
        if count == MAX_TERMS:
            truncated = True
            break
        count += 1
        if exclude:
            excluded.append(phrase)
        elif either:
            clauses[-1].append(phrase)
        else:
            clauses.append([phrase])
        either = False
    if not clauses:
        raise QueryError(_nothing_to_search(text, excluded, dropped))
    return Query(
        clauses=tuple(tuple(clause) for clause in clauses),
        excluded=tuple(excluded),
        dropped=tuple(dict.fromkeys(dropped)),
        truncated=truncated,
    )


def _phrase(source: str, *, dropped: list[str]) -> Phrase | None:
    """The words of one term, or None when it has none worth searching for.

    A bare term with punctuation inside (``foo-bar``, ``ICD-10``, ``a:b``) is a phrase of its
    words, as both engines' tokenisers would read it in a document.
    """
    words = [w.casefold() for w in _WORD.findall(source) if len(w) <= MAX_WORD_LENGTH]
    if not words:
        return None
    if all(word in STOP_WORDS for word in words):
        dropped.extend(words)
        return None
    # Common words inside a phrase ("state of the art") stay: they are part of its text.
    return Phrase(tuple(words[:MAX_TERMS]))


def _nothing_to_search(text: str, excluded: list[Phrase], dropped: list[str]) -> str:
    if excluded:
        return "Add a word to look for: a minus sign (or NOT) only leaves out what contains a word."
    if dropped:
        common = ", ".join(f"“{word}”" for word in dict.fromkeys(dropped))
        return f"{common}: too common to search for. Add a more specific word."
    if text.strip():
        return "There are no words in that search. Type a word or two, such as “fine-tuning”."
    return ""
