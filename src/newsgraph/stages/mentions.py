"""Mention stage: find spans that name entities.

Knowledge base first (names, aliases, generated epithets and owner
descriptions), the statistical NER second, and shape/context cues for unknown
organisations ("la société X", legal suffixes). spaCy's fr/es NER mislabels
many company and product names, so a knowledge-base match always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from newsgraph.kb import KBEntry, KnowledgeBase
from newsgraph.lang import available_languages, load_language
from newsgraph.model import Document, Mention, Sentence
from newsgraph.stages import KBStage
from newsgraph.text import fold, trie_regex

_ARGUMENT_DEPS = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "obj", "dobj"})
_NER_TYPES = {"ORG": "ORG", "PER": "PER", "PERSON": "PER", "LOC": "LOC", "GPE": "LOC"}


def _load_name_shapes() -> dict[str, frozenset[str]]:
    """Words that shape names (kb/name_shapes.yaml): organisation heads ("Adani
    Green Energy"), legal forms ("Stellantis NV"), titles ("Apple CEO Tim Cook")."""
    path = Path(__file__).parent.parent / "kb" / "name_shapes.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: frozenset(str(w) for w in words) for key, words in data.items()}


_NAME_SHAPES = _load_name_shapes()
ORG_HEADS = _NAME_SHAPES["org_heads"]
LEGAL_FORMS = _NAME_SHAPES["legal_forms"]
TITLE_WORDS = _NAME_SHAPES["titles"]
_CONNECTORS = _NAME_SHAPES["connectors"]
_CAPITAL = r"[A-ZÀ-ÖØ-Þ]\w*(?:\.\w+)*"
# "Alimentation Couche" + "-Tard", "Clayton" + ", Dubilier & Rice", "AT" + "&T".
_JOIN_RIGHT = re.compile(rf"(?:-{_CAPITAL}|\s?&\s?{_CAPITAL}|(?:,\s{_CAPITAL})+,?\s&\s{_CAPITAL})+")
_JOIN_LEFT = re.compile(rf"(?<![\w&-])(?:{_CAPITAL}-|{_CAPITAL}\s?&\s?)+$")


@dataclass(frozen=True)
class _Phrase:
    entity_id: str
    kind: str  # name | alias | epithet | owner
    product_id: str | None = None  # for owner descriptions: the product named


def _is_acronym(alias: str) -> bool:
    """Short all-capital aliases ("SES", "BT", "AMF") are matched with their case:
    folded, they would be ordinary words ("ses", "bt", "amf")."""
    letters = [c for c in alias if c.isalpha()]
    return len(alias) <= 5 and bool(letters) and all(c.isupper() for c in letters)


class Gazetteer:
    """Every knowledge-base phrase of one language, compiled into two regexes."""

    def __init__(self, kb: KnowledgeBase, lang: str | None) -> None:
        self.kb = kb
        folded: dict[str, list[_Phrase]] = {}
        exact: dict[str, list[_Phrase]] = {}
        data = load_language(lang) if lang in available_languages() else {}
        templates = data.get("epithets", {})
        for entry in kb.entries.values():
            for alias in (entry.name, *entry.aliases):
                kind = "name" if alias == entry.name else "alias"
                if alias in entry.short_aliases:
                    # An ordinary word ("Orange", "Oracle", "Arm"): the name is
                    # matched with its capital only.
                    _add(exact, alias, _Phrase(entry.id, kind))
                elif _is_acronym(alias):
                    _add(exact, alias, _Phrase(entry.id, kind))
                else:
                    _add(folded, fold(alias), _Phrase(entry.id, kind))
            for alias in entry.short_aliases:
                if alias != entry.name:
                    _add(exact, alias, _Phrase(entry.id, "alias"))
            if lang:
                for epithet in entry.epithets.get(lang, []):
                    _add(folded, fold(epithet), _Phrase(entry.id, "epithet"))
            for phrase, info in _generated_epithets(kb, entry, templates):
                _add(folded, fold(phrase), info)
        self.folded = folded
        self.exact = exact
        self.folded_re = trie_regex(folded)
        self.exact_re = trie_regex(exact)

    def find(self, text: str) -> list[tuple[int, int, list[_Phrase]]]:
        """(start, end, candidates) of KB phrases, leftmost-longest, not overlapping."""
        hits: list[tuple[int, int, list[_Phrase]]] = []
        if self.folded_re:
            ftext = fold(text)
            hits += [
                (m.start(), m.end(), self.folded[m.group()]) for m in self.folded_re.finditer(ftext)
            ]
        if self.exact_re:
            hits += [
                (m.start(), m.end(), self.exact[m.group()]) for m in self.exact_re.finditer(text)
            ]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out: list[tuple[int, int, list[_Phrase]]] = []
        last_end = -1
        for hit in hits:
            if hit[0] >= last_end:
                out.append(hit)
                last_end = hit[1]
        return out


def _add(table: dict[str, list[_Phrase]], key: str, phrase: _Phrase) -> None:
    found = table.setdefault(key, [])
    # A name beats an epithet for the same words; otherwise keep every candidate.
    if any(p.entity_id == phrase.entity_id for p in found):
        return
    if phrase.kind in ("name", "alias") and found and found[0].kind not in ("name", "alias"):
        found.insert(0, phrase)
    else:
        found.append(phrase)


def _generated_epithets(
    kb: KnowledgeBase, entry: KBEntry, templates: dict[str, list[str]]
) -> list[tuple[str, _Phrase]]:
    """Epithets built from knowledge-base facts: headquarters and flagship products."""
    out: list[tuple[str, _Phrase]] = []
    if entry.headquarters:
        place = kb.named(entry.headquarters)
        places = [entry.headquarters, *(place.aliases if place else [])]
        for template in templates.get("headquarters", []):
            out += [(template.format(p), _Phrase(entry.id, "epithet")) for p in places]
    for product_name in entry.flagship:
        product = kb.named(product_name)
        names = [product_name]
        if product:
            names += product.aliases + product.short_aliases
        pid = product.id if product else None
        # "owner" templates state ownership ("les propriétaires de ChatGPT") and
        # give a PRODUCT_OF claim; "maker" and "flagship" ones only characterise
        # ("the Windows maker", "le géant de Windows").
        for template in templates.get("flagship", []) + templates.get("maker", []):
            out += [(template.format(n), _Phrase(entry.id, "epithet")) for n in names]
        for template in templates.get("owner", []):
            out += [(template.format(n), _Phrase(entry.id, "owner", pid)) for n in names]
    return out


@cache
def gazetteer(lang: str | None) -> Gazetteer:
    return Gazetteer(KnowledgeBase.default(), lang)


def tokens_of(sentence: Sentence, start: int, end: int) -> Any:
    """The spaCy span covering article offsets [start, end) in ``sentence``."""
    doc = sentence.span.doc
    return doc.char_span(start - sentence.base, end - sentence.base, alignment_mode="expand")


class MentionStage(KBStage):
    """Fills ``doc.mentions`` with names, aliases, epithets, NER and cue mentions."""

    name = "mentions"
    requires = ("parse",)

    def __call__(self, doc: Document) -> Document:
        gaz = gazetteer(doc.lang) if self._kb is None else Gazetteer(self._kb, doc.lang)
        data = load_language(doc.lang) if doc.lang in available_languages() else {}
        mentions: list[Mention] = []
        hits = {s.index: gaz.find(s.text) for s in doc.sentences}
        # Entities named outright in the article settle ambiguous epithets.
        named = {
            c[0].entity_id
            for hs in hits.values()
            for _, _, c in hs
            if len(c) == 1 and c[0].kind in ("name", "alias")
        }
        for sentence in doc.sentences:
            found = self._kb_mentions(hits[sentence.index], sentence, named)
            ner = _ner_mentions(sentence, data, self.kb)
            found = _prefer_longer_names(found, ner, sentence, self.kb)
            taken = [(m.start, m.end) for m in found]
            cues = [
                c
                for c in _cue_mentions(sentence, data)
                if not any(
                    n.start <= c.start and c.end <= n.end and len(n.text) > len(c.text) for n in ner
                )
            ]  # "le fonds Clayton" + NER "Clayton, Dubilier & Rice": the longer name
            for extra in cues + ner:
                if not any(extra.start < e and s < extra.end for s, e in taken):
                    found.append(extra)
                    taken.append((extra.start, extra.end))
            for mention in found:
                _mark_source(mention, sentence, data, self.kb)
            mentions += sorted(found, key=lambda m: m.start)
        doc.mentions = mentions
        return doc

    def _kb_mentions(
        self, hits: list[tuple[int, int, list[_Phrase]]], sentence: Sentence, named: set[str]
    ) -> list[Mention]:
        out = []
        for start, end, candidates in hits:
            info = next((c for c in candidates if c.entity_id in named), candidates[0])
            entry = self.kb.get(info.entity_id)
            assert entry is not None
            mention = _make_mention(
                sentence,
                sentence.start + start,
                sentence.start + end,
                entry.type,
                info.kind,
                entry.id,
            )
            if mention is not None:
                mention.product_id = info.product_id
                out.append(mention)
        return out


def _prefer_longer_names(
    kb_mentions: list[Mention], ner: list[Mention], sentence: Sentence, kb: KnowledgeBase
) -> list[Mention]:
    """A capitalised name that strictly contains a known name is another
    organisation ("Amazon France Logistique", "Adani Total Gas", "Paris Match"),
    unless it is an alias of the same entity or only adds a legal form
    ("Stellantis NV"). Products and epithets of the knowledge base stay as they are.
    """
    headline = _is_headline(sentence)
    out: list[Mention] = []
    swallowed: set[int] = set()
    for i, m in enumerate(kb_mentions):
        if i in swallowed:
            continue
        if m.kind not in ("name", "alias") or m.type not in ("ORG", "LOC"):
            out.append(m)
            continue
        if headline:
            out.append(m)
            continue
        containers = [
            n
            for n in ner
            if n.start <= m.start and m.end <= n.end and n.end - n.start > len(m.text)
        ]
        run = _capitalised_run(sentence, m)
        if run is not None:
            containers.append(run)
        best = None
        for n in sorted(containers, key=lambda c: c.start - c.end):
            if _names_another(n, m, kb_mentions, ner, sentence, kb):
                best = n
                break
        if best is None:
            out.append(m)
            continue
        inside = [
            j for j, o in enumerate(kb_mentions) if best.start <= o.start and o.end <= best.end
        ]
        swallowed.update(inside)
        out = [o for o in out if not (best.start <= o.start and o.end <= best.end)]
        known = kb.lookup(best.text)
        best.entity_id = known[0].id if known else None
        best.type = known[0].type if known else "ORG" if m.type == "ORG" else best.type
        if best.type == "LOC":
            best.type = "ORG"
        best.kind = "ner"
        out.append(best)
    return out


def _names_another(
    n: Mention,
    m: Mention,
    kb_mentions: list[Mention],
    ner: list[Mention],
    sentence: Sentence,
    kb: KnowledgeBase,
) -> bool:
    """Whether ``n``, a longer name around the knowledge-base name ``m``, names
    another organisation."""
    if m.entity_id in {e.id for e in kb.lookup(n.text)}:
        return False
    head = tokens_of(sentence, n.start, n.end)
    if head is not None and n.start < m.start and head[0].i == _first_word(sentence.span):
        # "Baptisée MasOrange, ...": a sentence-initial ordinary word is no name.
        tok = head[0]
        if tok.is_stop or tok.pos_ != "PROPN" or tok.lemma_.lower() != tok.text.lower():
            return False
    rel = sentence.start
    extra = (sentence.text[n.start - rel : m.start - rel], sentence.text[m.end - rel : n.end - rel])
    words = [fold(w).strip(",") for part in extra for w in re.split(r"[\s]+", part) if w.strip()]
    words = [w for w in words if w not in ("-", "&")]
    if not words or all(w in LEGAL_FORMS for w in words):
        return False
    if any(w in TITLE_WORDS for w in words):
        return False
    raw = [w for part in extra for w in part.split() if w.strip("-&")]
    if not all(w.lstrip("-&")[:1].isupper() or fold(w) in _CONNECTORS for w in raw):
        return False
    # Another known organisation, product or person inside: two names side by
    # side ("OpenAI Sam Altman"), not one.
    for o in kb_mentions:
        if o is not m and n.start <= o.start and o.end <= n.end and o.type != "LOC":
            return False
    for o in ner:
        if o.type == "PER" and o is not n and n.start <= o.start and o.end <= n.end:
            return False
    # A place inside a longer name ("Paris Match") makes an organisation only
    # when the NER says so or the name has an organisation head word.
    if m.type == "LOC" and n.kind == "run" and not set(words) & ORG_HEADS:
        return False
    return not (m.type == "LOC" and n.kind == "ner" and n.type == "LOC")


_STOP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})


