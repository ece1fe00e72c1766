"""Full-text search over enterprises that means the same in French and English.

The search vector holds two kinds of lexemes, over text folded by the SQL
function `portail_fold()` (migration entreprises 0002; `fold()` below folds a
query the same way, so "cooperative habitation" finds "Coopérative
d'habitation"):

- every word as written ('simple'), names weighted A, sector names and
  synonyms and places B, descriptions C; a query word matches them as a
  prefix, singular or plural ("boulang" finds "Boulangerie");
- each language's text stemmed with its own configuration, the lexemes marked
  with the language (`fr_`, `en_`, which no folded query word can contain), so
  a French stem only ever meets French text and an English stem English text.

- each synonym of the enterprise's sectors (`Sector.synonyms`, loaded from
  chantier/reference/synonyms.toml) as one lexeme, the whole phrase marked
  `syn_` ("syn_service garde"): a query equal to a synonym, or one of its
  words equal to a one-word synonym, finds the sector's enterprises, while the
  words of a phrase ("service") do not on their own.

A stem is used, in the text as in the query, only when it is "light": at
most two letters shorter than its word. Heavier stemming joins words of
different meaning (English "housing" and "house" both give `hous`, French
"habitation" and "habit" both give `habit`), and those words are better found
by their written form. Words found as written rank above words
found through a stem (`rank_expression`).

Relevance is ranked by a smaller vector written beside it, `rank_vector`: the
name, sectors and places only (weights A and B). A word found only in a
description still finds the enterprise, which then ranks below every match of a
name, sector or place. Ranking the 7,816 matches of one word at 100,000
enterprises took 60-110 ms over the whole vectors (1.9 kB each on average) and
takes about 10 ms over these (370 bytes).
"""

import re
import unicodedata
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F
from rapidfuzz import fuzz, process

MAX_QUERY_WORDS = 8
MIN_WORD_LENGTH = 2
# Longer words are cut (as prefixes they still match): a tsquery word has a size limit.
MAX_WORD_LENGTH = 60
# A stem may drop at most this many letters of the word it comes from.
MAX_STEM_CUT = 2
LANGUAGES = {"fr": "french", "en": "english"}
SYNONYM_MARK = "syn_"

# The same folding as portail_fold() in SQL: ligatures first, then accents.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
)


# Built from constant column names only: no value ever reaches this SQL text.
def _words(weight: str, *columns: str) -> str:
    text = f"portail_fold(concat_ws(' ', {', '.join(columns)}))"
    return f"setweight(to_tsvector('simple', {text}), '{weight}')"


def _stems(language: str, weight: str, *columns: str) -> str:
    # Each word's stem, kept only when light, as the query's stems are (word_alternatives).
    text = f"portail_fold(concat_ws(' ', {', '.join(columns)}))"
    return (
        f"setweight(array_to_tsvector(ARRAY(SELECT DISTINCT '{language}_' || stem"  # noqa: S608
        f" FROM regexp_split_to_table({text}, '[^[:alnum:]]+') AS word,"
        f" unnest(ts_lexize('{LANGUAGES[language]}_stem', word)) AS stem"
        f" WHERE length(stem) >= length(word) - {MAX_STEM_CUT})), '{weight}')"
    )


def _vector_parts() -> str:
    parts = [
        _words("A", "e2.name_fr", "e2.name_en"),
        _words("B", "s.texts_fr", "s.texts_en", "e2.city", "p.name_fr", "p.name_en")
        + " || "
        + _words("B", "r.name_fr", "r.name_en"),
        _words("C", "e2.description_fr", "e2.mission_fr", "e2.description_en", "e2.mission_en"),
    ]
    for language in LANGUAGES:
        parts += [
            _stems(language, "A", f"e2.name_{language}"),
            _stems(language, "B", f"s.texts_{language}"),
            _stems(language, "C", f"e2.description_{language}", f"e2.mission_{language}"),
        ]
    parts.append(_synonyms("B", "s.synonyms"))
    return "\n    || ".join(parts)


def _synonyms(weight: str, column: str) -> str:
    # Each comma-separated phrase, its words folded and cut as query_words() cuts a query.
    return (
        f"setweight(array_to_tsvector(ARRAY(SELECT DISTINCT '{SYNONYM_MARK}' || phrase FROM ("  # noqa: S608
        f" SELECT array_to_string(ARRAY(SELECT w FROM regexp_split_to_table("
        f"portail_fold(raw), '[^[:alnum:]]+') AS w WHERE length(w) >= {MIN_WORD_LENGTH}), ' ')"
        f" AS phrase FROM regexp_split_to_table(coalesce({column}, ''), ',') AS raw) AS phrases"
        f" WHERE phrase <> '')), '{weight}')"
    )


# What relevance is ranked by: the name (A) and the sectors and places (B), without the
# descriptions (C). ts_rank adds up the weights of the query's words found; a word found
# only in a description ranks at 0, below every match of a name, sector or place.
RANK_PART = """ts_filter(doc.vector, ARRAY['a', 'b']::"char"[])"""

