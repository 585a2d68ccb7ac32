"""Coreference stage: our own resolver for pronouns and definite descriptions.

No coreference library works offline with these models, so this is a small
salience-based resolver: subject pronouns go to the most salient earlier
subject, object pronouns to the most recent other party, definite descriptions
("la startup", "the company", "la tecnológica") to the most recent entity whose
knowledge-base kind fits. Epithets and owner descriptions ("le géant de
Redmond", "the ChatGPT maker") are matched from the knowledge base by the
mention stage and need no resolution here.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any

from newsgraph.kb import KnowledgeBase
from newsgraph.lang import available_languages, load_language
from newsgraph.model import Document, Mention, Sentence
from newsgraph.stages import KBStage
from newsgraph.stages.mentions import tokens_of
from newsgraph.text import fold

_LOOKBACK = 3  # sentences searched for a pronoun's antecedent
_DESCRIPTION_LOOKBACK = 6
_ACTOR_TYPES = ("ORG", "REGULATOR", "PER")
_RECENCY = 0.6  # salience lost per sentence of distance
_COUNT = 0.4  # salience per earlier mention of the entity (up to four)
_OBJECT_DEPS = ("obj", "iobj", "dobj", "dative", "pobj", "obl", "obl:arg", "nmod")


class CorefStage(KBStage):
    """Adds pronoun and description mentions whose ``antecedent`` is set."""

    name = "coref"
    requires = ("mentions",)

    def __call__(self, doc: Document) -> Document:
        if doc.lang not in available_languages():
            return doc
        data = load_language(doc.lang)
        kb = self.kb
        by_sentence: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        added: list[Mention] = []
        for sentence in doc.sentences:
            own = by_sentence.setdefault(sentence.index, [])
            new = (
                _descriptions(sentence, own, doc.lang)
                + _pair_references(sentence, own, doc.lang)
                + _pronouns(sentence, own, data)
            )
            for mention in sorted(new, key=lambda m: m.start):
                antecedent = _resolve(mention, by_sentence, doc, sentence, kb, data)
                if antecedent is not None:
                    mention.antecedent = antecedent
                    mention.type = antecedent.type
                elif not _capitalised_referent(mention, kb, data):
                    continue
                own.append(mention)
                own.sort(key=lambda m: m.start)
                added.append(mention)
        doc.mentions = sorted(doc.mentions + added, key=lambda m: m.start)
        return doc


def _capitalised_referent(mention: Mention, kb: KnowledgeBase, data: dict[str, Any]) -> bool:
    """With no antecedent, a capitalised description names the institution the
    language's press means by it: "l'Autorité", "the Commission"."""
    if mention.kind != "description":
        return False
    referents = {fold(k): v for k, v in (data.get("capitalised_referents") or {}).items()}
    for word in mention.text.replace("'", "' ").replace("’", "’ ").split():
        name = referents.get(fold(word.strip("'’"))) if word[:1].isupper() else None
        entry = kb.named(name) if name else None
        if entry is not None:
            mention.entity_id, mention.type, mention.kind = entry.id, entry.type, "alias"
            return True
    return False


def _overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _pronouns(sentence: Sentence, own: list[Mention], data: dict[str, Any]) -> list[Mention]:
    pronouns = data.get("pronouns", {})
    # Compared lower-cased but not accent-folded: Spanish "él" is not "el".
    subject = {p.lower() for p in pronouns.get("subject", [])}
    objects = {p.lower() for p in pronouns.get("object", [])}
    possessive = {p.lower() for p in pronouns.get("possessive", [])}
    out = []
    for tok in sentence.span:
        form = tok.text.lower().replace("’", "'")
        if form in possessive and tok.pos_ in ("DET", "PRON") and tok.head.pos_ == "NOUN":
            kind = "pronoun"  # "su presidente", "its chief executive"
        elif tok.pos_ != "PRON" or tok.dep_.startswith("expl"):
            continue
        elif form in objects and tok.dep_ in _OBJECT_DEPS:
            kind = "object_pronoun"
        elif form in subject:
            kind = "pronoun"
        else:
            continue
        start = tok.idx + sentence.base
        end = start + len(tok.text)
        if _overlaps(start, end, own):
            continue
        out.append(
            Mention(
                text=tok.text,
                start=start,
                end=end,
                type="ORG",
                kind=kind,
                sentence=sentence.index,
                token_start=tok.i,
                token_end=tok.i + 1,
            )
        )
    return out


