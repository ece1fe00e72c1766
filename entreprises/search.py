"""Full-text search over enterprises without the `unaccent` extension.

Accents are folded by the SQL function `portail_fold()` (created by
migration entreprises 0002) when the search vector is written, and by `fold()` below when a
query is read, so "cooperative habitation" finds "Coopérative d'habitation".
Each word of a query matches as a prefix, stemmed in French and in English and
unstemmed ("simple"), so partial words and proper names both match. The stems
are asked of the database once per query and reduced to the fewest prefixes
that cover them ("cooper:*" covers "cooperative:*"): a shorter query is both
faster to run and better estimated by the planner, which then uses the GIN
index instead of reading every row.
"""

import re
import unicodedata
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery
from django.db import connection

MAX_QUERY_WORDS = 8
MIN_WORD_LENGTH = 2

# The same folding as portail_fold() in SQL: ligatures first, then accents.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
)

SEARCH_VECTOR_SQL = """
UPDATE entreprises_enterprise AS e SET search_vector = doc.vector
FROM (
  SELECT e2.id,
    setweight(to_tsvector('simple', portail_fold(concat_ws(' ', e2.name_fr, e2.name_en))), 'A')
    || setweight(to_tsvector('french', portail_fold(coalesce(e2.name_fr, ''))), 'A')
    || setweight(to_tsvector('english', portail_fold(coalesce(e2.name_en, ''))), 'A')
    || setweight(to_tsvector('french', portail_fold(coalesce(s.names_fr, ''))), 'B')
    || setweight(to_tsvector('english', portail_fold(coalesce(s.names_en, ''))), 'B')
    || setweight(to_tsvector('simple', portail_fold(
         concat_ws(' ', e2.city, p.name_fr, p.name_en, r.name_fr, r.name_en))), 'B')
    || setweight(to_tsvector('french', portail_fold(
         concat_ws(' ', e2.description_fr, e2.mission_fr))), 'C')
    || setweight(to_tsvector('english', portail_fold(
         concat_ws(' ', e2.description_en, e2.mission_en))), 'C')
    AS vector
  FROM entreprises_enterprise AS e2
  LEFT JOIN poles_pole AS p ON p.id = e2.pole_id
  LEFT JOIN poles_region AS r ON r.id = e2.region_id
  LEFT JOIN LATERAL (
    SELECT string_agg(sec.name_fr, ' ') AS names_fr, string_agg(sec.name_en, ' ') AS names_en
    FROM entreprises_enterprisesector AS es
    JOIN entreprises_sector AS sec ON sec.id = es.sector_id
    WHERE es.enterprise_id = e2.id
  ) AS s ON true
  {where}
) AS doc
WHERE e.id = doc.id
"""


def fold(text: str) -> str:
    """Lower case without accents, as portail_fold() does in the database."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def query_words(text: str) -> list[str]:
    """The words of a search, folded; punctuation and one-letter words dropped."""
    words = [w for w in re.split(r"[\W_]+", fold(text)) if len(w) >= MIN_WORD_LENGTH]
    return words[:MAX_QUERY_WORDS]


# The lexemes of each word in the three configurations the search vector uses.
LEXEMES_SQL = """
SELECT tsvector_to_array(
  to_tsvector('french', w) || to_tsvector('english', w) || to_tsvector('simple', w)
) FROM unnest(%s::text[]) WITH ORDINALITY AS words(w, n) ORDER BY n
"""


def build_query(text: str) -> SearchQuery | None:
    """Every word must match, each as a prefix in French, English or as written."""
    words = tuple(query_words(text))
    if not words:
        return None
    return SearchQuery(prefix_query(words), config="simple", search_type="raw")


@lru_cache(maxsize=1024)
def prefix_query(words: tuple[str, ...]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(LEXEMES_SQL, [list(words)])
        rows = cursor.fetchall()
    # A word the text parser cannot read (some scripts) is looked for as written.
    return " & ".join(
        "(" + " | ".join(f"'{_quoted(lx)}':*" for lx in covering_prefixes(lexemes or [word])) + ")"
        for word, (lexemes,) in zip(words, rows, strict=True)
    )


def covering_prefixes(lexemes: list[str]) -> list[str]:
    """The fewest lexemes whose prefixes match everything the given ones match."""
    unique = sorted(set(lexemes))
    return [lx for lx in unique if not any(lx.startswith(o) for o in unique if o != lx)]


def _quoted(lexeme: str) -> str:
    return lexeme.replace("\\", "\\\\").replace("'", "''")
