"""Full-text search over enterprises without the `unaccent` extension.

Accents are folded by the SQL function `portail_fold()` (created by
migration entreprises 0002) when the search vector is written, and by `fold()` below when a
query is read, so "cooperative habitation" finds "Coopérative d'habitation".
Each word of a query matches as a prefix, stemmed in French and in English and
unstemmed ("simple"), so partial words and proper names both match.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery

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


def build_query(text: str) -> SearchQuery | None:
    """Every word must match, each as a prefix in French, English or as written."""
    query = None
    for word in query_words(text):
        prefix = f"{word}:*"
        word_query = (
            SearchQuery(prefix, config="french", search_type="raw")
            | SearchQuery(prefix, config="english", search_type="raw")
            | SearchQuery(prefix, config="simple", search_type="raw")
        )
        query = word_query if query is None else query & word_query
    return query
