"""Site search over pages.SearchEntry.

PostgreSQL: full-text search with the 'russian' configuration (stemming, ranking,
highlighted fragments) over a GIN-indexed stored vector. Elsewhere (SQLite in
development): every word, lightly stemmed, must occur in the casefolded text.
Highlight markers are private-use characters that the index strips from
content; the text is HTML-escaped first and only then are they turned into
<mark>, so no content or query can inject markup.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pages.models import SearchEntry
from pages.search_index import HIGHLIGHT_START, HIGHLIGHT_STOP, fold

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_CHARS = 240
_WORD = re.compile(r"\w+")

# Common Russian inflectional endings, longest first; good enough for the development fallback.
# fmt: off
_ENDINGS = sorted(
    ["иями", "ями", "ами", "ией", "иям", "ием", "иях", "ого", "его", "ому", "ему", "ыми", "ими", "ых", "их",
     "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ей",
     "ию", "ия", "ии", "ью", "ья", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й"],
    key=len,
    reverse=True,
)
# fmt: on


def query_terms(raw: str) -> list[str]:
    """The words of a query, casefolded; punctuation and one-letter words dropped."""
    return [word for word in _WORD.findall(fold(raw).replace("_", " ")) if len(word) > 1][:MAX_TERMS]


def light_stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def _visible(now):
    return Q(visible_from__isnull=True) | Q(visible_from__lte=now)


def _marked(raw: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped first; only our own markers become <mark>
        escape(raw).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    )


@dataclass(frozen=True)
class SearchHit:
    kind: str
    kind_label: str
    url: str
    title: SafeString
    snippet: SafeString


def search_entries(terms: list[str], *, kinds=(), now=None):
    """A lazily evaluated, ranked queryset of matching entries (slice it: it is paginated)."""
    now = now or timezone.now()
    queryset = SearchEntry.objects.filter(_visible(now))
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if not terms:
        return queryset.none()
    if full_text_available():
        query = SearchQuery(" ".join(terms), search_type="plain", config="russian")
        options = {"config": "russian", "start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP}
        return (
            queryset.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                title_marked=SearchHeadline("title", query, highlight_all=True, **options),
                snippet_marked=SearchHeadline(
                    "text", query, max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ", **options
                ),
            )
            .order_by("-rank", "-id")
        )
    stems = [light_stem(term) for term in terms]
    for stem in stems:
        queryset = queryset.filter(folded__contains=stem)
    in_title = [Case(When(folded_title__contains=stem, then=Value(2)), default=Value(0)) for stem in stems]
    rank = sum(in_title[1:], start=in_title[0])
    return queryset.annotate(rank=rank + Value(1, output_field=IntegerField())).order_by("-rank", "-id")


def _fallback_snippet(text: str, pattern: re.Pattern) -> str:
    match = pattern.search(text)
    start = max(0, match.start() - SNIPPET_CHARS // 3) if match else 0
    if start:
        # Begin at a word, not in the middle of one.
        space = text.find(" ", start, match.start())
        start = space + 1 if space != -1 else start
    window = text[start : start + SNIPPET_CHARS]
    marked = pattern.sub(lambda m: f"{HIGHLIGHT_START}{m.group(0)}{HIGHLIGHT_STOP}", window)
    return ("… " if start else "") + marked + (" …" if start + SNIPPET_CHARS < len(text) else "")


def hits(entries, terms: list[str]) -> list[SearchHit]:
    """Turn one page of entries into highlighted hits."""
    labels = dict(SearchEntry.Kind.choices)
    pattern = None
    result = []
    for entry in entries:
        if hasattr(entry, "snippet_marked"):
            title, snippet = entry.title_marked, entry.snippet_marked
        else:
            if pattern is None:
                stems = [re.escape(light_stem(t)).replace("е", "[её]") + r"\w*" for t in terms]
                pattern = re.compile("|".join(stems), re.IGNORECASE)
            title = pattern.sub(lambda m: f"{HIGHLIGHT_START}{m.group(0)}{HIGHLIGHT_STOP}", entry.title)
            snippet = _fallback_snippet(entry.text, pattern)
        result.append(
            SearchHit(
                kind=entry.kind,
                kind_label=str(labels.get(entry.kind, "")),
                url=entry.url,
                title=_marked(title),
                snippet=_marked(snippet),
            )
        )
    return result