SEARCH_VECTOR_SQL = f"""
UPDATE entreprises_enterprise AS e SET search_vector = doc.vector, rank_vector = {RANK_PART}
FROM (
  SELECT e2.id,
    {_vector_parts()}
    AS vector
  FROM entreprises_enterprise AS e2
  LEFT JOIN poles_pole AS p ON p.id = e2.pole_id
  LEFT JOIN poles_region AS r ON r.id = e2.region_id
  LEFT JOIN LATERAL (
    SELECT string_agg(sec.name_fr, ' ') AS texts_fr,
      string_agg(sec.name_en, ' ') AS texts_en,
      string_agg(concat_ws(',', sec.synonyms_fr, sec.synonyms_en), ',') AS synonyms
    FROM entreprises_enterprisesector AS es
    JOIN entreprises_sector AS sec ON sec.id = es.sector_id
    WHERE es.enterprise_id = e2.id
  ) AS s ON true
  {{where}}
) AS doc
WHERE e.id = doc.id
"""  # noqa: S608


def fold(text: str) -> str:
    """Lower case without accents, as portail_fold() does in the database."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def query_words(text: str) -> list[str]:
    """The words of a search, folded; punctuation and one-letter words dropped."""
    words = [
        w[:MAX_WORD_LENGTH] for w in re.split(r"[\W_]+", fold(text)) if len(w) >= MIN_WORD_LENGTH
    ]
    return words[:MAX_QUERY_WORDS]


# The stem of each word in each language's configuration.
STEMS_SQL = """
SELECT {columns} FROM unnest(%s::text[]) WITH ORDINALITY AS words(w, n) ORDER BY n
""".format(
    columns=", ".join(f"tsvector_to_array(to_tsvector('{c}', w))" for c in LANGUAGES.values())
)


class TsQuery(SearchQuery):
    """A tsquery written out, cast rather than parsed: the language marks stay whole."""

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(compiler, connection, template="(%(expressions)s)::tsquery")


def build_query(text: str) -> TsQuery | None:
    """Every word must match: as written (a prefix, singular or plural), or by a light stem."""
    words = tuple(query_words(text))
    if not words:
        return None
    return _tsquery(match_query(words))


def rank_expression(text: str) -> SearchRank | None:
    """Relevance: the words as written count once more than every other way to match,
    in the name (most), the sectors and the places (`rank_vector`)."""
    words = tuple(query_words(text))
    if not words:
        return None
    exact = " | ".join(f"'{_quoted(w)}'" for w in words)
    return SearchRank(F("rank_vector"), _tsquery(match_query(words))) + SearchRank(
        F("rank_vector"), _tsquery(exact)
    )


def _tsquery(text: str) -> TsQuery:
    return TsQuery(text)


@lru_cache(maxsize=1024)
def match_query(words: tuple[str, ...]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(STEMS_SQL, [list(words)])
        rows = cursor.fetchall()
    every_word = " & ".join(
        "(" + " | ".join(word_alternatives(word, dict(zip(LANGUAGES, stems, strict=True)))) + ")"
        for word, stems in zip(words, rows, strict=True)
    )
    if len(words) == 1:
        return every_word
    phrases = {" ".join(words), " ".join(written_forms(w)[-1] for w in words)}
    return f"({every_word}) | " + " | ".join(
        f"'{SYNONYM_MARK}{_quoted(phrase)}'" for phrase in sorted(phrases)
    )


def written_forms(word: str) -> list[str]:
    """The word, then its singular when it looks plural ("logements", "logement")."""
    if len(word) > 3 and word[-1] in "sx":
        return [word, word[:-1]]
    return [word]


def word_alternatives(word: str, stems: dict[str, list[str]]) -> list[str]:
    """The tsquery terms one word matches, fewest first: written prefixes, then light stems."""
    written = written_forms(word)
    terms = [f"'{_quoted(w)}':*" for w in covering_prefixes(written)]
    terms += [f"'{SYNONYM_MARK}{_quoted(w)}'" for w in written]
    for language, lexemes in stems.items():
        terms += [
            f"'{language}_{_quoted(lx)}'"
            for lx in sorted(set(lexemes))
            if len(lx) >= len(word) - MAX_STEM_CUT
        ]
    return terms


def covering_prefixes(words: list[str]) -> list[str]:
    """The fewest words whose prefixes match everything the given ones match."""
    unique = sorted(set(words))
    return [w for w in unique if not any(w.startswith(o) for o in unique if o != w)]


def _quoted(lexeme: str) -> str:
    return lexeme.replace("\\", "\\\\").replace("'", "''")


# -- "Did you mean…": the closest words of the index's own vocabulary ----------

# How alike (0-100, rapidfuzz's ratio) a word must be to be offered instead.
MIN_SIMILARITY = 75
MIN_VOCABULARY_WORD_LENGTH = 3


def vocabulary_words(lexemes: list[str]) -> list[str]:
    """The words people can type: written words and one-word synonyms, no stems."""
    words = []
    for lexeme in lexemes:
        word = lexeme.removeprefix(SYNONYM_MARK)
        if len(word) >= MIN_VOCABULARY_WORD_LENGTH and "_" not in word and " " not in word:
            words.append(word)
    return words


def corrected_words(words: list[str], vocabulary: list[str]) -> list[str]:
    """Each word the index does not hold, replaced by its closest word that it does.

    The vocabulary comes most frequent first, so a tie goes to the commoner word.
    """
    known = set(vocabulary)
    corrected = []
    for word in words:
        if word in known:
            corrected.append(word)
            continue
        best = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
        corrected.append(best[0] if best else word)
    return corrected


def closeness(words: list[str], phrases: list[str]) -> float:
    """How near a search is to the best of some phrases (a sector's names and synonyms)."""
    query = " ".join(words)
    return max((fuzz.ratio(query, fold(phrase)) for phrase in phrases if phrase), default=0)