def _is_headline(sentence: Sentence) -> bool:
    """Title Case lines ("Microsoft Invests In OpenAI") are no runs of names."""
    words = [t for t in sentence.span if t.is_alpha and len(t.text) > 3][1:]
    lower = sum(t.text.islower() for t in words)
    return len(words) >= 3 and lower / len(words) < 0.25


def _capitalised_run(sentence: Sentence, m: Mention) -> Mention | None:
    """The run of capitalised tokens (joined by spaces, hyphens or "&") around
    ``m``, without a sentence-initial ordinary word, or None if it is only ``m``."""
    span = sentence.span
    doc = span.doc

    def name_like(tok: Any) -> bool:
        if tok.ent_type_ in _STOP_ENTS or fold(tok.text) in TITLE_WORDS:
            return False
        if doc.vocab[tok.text.lower()].is_stop:
            return False  # "Según", "The", "Selon": a function word is no name
        return tok.text[:1].isupper() and not tok.is_punct

    def joined(tok: Any) -> bool:  # "-" or "&" between two capitalised tokens
        return tok.text in ("-", "&")

    first, last = m.token_start, m.token_end  # token indices in doc
    lo, hi = span.start, span.end
    while first - 1 >= lo:
        prev = doc[first - 1]
        if name_like(prev):
            first -= 1
        elif joined(prev) and first - 2 >= lo and name_like(doc[first - 2]):
            first -= 2
        else:
            break
    while last < hi:
        nxt = doc[last]
        if name_like(nxt):
            last += 1
        elif joined(nxt) and last + 1 < hi and name_like(doc[last + 1]):
            last += 2
        else:
            break
    # A capitalised first word of the sentence ("Según", "Baptisée") is part of
    # the name only if the NER puts it in one.
    while first < m.token_start and (
        first == _first_word(span) and (doc[first].is_stop or not doc[first].ent_type_)
    ):
        first += 1
        while first < m.token_start and joined(doc[first]):
            first += 1
    if first == m.token_start and last == m.token_end:
        return None
    start = doc[first].idx + sentence.base
    end = doc[last - 1].idx + len(doc[last - 1].text) + sentence.base
    mention = _make_mention(sentence, start, end, "ORG", "run", None)
    return mention