def _descriptions(sentence: Sentence, own: list[Mention], lang: str) -> list[Mention]:
    """Definite descriptions: "la startup", "le groupe canadien", "the Japanese group"."""
    pattern, nouns = _description_pattern(lang)
    nationalities = {fold(k): v for k, v in load_language(lang).get("nationalities", {}).items()}
    if pattern is None:
        return []
    text = fold(sentence.text)
    out = []
    for m in pattern.finditer(text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        if _overlaps(start, end, own):
            continue
        rest = sentence.text[m.end() :]
        # "la société Criteo": the noun introduces a name, it does not refer back.
        if rest.lstrip()[:1].isupper() or _overlaps(
            end, end + len(rest) - len(rest.lstrip()) + 1, own
        ):
            continue
        span = tokens_of(sentence, start, end)
        if span is None:
            continue
        noun = m.group("noun")
        if any(
            ("Number=Plur" in str(t.morph) or t.tag_ in ("NNS", "NNPS"))
            for t in span
            if fold(t.text) == noun.split()[-1]
        ):
            continue  # plural descriptions name several parties (see _pair_references)
        nationality = m.group("pre") or m.group("post")
        out.append(
            Mention(
                text=sentence.text[m.start() : m.end()],
                start=start,
                end=end,
                type="ORG",
                kind="description",
                sentence=sentence.index,
                token_start=span.start,
                token_end=span.end,
                description_kind=nouns[noun],
                description_country=nationalities.get(nationality or ""),
            )
        )
    return out


@cache
def _pair_vocabulary(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """Pair words ("deux", "both") and description nouns of a language, folded."""
    data = load_language(lang)
    words = {fold(w) for w in data.get("coref", {}).get("pair_words", []) if " " not in w}
    nouns = {fold(n) for ns in (data.get("descriptions") or {}).values() for n in ns}
    return frozenset(words), frozenset(nouns)


def _pair_references(sentence: Sentence, own: list[Mention], lang: str) -> list[Mention]:
    """ "les deux groupes", "both companies", "ambas compañías": one mention that
    names the last two parties; its ``referents`` are filled by resolution."""
    words, nouns = _pair_vocabulary(lang)
    out = []
    tokens = list(sentence.span)
    for tok, nxt in pairwise(tokens):
        if fold(tok.text) not in words or nxt.pos_ != "NOUN":
            continue
        if fold(nxt.lemma_) not in nouns and fold(nxt.text).rstrip("s") not in nouns:
            continue
        start, end = tok.idx + sentence.base, nxt.idx + len(nxt.text) + sentence.base
        if _overlaps(start, end, own):
            continue
        out.append(
            Mention(
                text=sentence.text[start - sentence.start : end - sentence.start],
                start=start,
                end=end,
                type="ORG",
                kind="pair",
                sentence=sentence.index,
                token_start=tok.i,
                token_end=nxt.i + 1,
            )
        )
    return out


@cache
def _description_pattern(lang: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    data = load_language(lang)
    descriptions: dict[str, list[str]] = data.get("descriptions", {})
    # Contracted articles too ("al banco", "du groupe"): the relation stage reads
    # their preposition from the mention's first word.
    determiners = [*data.get("definite_determiners", []), *(data.get("contractions") or {})]
    if not descriptions or not determiners:
        return None, {}
    nouns = {fold(n): kind for kind, ns in descriptions.items() for n in ns}
    det = "|".join(re.escape(fold(d)) for d in sorted(determiners, key=len, reverse=True))
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    nats = (
        "|".join(
            re.escape(fold(n)) for n in sorted(data.get("nationalities", {}), key=len, reverse=True)
        )
        or "(?!)"
    )
    intens = "|".join(re.escape(fold(i)) for i in data.get("intensifiers", [])) or "(?!)"
    pattern = re.compile(
        rf"(?<![\w-])(?:{det})\s*(?:(?P<pre>{nats})\s+)?(?P<noun>{noun})"
        rf"(?:\s+(?P<post>{nats}))?(?:\s+(?:{intens}))?(?![\w-])"
    )
    return pattern, nouns


def _is_subject(m: Mention, sentence_span: Any) -> bool:
    doc = sentence_span.doc
    return any(doc[i].dep_.startswith("nsubj") for i in range(m.token_start, m.token_end))


def _resolve(
    mention: Mention,
    by_sentence: dict[int, list[Mention]],
    doc: Document,
    sentence: Sentence,
    kb: KnowledgeBase,
    data: dict[str, Any],
) -> Mention | None:
    """The earlier mention that ``mention`` refers to, or None."""
    index, span = sentence.index, sentence.span
    if mention.kind == "pair":
        parties: list[Mention] = []
        for cand in reversed(_earlier(by_sentence, index, mention.start, _LOOKBACK)):
            root = _root(cand)
            if root.type == "ORG" and all(_root(p).entity_id != root.entity_id for p in parties):
                parties.append(cand)
            if len(parties) == 2:
                mention.referents = list(reversed(parties))
                return mention.referents[0]
        return None
    if mention.kind == "description":
        kind = mention.description_kind or "any"
        country = mention.description_country
        established = _is_established(mention, data)
        in_sentence = by_sentence.get(index, [])
        appositive = _apposition_head(mention, in_sentence, sentence) or _named_inside(
            mention, in_sentence, span
        )
        possessor = sentence.text[mention.end - sentence.start :].startswith(("'s", "’s"))
        if (
            appositive is not None
            and not possessor
            and _kind_fits(appositive, kind, kb, established=established)
        ):
            # "Exor, the Agnelli family's investment company": the name it follows.
            # ("Sarah Cardell, the regulator's chief executive" is no apposition
            # of the regulator: a possessor, and not of the right kind.)
            return appositive
        candidates = _earlier(by_sentence, index, mention.start, _DESCRIPTION_LOOKBACK)
        own_subject = _clause_subject(mention, in_sentence, span)
        fitting = [
            cand
            for cand in candidates
            if not _same_as(cand, own_subject)
            and _kind_fits(cand, kind, kb, established=established)
            and _country_fits(cand, country, kb)
        ]
        sector = _sector_after(mention, sentence, data)
        return _most_salient(fitting, mention, by_sentence, doc, kb, sector or kind, country)
    candidates = _earlier(by_sentence, index, mention.start, _LOOKBACK)
    actors = [c for c in candidates if c.type in _ACTOR_TYPES and c.kind != "object_pronoun"]
    if not actors:
        return None
    if mention.kind == "object_pronoun":
        same = [c for c in actors if c.sentence == index]
        subject = same[0] if same else None
        for cand in reversed(actors):
            if subject is None or _root(cand) is not _root(subject):
                return cand
        return None
    owner = _object_owner(mention, by_sentence.get(index, []), span)
    if owner is not None:
        return owner
    # Subject pronoun: the subject of the nearest sentence that has one.
    for sent_index in sorted({c.sentence for c in actors}, reverse=True):
        in_sentence = [c for c in actors if c.sentence == sent_index]
        subjects = [
            c for c in in_sentence if c.kind != "object_pronoun" and _first_clause(c, in_sentence)
        ]
        if subjects:
            return subjects[0]
    return actors[-1]


_ADJUNCT_DEPS = ("obl", "pobj", "nmod", "obl:arg", "obl:mod")
_OBJECT_DEPS_OF_VERB = ("obj", "dobj")


def _object_owner(mention: Mention, in_sentence: list[Mention], span: Any) -> Mention | None:
    """A possessive in an adjunct refers to the verb's object: "investiga a Microsoft
    por su inversión", "sued Google over its search deals" (not to the subject,
    which a possessive elsewhere usually means)."""
    doc = span.doc
    tok = doc[mention.token_start]
    if not (tok.dep_ in ("poss", "nmod:poss") or "Yes" in tok.morph.get("Poss")):
        return None
    noun = tok.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep":  # English: verb → prep → pobj
        noun = noun.head
    elif noun.dep_ not in _ADJUNCT_DEPS:
        return None
    verb = noun.head
    if verb.pos_ not in ("VERB", "AUX", "NOUN"):
        return None
    for other in in_sentence:
        if other.start >= mention.start or other.type not in _ACTOR_TYPES:
            continue
        head = _head_token(doc, other)
        if head.dep_ in _OBJECT_DEPS_OF_VERB and head.head.i == verb.i:
            return other
    return None


def _clause_subject(mention: Mention, in_sentence: list[Mention], span: Any) -> Mention | None:
    """For a description that is not itself a subject, the subject of its own
    verb: "Amazon invested in the company" cannot mean Amazon, but "Amazon said
    that the sum invested by the giant…" can."""
    tokens = span.doc[mention.token_start : mention.token_end]
    if any(t.dep_.startswith("nsubj") for t in tokens):
        return None
    verb = _governing_verb(span.doc, mention)
    for m in in_sentence:
        if m.start >= mention.start or m.kind == "object_pronoun" or m.is_source:
            continue
        if _governing_verb(span.doc, m) == verb and _is_subject(m, span):
            return m
    # No subject of its own verb: the sentence's first actor, as before, when the
    # description hangs on the main clause.
    first = next(
        (m for m in in_sentence if m.start < mention.start and m.kind != "object_pronoun"), None
    )
    if first is not None and _governing_verb(span.doc, first) == verb:
        return first
    return None


def _head_token(tokens: Any, m: Mention) -> Any:
    inside = range(m.token_start, m.token_end)
    for i in inside:
        if tokens[i].head.i not in inside or tokens[i].head.i == i:
            return tokens[i]
    return tokens[m.token_start]


def _governing_verb(tokens: Any, m: Mention) -> int:
    """Index of the verb (or root) a mention hangs on."""
    tok = _head_token(tokens, m)
    for _ in range(12):
        if tok.head.i == tok.i:
            return int(tok.i)
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return int(tok.i)
    return int(tok.i)


def _same_as(cand: Mention, other: Mention | None) -> bool:
    if other is None:
        return False
    if cand is other:
        return True
    a, b = _root(cand), _root(other)
    return a is b or bool(a.entity_id and a.entity_id == b.entity_id)


def _entity_key(m: Mention) -> str:
    root = _root(m)
    return root.entity_id or "text:" + fold(root.text)


def _apposition_head(
    mention: Mention, in_sentence: list[Mention], sentence: Sentence
) -> Mention | None:
    """The name a description stands in apposition to: "Vivendi, le groupe de
    médias…", "Exor, the Agnelli family's investment company"."""
    before = [
        m
        for m in in_sentence
        if m.end <= mention.start and not m.is_source and m.kind not in ("object_pronoun",)
    ]
    if not before:
        return None
    prev = before[-1]
    gap = sentence.text[prev.end - sentence.start : mention.start - sentence.start]
    if gap.strip() not in (",", "(", "—", "–"):
        return None
    # "A, B et la société": a list, not an apposition.
    earlier = before[:-1]
    if earlier:
        g2 = sentence.text[earlier[-1].end - sentence.start : prev.start - sentence.start]
        if g2.strip() == ",":
            return None
    return prev


def _named_inside(mention: Mention, in_sentence: list[Mention], span: Any) -> Mention | None:
    """A name inside the description's own noun phrase, with no preposition of
    its own: "el fabricante chino de baterías CATL" is CATL."""
    tokens = span.doc
    head = _head_token(tokens, mention)
    for m in in_sentence:
        if m.start < mention.end or m.is_source or m.kind in ("pronoun", "object_pronoun"):
            continue
        tok = _head_token(tokens, m)
        if any(c.dep_ == "case" for c in tok.children) or tok.i - mention.token_end > 4:
            continue
        for _ in range(4):
            if tok.head.i == tok.i or tok.dep_ not in (
                "nmod",
                "appos",
                "flat",
                "flat:name",
                "compound",
            ):
                break
            tok = tok.head
            if tok.i == head.i:
                return m
    return None


def _sector_after(mention: Mention, sentence: Sentence, data: dict[str, Any]) -> str | None:
    """The knowledge-base kind a complement names: "le fabricant de puces"."""
    sectors: dict[str, list[str]] = (data.get("coref") or {}).get("sectors") or {}
    rest = fold(sentence.text[mention.end - sentence.start :])
    rest = re.split(r"[,.;:()]", rest, maxsplit=1)[0]
    words = rest.split()[:5]
    following = " " + " ".join(words) + " "
    for kind, cues in sectors.items():
        if any(f" {fold(c)} " in following for c in cues):
            return kind
    return None


def _most_salient(
    candidates: list[Mention],
    mention: Mention,
    by_sentence: dict[int, list[Mention]],
    doc: Document,
    kb: KnowledgeBase,
    kind: str,
    country: str | None,
) -> Mention | None:
    """The candidate entity with the highest salience score: recency, subject
    position, mentions so far, and how well its knowledge-base kind and country
    fit the description. The latest mention of that entity is returned."""
    if not candidates:
        return None
    index = mention.sentence
    counts: dict[str, int] = {}
    for i in range(0, index + 1):
        for m in by_sentence.get(i, []):
            if m.start < mention.start and not m.is_source:
                key = _entity_key(m)
                counts[key] = counts.get(key, 0) + 1
    scores: dict[str, float] = {}
    latest: dict[str, Mention] = {}
    for cand in candidates:
        key = _entity_key(cand)
        latest[key] = cand  # candidates are in text order
        distance = index - cand.sentence
        bonus = 0.0
        sent = doc.sentences[cand.sentence] if 0 <= cand.sentence < len(doc.sentences) else None
        if sent is not None and sent.span is not None and _is_subject(cand, sent.span):
            bonus = 1.5 / (1 + distance)
        scores[key] = max(scores.get(key, -99.0), bonus - _RECENCY * distance)
    for key, cand in latest.items():
        scores[key] += _COUNT * min(counts.get(key, 0), 4)
        root = _root(cand)
        entry = kb.get(root.entity_id) if root.entity_id else None
        if entry is not None and kind not in ("any", "person", "regulator") and entry.kind == kind:
            scores[key] += 1.5
        if country is not None:
            if entry is not None and entry.country == country:
                scores[key] += 2.0
            else:
                scores[key] -= 1.0  # unknown country: a weaker fit
    best = max(latest, key=lambda k: (scores[k], latest[k].start))
    return latest[best]


def _first_clause(cand: Mention, in_sentence: list[Mention]) -> bool:
    """The first actor mention of a sentence is its most salient one."""
    return cand is in_sentence[0]


def _earlier(
    by_sentence: dict[int, list[Mention]], index: int, start: int, back: int
) -> list[Mention]:
    out: list[Mention] = []
    for i in range(max(0, index - back), index + 1):
        out += [
            m
            for m in by_sentence.get(i, [])
            if m.start < start
            and not m.is_source
            and (m.entity_id or m.antecedent or m.kind in ("ner", "cue"))
        ]
    return out


def _root(m: Mention) -> Mention:
    while m.antecedent is not None:
        m = m.antecedent
    return m


def _country_fits(cand: Mention, country: str | None, kb: KnowledgeBase) -> bool:
    """ "le groupe canadien" only refers back to a Canadian entity (when known)."""
    if country is None:
        return True
    entry = kb.get(_root(cand).entity_id or "")
    return entry is None or entry.country is None or entry.country == country


def _is_established(mention: Mention, data: dict[str, Any]) -> bool:
    """ "le géant", "the oil major": never a start-up."""
    words = {fold(w) for w in (data.get("coref") or {}).get("established", [])}
    return any(w in words for w in re.split(r"[\s'’-]+", fold(mention.text)))


def _kind_fits(cand: Mention, kind: str, kb: KnowledgeBase, *, established: bool = False) -> bool:
    root = _root(cand)
    if kind == "person":
        return root.type == "PER"
    if kind == "regulator":
        return root.type == "REGULATOR"
    if root.type not in ("ORG",):
        return False
    entry = kb.get(root.entity_id) if root.entity_id else None
    if entry is None:
        return True  # unknown organisation: any description may fit
    if established and entry.kind in ("startup", "lab"):
        return False
    if kind == "any":
        return True
    if kind == "startup":
        return entry.kind in ("startup", "lab")
    return entry.kind == kind