def _first_word(span: Any) -> int:
    for tok in span:
        if not tok.is_punct and not tok.is_space:
            return int(tok.i)
    return int(span.start)


def _make_mention(
    sentence: Sentence, start: int, end: int, etype: str, kind: str, entity_id: str | None
) -> Mention | None:
    span = tokens_of(sentence, start, end)
    if span is None or len(span) == 0:
        return None
    text = sentence.text[start - sentence.start : end - sentence.start]
    return Mention(
        text=text,
        start=start,
        end=end,
        type=etype,
        kind=kind,
        entity_id=entity_id,
        sentence=sentence.index,
        token_start=span.start,
        token_end=span.end,
    )


_NOT_NAMES = frozenset({"ADP", "SCONJ", "CCONJ", "PRON", "AUX", "VERB", "ADV"})
_TRIM = re.compile(r"^[\s\"'«»“”(]+|[\s\"'«»“”),.;:]+$")


def _ner_mentions(sentence: Sentence, data: dict[str, Any], kb: KnowledgeBase) -> list[Mention]:
    out = []
    regulator_words = {fold(w) for w in data.get("regulator_words", [])}
    determiners = {fold(w) for w in data.get("determiners", [])}
    for ent in sentence.span.ents:
        etype = _NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        toks = list(ent)
        while toks and (
            fold(toks[0].text) in determiners or toks[0].is_punct or toks[0].pos_ in _NOT_NAMES
        ):
            toks = toks[1:]  # "Según Cinco Días": the preposition is no part of the name
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if not toks or not any(t.text[:1].isupper() for t in toks):
            continue
        if len(toks) == 1 and (toks[0].is_stop or toks[0].pos_ not in ("PROPN", "NOUN", "X")):
            continue  # "Según", "Además": a capitalised function word is no name
        start = toks[0].idx + sentence.base
        end = toks[-1].idx + len(toks[-1].text) + sentence.base
        start, end = _join_names(sentence, start, end)
        text = sentence.text[start - sentence.start : end - sentence.start]
        if len(text) < 2 or _TRIM.sub("", text) != text:
            continue
        words = {fold(w).strip(",") for w in text.split()}
        if etype == "PER" and (words & ORG_HEADS or words & LEGAL_FORMS or "&" in text):
            etype = "ORG"  # "Adani Green Energy", "Hachette Livre" are no people
        if etype == "PER" and len(toks) == 1:
            # A lone capitalised word the fr/es/en models call a person is far more
            # often a company ("Masimo", "Criteo"); a person's surname alone links
            # back to the full name in the linking stage whatever its type.
            etype = "ORG"
        if etype in ("ORG", "PER") and words & regulator_words:
            etype = "REGULATOR"
        known = kb.lookup(text)
        if (
            etype == "LOC"
            and not known
            and any(
                t.dep_ in _ARGUMENT_DEPS and not (toks[0].i <= t.head.i <= toks[-1].i) for t in toks
            )
        ):
            # An unknown "place" that is the subject or object of a verb is a
            # company the model mislabelled ("racheté Lyxor", "Bing a intégré").
            etype = "ORG"
        mention = _make_mention(
            sentence,
            start,
            end,
            known[0].type if known else etype,
            "ner",
            known[0].id if known else None,
        )
        if mention is not None:
            out.append(mention)
    return out


def _join_names(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """Extend a NER span over capitalised words joined by a hyphen or an
    ampersand, which the models cut: "Alimentation Couche" + "-Tard",
    "Clayton" + ", Dubilier & Rice"."""
    rel_start, rel_end = start - sentence.start, end - sentence.start
    right = _JOIN_RIGHT.match(sentence.text, rel_end)
    if right:
        rel_end = right.end()
    left = _JOIN_LEFT.search(sentence.text[:rel_start])
    if left:
        rel_start = left.start()
    return rel_start + sentence.start, rel_end + sentence.start


def _cue_mentions(sentence: Sentence, data: dict[str, Any]) -> list[Mention]:
    """Unknown organisations announced by their shape: "la société X", "X SA"."""
    cues = data.get("org_cues", {})
    out = []
    word = r"[A-Z0-9ÀÂÉÈÊÎÔÛÇÑ][\w&'’.\-]*"
    joiners = "|".join(sorted(_NAME_SHAPES["name_joiners"]))
    name = rf"((?:{word})(?:\s+(?:{word}|&|{joiners})(?=\s+{word}|$|[\s,.;:)]))*)"
    for cue in cues.get("before", []):
        pattern = re.compile(r"(?<!\w)" + re.escape(cue) + r"\s+" + name + r"(?=[\s,.;:)]|$)", re.I)
        for m in pattern.finditer(sentence.text):
            if not m.group(1)[:1].isupper():
                continue
            start = sentence.start + m.start(1)
            mention = _make_mention(
                sentence, start, start + len(m.group(1).rstrip(".")), "ORG", "cue", None
            )
            if mention:
                out.append(mention)
    suffixes = cues.get("suffixes", [])
    if suffixes:
        alt = "|".join(re.escape(s) for s in suffixes)
        pattern = re.compile(name + r",?\s+(?:" + alt + r")(?![\w])")
        for m in pattern.finditer(sentence.text):
            start = sentence.start + m.start(1)
            mention = _make_mention(sentence, start, start + len(m.group(1)), "ORG", "cue", None)
            if mention:
                out.append(mention)
    return out


def _mark_source(
    mention: Mention, sentence: Sentence, data: dict[str, Any], kb: KnowledgeBase
) -> None:
    """A mention after "selon", "according to", "según" is the source of a claim."""
    before = fold(sentence.text[: mention.start - sentence.start]).rstrip()
    for prep in data.get("source_preps", []):
        p = fold(prep)
        if before.endswith(p) or re.search(re.escape(p) + r"\s+(?:\w+\s+){0,2}$", before):
            mention.is_source = True
            return
    entry = kb.get(mention.entity_id) if mention.entity_id else None
    if entry is not None and entry.is_source:
        after = fold(sentence.text[mention.end - sentence.start :])[:40]
        verbs = [fold(v) for v in data.get("modality", {}).get("reporting_forms", [])]
        if any(re.match(r"\W*(?:\w+\W+){0,2}" + re.escape(v), after) for v in verbs):
            mention.is_source = True
