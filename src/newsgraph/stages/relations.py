"""Relation stage: triggers and their arguments, sentence by sentence.

A trigger is a verb, a noun or a phrase listed for a relation in the language
file (``relations:``). Its arguments are found first through the dependency
parse (subject of the trigger or of the verb that governs it, direct object,
prepositional objects), then by position with the prepositions the language
file gives for each role ("dans", "into", "por", "contre"…), because the fr/es
models' parses of news prose are often wrong. Coordinated arguments ("Bing,
Office ou Copilot") give one claim each; argument types follow the ontology's
selectional restrictions, which also resolve metonymy ("contre Bill Gates"
means his company when a lawsuit needs an organisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from newsgraph.kb import KnowledgeBase
from newsgraph.lang import available_languages
from newsgraph.model import RELATIONS, Claim, Document, Evidence, Mention, Sentence, TriggerSpan
from newsgraph.stages import KBStage
from newsgraph.stages.relation_rules import LangRules, is_trigger_word, rules_for
from newsgraph.text import fold

_EVENT_LOOKBACK = 6  # sentences searched for the event a bare noun refers to
_CONTEXT_LOOKBACK = 2
# Dependencies of a phrase trigger that describes the noun before it.
_ATTRIBUTIVE = frozenset({"acl", "amod", "case", "nmod", "appos", "advcl", "obl", "prep"})
# Relations whose nouns name a role ("chief executive", "filiale", "rival",
# "supplier") rather than an event: they describe the name they stand beside.
_ROLE_RELATIONS = frozenset(
    {"LEADS", "EMPLOYS", "OWNS", "COMPETES_WITH", "PRODUCT_OF", "SUPPLIES", "HEADQUARTERED_IN"}
)
_RELATIVE_CLAUSE = frozenset({"acl:relcl", "relcl", "acl"})
# Relations whose object may be named through the deal it bears on.
_DEAL_TARGETED = frozenset({"CONTROLS", "SUES", "INVESTIGATES", "ACCUSES"})
_WORDS = re.compile(r"\w+'|[\w-]+|[^\w\s]")


@dataclass
class _Trigger:
    relation: str
    token: Any  # spaCy Token
    nominal: bool
    required_preps: tuple[str, ...] = ()
    lemma: str = ""
    # "X, filiale de Y": the noun's complement is the relation's subject.
    inverse: bool = False


@dataclass
class _Arg:
    """An argument: a mention and the entity it stands for (after metonymy)."""

    mention: Mention
    entity_id: str
    type: str


class RelationStage(KBStage):
    """Fills ``doc.claims`` (modality, amount, date, tone come from later stages)."""

    name = "relations"
    requires = ("linking",)

    def __call__(self, doc: Document) -> Document:
        if doc.lang not in available_languages():
            return doc
        kb = self.kb
        rules = rules_for(doc.lang)
        by_sentence: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            if m.entity_id is not None:
                by_sentence.setdefault(m.sentence, []).append(m)
        claims: list[Claim] = []
        for sentence in doc.sentences:
            mentions = by_sentence.get(sentence.index, [])
            extractor = _SentenceExtractor(doc, sentence, mentions, rules, kb, claims)
            claims += extractor.run()
        doc.claims = _dedupe(claims)
        return doc


def _is_relative(tok: Any) -> bool:
    return "PronType=Rel" in str(tok.morph) or tok.tag_ in ("WDT", "WP")


def _controls_acquirer(claims: list[Claim]) -> list[Claim]:
    """Merger control bears on the acquiring party (ONTOLOGY conventions): when a
    sentence's CONTROLS lands on the target of its ACQUIRES, move it to the buyer."""
    targets = {c.object: c for c in claims if c.relation == "ACQUIRES"}
    out = []
    for claim in claims:
        deal = targets.get(claim.object) if claim.relation == "CONTROLS" else None
        if deal is not None and deal.subject != claim.subject:
            claim.object = deal.subject
            claim.evidence.object_span = deal.evidence.subject_span
        out.append(claim)
    return out


def _dedupe(claims: list[Claim]) -> list[Claim]:
    best: dict[tuple[int, tuple[str, str, str]], Claim] = {}
    for claim in claims:
        key = (claim.sentence, claim.key())
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
    return sorted(best.values(), key=lambda c: (c.evidence.start, c.evidence.trigger.start))


class _SentenceExtractor:
    def __init__(
        self,
        doc: Document,
        sentence: Sentence,
        mentions: list[Mention],
        rules: LangRules,
        kb: KnowledgeBase,
        earlier: list[Claim],
    ) -> None:
        self.doc = doc
        self.sentence = sentence
        self.span = sentence.span
        self.tokens = sentence.span.doc
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.actors = [m for m in self.mentions if not m.is_source]
        self.rules = rules
        self.kb = kb
        self.earlier = earlier
        self.preps_seen: dict[tuple[int, int], str | None] = {}
        # Tokens inside names, epithets and descriptions: never triggers.
        self.named_tokens = {
            i
            for m in self.mentions
            if m.kind not in ("pronoun", "object_pronoun")
            for i in range(m.token_start, m.token_end)
        }

    # -- entry point -------------------------------------------------------

    def run(self) -> list[Claim]:
        claims: list[Claim] = []
        self.deal_refs: list[tuple[_Trigger, Mention, int]] = []
        for trigger in self._triggers():
            claims += self._claims_for(trigger)
        claims += self._resolve_deal_refs(claims)
        ended = {c.trigger_i for c in claims if c.relation == "ENDS_PARTNERSHIP"}
        # "ended its partnership with Honda" states the end, not the partnership.
        claims = [
            c
            for c in claims
            if not (c.relation == "PARTNERS_WITH" and self.tokens[c.trigger_i].head.i in ended)
        ]
        claims += self._owner_descriptions()
        claims += self._genitive_products()
        return _controls_acquirer(claims)

    # -- triggers ----------------------------------------------------------

    def _triggers(self) -> list[_Trigger]:
        found: list[_Trigger] = []
        text = fold(self.sentence.text)
        blocked = self._not_trigger_offsets(text)
        for tok in self.span:
            if self._inside_mention(tok.i) or (tok.dep_ == "compound" and tok.pos_ == "NOUN"):
                continue  # "investment company" is a company, not an investment
            if tok.idx + self.sentence.base - self.sentence.start in blocked:
                continue  # "salida a bolsa" is a listing, not a break-up
            lemma, form = fold(tok.lemma_), fold(tok.text)
            # The es lemmatiser keeps clitics: "fusionarse" → "fusionar él".
            keys = {lemma, lemma.split(" ")[0], form} | self._stems(form)
            if tok.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
                for key in keys:
                    for relation, preps, inverse in self.rules.verbs.get(key, []):
                        found.append(
                            _Trigger(relation, tok, tok.pos_ == "NOUN", preps, key, inverse)
                        )
            if tok.pos_ in ("NOUN", "PROPN", "ADJ", "VERB"):
                for key in keys:
                    for relation, preps, inverse in self.rules.nouns.get(key, []):
                        found.append(_Trigger(relation, tok, True, preps, key, inverse))
        for pattern, relation, nominal, inverse in self.rules.phrases:
            for m in pattern.finditer(text):
                tok = self._token_at(self.sentence.start + m.start())
                if tok is not None and not self._inside_mention(tok.i):
                    found.append(
                        _Trigger(
                            relation, tok, nominal or tok.pos_ != "VERB", (), m.group(), inverse
                        )
                    )
        unique: dict[tuple[int, str], _Trigger] = {}
        for trig in found:
            unique.setdefault((trig.token.i, trig.relation), trig)
        return list(unique.values())

    def _not_trigger_offsets(self, text: str) -> set[int]:
        """Offsets (in the sentence) of the words inside the language's not_triggers."""
        pattern = self.rules.not_triggers
        if pattern is None:
            return set()
        return {i for m in pattern.finditer(text) for i in range(m.start(), m.end())}

    def _event_noun(self, tok: Any) -> bool:
        """A trigger noun of a relation other than ownership ("partnership", "takeover")."""
        entries = self.rules.nouns.get(fold(tok.lemma_), []) or self.rules.nouns.get(
            fold(tok.text), []
        )
        return any(relation != "OWNS" for relation, _, _ in entries)

    def _is_trigger_word(self, tok: Any) -> bool:
        return is_trigger_word(tok, lang=self.doc.lang or "")

    def _stems(self, form: str) -> set[str]:
        """Candidate lemmas by stripping inflections, for when the lemmatiser errs
        ("fined" → "fin" in the English model)."""
        out = set()
        for suffix in self.rules.inflections:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                stem = form[: -len(suffix)]
                out |= {stem, stem + "e"}
        return out

    def _token_at(self, offset: int) -> Any:
        for tok in self.span:
            if tok.idx + self.sentence.base <= offset < tok.idx + self.sentence.base + len(tok):
                return tok
        return None

    def _inside_mention(self, i: int) -> bool:
        return i in self.named_tokens

    # -- arguments ---------------------------------------------------------

    def _claims_for(self, trig: _Trigger) -> list[Claim]:
        spec = RELATIONS[trig.relation]
        passive = self._is_passive(trig.token)
        subj_preps = self.rules.subject_preps.get(trig.relation, set()) | self.rules.agent_preps
        obj_preps = self.rules.object_preps.get(trig.relation, set())
        left = [m for m in self.actors if m.end <= self._start(trig.token)]
        right = [m for m in self.actors if m.start >= self._end(trig.token)]
        prep_of = {id(m): self._prep_before(m) for m in self.actors}

        if trig.required_preps and not any(prep_of[id(m)] in trig.required_preps for m in right):
            return self._event_anaphora(trig)

        deal = self._deal_object(trig) if trig.relation in _DEAL_TARGETED else None
        if deal is not None:
            # "la CNMC aprobó la compra de X por Y", "the FTC cleared the deal":
            # the relation bears on the deal's buyer.
            holder = self._dep_subject(trig.token, passive)[0] or self._last(
                [m for m in left if prep_of[id(m)] is None]
            )
            if holder is not None:
                self.deal_refs.append((trig, holder, deal.i))
                return []
        method = "dep"
        if (
            trig.nominal
            and trig.token.pos_ in ("ADP", "VERB", "ADJ")
            and trig.token.dep_ in _ATTRIBUTIVE
        ):
            # "TSB, con sede en Edimburgo", "Nvidia, based in Santa Clara": the
            # phrase describes the name it follows, not the clause's subject.
            subject, has_syntactic_subject = (
                self._last([m for m in left if prep_of[id(m)] is None]),
                True,
            )
        else:
            subject, has_syntactic_subject = self._dep_subject(trig.token, passive)
        if subject is not None and passive:
            # The grammatical subject of a passive is the relation's object.
            obj_first: Mention | None = subject
            subject = None
        else:
            obj_first = self._dep_object(trig.token, obj_preps)
        # A prepositional phrase that marks the subject ("par X", "dans X" for
        # integrations) overrides the grammatical subject.
        marked = [
            m
            for m in right
            if prep_of[id(m)] in subj_preps
            and self._marks_subject(m, prep_of[id(m)], trig, passive)
        ]
        genitive_preps = self.rules.genitive_subject_preps.get(trig.relation, set())
        if not marked and trig.nominal and genitive_preps:
            marked = self._genitive_subject(trig, right, prep_of, genitive_preps, obj_preps)
        displaced = None
        if marked:
            if subject is not None and obj_first is None and not passive:
                displaced = subject  # the object, if nothing better comes
            subject = marked[0]
        if subject is None and trig.nominal and trig.relation in _ROLE_RELATIONS:
            # "Google, filiale d'Alphabet": a role noun in apposition describes
            # the name it follows, whatever preposition that name came with.
            subject = self._apposition_head(trig.token)
        if subject is None and not has_syntactic_subject:
            subject = self._last([m for m in left if prep_of[id(m)] is None and m is not obj_first])
            method = "linear"
        taken = self._coordinated(subject) if subject else []
        if obj_first is None and trig.token.dep_ in ("advcl", "xcomp", "conj") and not trig.nominal:
            # "sued Pfizer and BioNTech, accusing the two partners of…": a
            # participle clause with no object of its own shares its head's.
            inherited = self._dep_object(trig.token.head, obj_preps)
            if inherited is not None and inherited not in taken:
                obj_first = inherited
        if obj_first is None and trig.nominal and trig.lemma in self.rules.possessor_object_nouns:
            # "AWS is Anthropic's cloud provider": the possessor is the customer.
            obj_first = self._possessor(trig.token)
        if obj_first is None and trig.nominal and trig.relation in _ROLE_RELATIONS:
            # "Sarah Cardell, the regulator's chief executive", "Intel CEO": the
            # name the noun describes, then its own possessor or modifier, come
            # before any later name in the sentence.
            head = self._apposition_head(trig.token)
            near = self._adjacent(trig.token, exclude=taken)
            if head is not None and head not in taken:
                obj_first = head
            elif near is not None and near.end <= self._start(trig.token):
                obj_first = near
        if obj_first is None:
            same = {m.entity_id for m in taken}
            free = [m for m in right if m not in taken and m.entity_id not in same]
            obj_first = self._first(
                [m for m in free if prep_of[id(m)] in obj_preps]
            ) or self._first(
                [m for m in free if prep_of[id(m)] is None and not trig.required_preps]
            )
            if obj_first is None and passive:
                obj_first = self._last(
                    [
                        m
                        for m in left
                        if prep_of[id(m)] not in self.rules.agent_preps and m not in taken
                    ]
                )
            obj_first = obj_first or displaced
            method = "linear"
        if passive and subject is None and obj_first is not None:
            # A passive with no agent but a complement ("X is headquartered in
            # Y", "X est basée à Y"): the pair stands; the types orient it.
            complement = self._first(
                [m for m in right if prep_of[id(m)] in obj_preps and m is not obj_first]
            )
            if complement is not None:
                subject, obj_first = obj_first, complement
        bare_right = [m for m in right if prep_of[id(m)] is None]
        if subject is None and trig.nominal and len(bare_right) >= 2 and obj_first is bare_right[0]:
            # "les pratiques anticoncurrentielles qu'OpenAI reproche à Microsoft".
            subject, obj_first = bare_right[0], bare_right[1]
        if (
            subject is None
            and obj_first is not None
            and not trig.nominal
            and not has_syntactic_subject
        ):
            subject = self._context_subject(obj_first)
            method = "context"
        if (
            subject is not None
            and obj_first is None
            and trig.relation in self.rules.implicit_object
        ):
            obj_first = self._context_object(subject)
            method = "context"

        if trig.nominal and (subject is None or obj_first is None):
            head = self._apposition_head(trig.token)
            if head is not None and head is not subject and head is not obj_first:
                if subject is None:
                    subject = head
                else:
                    obj_first = head
        if trig.nominal and (subject is None or obj_first is None):
            # Role nouns and possessives: "Anthropic's chief executive Dario
            # Amodei", "Intel CEO Lip-Bu Tan"; the types settle the direction.
            near = self._adjacent(trig.token, exclude=[m for m in (subject, obj_first) if m])
            if near is not None:
                if subject is None:
                    subject = near
                else:
                    obj_first = near
                method = "linear"
        if trig.inverse:
            subject, obj_first = obj_first, subject
        if (
            obj_first is None
            and subject is not None
            and trig.relation in _DEAL_TARGETED
            and self._deal_noun_after(trig.token)
        ):
            # "the FTC sued to block the deal": the deal's buyer is the target.
            self.deal_refs.append((trig, subject, -1))
            return []
        subjects = self._coordinated(subject) if subject else []
        objects = self._coordinated(obj_first) if obj_first else []
        if spec.symmetric and len(subjects) >= 2 and not objects:
            pairs = [(a, b) for i, a in enumerate(subjects) for b in subjects[i + 1 :]]
        elif spec.symmetric and len(objects) >= 2 and not subjects:
            pairs = [(a, b) for i, a in enumerate(objects) for b in objects[i + 1 :]]
        else:
            pairs = [(s, o) for s in subjects for o in objects]
        if not pairs and trig.nominal and not subjects and not objects:
            return self._event_anaphora(trig)
        claims = []
        for s, o in pairs:
            claim = self._claim(trig, s, o, method)
            if claim is not None:
                claims.append(claim)
        return claims

    def _start(self, tok: Any) -> int:
        return int(tok.idx) + self.sentence.base

    def _end(self, tok: Any) -> int:
        return int(tok.idx) + len(tok.text) + self.sentence.base

    def _first(self, ms: list[Mention]) -> Mention | None:
        return ms[0] if ms else None

    def _last(self, ms: list[Mention]) -> Mention | None:
        return ms[-1] if ms else None

    def _marks_subject(self, m: Mention, prep: str | None, trig: _Trigger, passive: bool) -> bool:
        """Whether "par Y" / "dans Y" gives the trigger its subject. An agent phrase
        belongs to a passive verb or to a noun ("le rachat de X par Y"), whatever
        the parser attached it to; other marking prepositions must hang on it."""
        between = self.tokens[trig.token.i + 1 : m.token_start]
        # A participle that modifies the noun does not end its phrase: "a
        # complaint filed by Spotify", "la plainte déposée par SEPM".
        no_verb_between = not any(
            t.pos_ == "VERB"
            and not (
                (t.dep_.startswith("acl") and "VerbForm=Part" in str(t.morph)) or t.tag_ == "VBN"
            )
            for t in between
        )
        if prep in self.rules.agent_preps:
            return passive if not trig.nominal else no_verb_between
        return no_verb_between or self._governed_by(m, trig.token)

    def _genitive_subject(
        self,
        trig: _Trigger,
        right: list[Mention],
        prep_of: dict[int, str | None],
        genitive_preps: set[str],
        obj_preps: set[str],
    ) -> list[Mention]:
        """ "la inversión de Amazon en Anthropic": a genitive right after the
        event noun names its actor when an object phrase follows it."""
        first = next((m for m in right if prep_of[id(m)] is not None), None)
        if first is None or prep_of[id(first)] not in genitive_preps:
            return []
        if not self._governed_by(first, trig.token):
            return []
        later = [m for m in right if m.start > first.end and m.entity_id != first.entity_id]
        if any(prep_of[id(m)] in obj_preps - genitive_preps for m in later[:1]):
            return [first]
        return []

    def _governed_by(self, m: Mention, tok: Any) -> bool:
        """Whether the prepositional phrase of ``m`` hangs on the trigger (or, for a
        phrase trigger, on the word it modifies): "rachat de X par Y" does not give
        "autorisé par Y"."""
        heads = {tok.i, tok.head.i}
        root = next(
            (
                t
                for t in self.tokens[m.token_start : m.token_end]
                if not (m.token_start <= t.head.i < m.token_end)
            ),
            None,
        )
        if root is None:
            return True
        governor = root.head
        if governor.pos_ == "ADP" and governor.head.i != governor.i:
            governor = governor.head  # English: pobj → prep → verb
        return governor.i in heads or governor.i == root.i

    def _apposition_head(self, tok: Any) -> Mention | None:
        """What a role noun describes: "Dave Calhoun, Boeing's chief executive"."""
        noun = tok
        while noun.dep_ in ("amod", "compound") and noun.head.i != noun.i:
            noun = noun.head
        if noun.dep_ == "appos":
            return self._mention_of(noun.head)
        for child in noun.children:
            if child.dep_ in ("appos", "flat:name", "nmod") and child.i > noun.i:
                found = self._mention_of(child)
                if found is not None and found.type == "PER":
                    return found
        if noun.head.dep_ == "appos" and noun.dep_ in ("nmod", "obl"):
            return None
        return None

    def _deal_noun_after(self, tok: Any) -> bool:
        """A deal noun ("the deal", "l'opération") among the next few words."""
        following = self.tokens[tok.i + 1 : min(tok.i + 7, self.span.end)]
        return any(
            fold(t.lemma_) in self.rules.deal_nouns or fold(t.text) in self.rules.deal_nouns
            for t in following
            if t.pos_ == "NOUN"
        )

    def _deal_object(self, trig: _Trigger) -> Any:
        """The deal noun the trigger governs directly ("a autorisé l'opération")."""
        if trig.nominal:
            return None
        # "sued to block the deal": the deal may be the object of a verb it governs.
        heads = [trig.token, *(c for c in trig.token.children if c.dep_ in ("xcomp", "advcl"))]
        # …and through a preposition: "objected to the deal", "s'oppose à l'opération".
        heads += [c for c in trig.token.children if c.dep_ == "prep"]
        for child in (c for h in heads for c in h.children):
            if child.dep_ in (
                "obj",
                "dobj",
                "nsubj:pass",
                "nsubjpass",
                "pobj",
                "obl",
                "obl:arg",
            ) and (
                fold(child.lemma_) in self.rules.deal_nouns
                or fold(child.text) in self.rules.deal_nouns
            ):
                return child
        return None

    def _resolve_deal_refs(self, claims: list[Claim]) -> list[Claim]:
        out: list[Claim] = []
        for trig, subject, deal_i in self.deal_refs:
            deals = [c for c in claims if c.relation in ("ACQUIRES", "MERGES_WITH")]
            deals.sort(key=lambda c: c.trigger_i != deal_i)  # the deal it names first
            deals += [
                c
                for c in reversed(self.earlier)
                if c.relation in ("ACQUIRES", "MERGES_WITH")
                and self.sentence.index - c.sentence <= _EVENT_LOOKBACK
            ]
            if not deals:
                continue
            deal = deals[0]
            parties = [(deal.subject, deal.evidence.subject_span)]
            if deal.relation == "MERGES_WITH":
                parties.append((deal.object, deal.evidence.object_span))
            for entity_id, span in parties:
                claim = self._claim(trig, subject, self._virtual(entity_id, span), "context")
                if claim is not None:
                    out.append(claim)
        return out

    def _possessor(self, tok: Any) -> Mention | None:
        for child in tok.children:
            if child.dep_ in ("poss", "nmod:poss"):
                found = self._mention_of(child)
                if found is not None:
                    return found
        return None

    def _adjacent(self, tok: Any, *, exclude: list[Mention]) -> Mention | None:
        """The mention right next to a noun trigger (at most two words between,
        none of them a verb or a punctuation mark but the possessive)."""
        best: tuple[int, Mention] | None = None
        for m in self.actors:
            if m in exclude or any(m.entity_id == e.entity_id for e in exclude):
                continue
            if m.token_end <= tok.i:
                gap = self.tokens[m.token_end : tok.i]
            elif m.token_start > tok.i:
                gap = self.tokens[tok.i + 1 : m.token_start]
            else:
                continue
            if len(gap) > 2 or any(
                t.pos_ in ("VERB", "AUX") or (t.is_punct and t.text != "'s") for t in gap
            ):
                continue
            if best is None or len(gap) < best[0]:
                best = (len(gap), m)
        return best[1] if best else None

    def _mention_of(self, tok: Any) -> Mention | None:
        """The mention covering a token, or one inside its apposition/name."""
        for m in self.actors:
            if m.token_start <= tok.i < m.token_end:
                return m
        for child in tok.children:
            if child.dep_ in ("appos", "flat:name", "flat", "compound", "nmod") and child.i > tok.i:
                for m in self.actors:
                    if m.token_start <= child.i < m.token_end:
                        return m
        return None

    def _is_passive(self, tok: Any) -> bool:
        """A passive needs its auxiliary: the fr model labels some active subjects
        nsubj:pass ("Amazon n'a pas investi"); the es model labels "fue" plain aux."""
        if any(c.dep_ in ("aux:pass", "auxpass") for c in tok.children):
            return True
        participle = "VerbForm=Part" in str(tok.morph) or tok.tag_ == "VBN"
        if participle and tok.dep_ in ("acl", "amod") and "Tense=Pres" not in str(tok.morph):
            return True  # "détenue à 51 % par Stellantis", "majority-owned by Disney"
        return participle and any(
            c.dep_.startswith(("aux", "cop")) and fold(c.lemma_) in self.rules.passive_auxiliaries
            for c in tok.children
        )

    def _dep_subject(self, tok: Any, passive: bool) -> tuple[Mention | None, bool]:
        """The mention that is the grammatical subject, and whether there is one at all.

        Climbs from the trigger through the verbs that govern it ("envisage
        d'investir", "a signé un accord"); a relative pronoun stands for the
        noun it hangs on ("c'est OpenAI qui prépare").
        """
        node = tok
        while node.dep_ in ("amod", "compound") and node.head.i != node.i:
            node = node.head  # a phrase trigger starts on a modifier: "chief executive"
        agent_noun = fold(tok.lemma_) in self.rules.possessor_object_nouns
        for child in node.children:
            if child.dep_ in ("poss", "nmod:poss") and not agent_noun:
                found = self._mention_of(child)
                if found is not None:
                    return found, True  # "Microsoft's acquisition of Activision"
            if child.dep_ in _RELATIVE_CLAUSE and node.pos_ == "NOUN":
                # "la demanda que Iberdrola interpuso": the relative clause's subject.
                for grandchild in child.children:
                    if grandchild.dep_.startswith("nsubj") and not _is_relative(grandchild):
                        found = self._mention_of(grandchild)
                        if found is not None:
                            return found, True
        seen_subject = False
        for _ in range(4):
            for child in node.children:
                if child.dep_.startswith("nsubj"):
                    if (
                        child.dep_ in ("nsubj:pass", "nsubjpass")
                        and not passive
                        and node.i == tok.i
                    ):
                        continue
                    if _is_relative(child) or fold(child.text) in self.rules.relative_pronouns:
                        head_mention = self._mention_of(node.head)
                        if head_mention is not None:
                            return head_mention, True
                        continue
                    found = self._mention_of(child)
                    if found is not None:
                        return found, True
                    # A subject that names no entity ("l'accord", "les deux sociétés")
                    # blocks guessing, but only on the trigger's own verb.
                    if child.pos_ in ("NOUN", "PROPN") and (
                        node.i == tok.i or node.i == tok.head.i
                    ):
                        seen_subject = True
            if seen_subject:
                break
            if node.i != tok.i and node.pos_ == "NOUN" and self._is_trigger_word(node.head):
                break  # "the EC approved the acquisition": approving is another event
            if (
                node.dep_
                in ("xcomp", "conj", "acl", "advcl", "obj", "dobj", "ccomp", "dep", "attr", "acomp")
                and node.head.i != node.i
            ):
                if node.dep_ in ("acl",) and node.head.pos_ in ("NOUN", "PROPN"):
                    found = self._mention_of(node.head)
                    if found is not None:
                        return found, True
                node = node.head
                continue
            break
        return None, seen_subject

    def _dep_object(self, tok: Any, obj_preps: set[str]) -> Mention | None:
        for child in tok.children:
            if child.dep_ in ("obj", "dobj", "iobj") and child.i != tok.i:
                found = self._mention_of(child)
                if found is None and _is_relative(child) and tok.dep_ in _RELATIVE_CLAUSE:
                    found = self._mention_of(tok.head)  # "X, que Google a rachetée"
                if found is not None and not found.is_source:
                    return found
        return None

    def _prep_before(self, m: Mention) -> str | None:
        key = (m.start, m.end)
        if key not in self.preps_seen:
            self.preps_seen[key] = self._find_prep_before(m)
        return self.preps_seen[key]

    def _find_prep_before(self, m: Mention) -> str | None:
        """The preposition just before a mention, folded, or None.

        Determiners and transparent phrases ("des produits tels que", "such
        as") are skipped; contractions are expanded ("du" → "de").
        """
        first = _WORDS.findall(fold(m.text))[:1]
        if m.kind == "description" and first and first[0] in self.rules.contractions:
            return self.rules.contractions[first[0]]  # "al banco vasco" → "a"
        before = fold(self.doc.text[self.sentence.start : m.start])
        for pattern in self.rules.transparent:
            before = pattern.sub("", before)
        words = _WORDS.findall(before)
        while (
            words
            and words[-1] in self.rules.determiners
            and words[-1] not in self.rules.contractions
        ):
            words.pop()
        if not words:
            return None
        for n in (3, 2):
            phrase = " ".join(words[-n:]).replace("' ", "'")
            if len(words) >= n and phrase in self.rules.all_preps:
                return phrase
        word = self.rules.contractions.get(words[-1], words[-1])
        if word in self.rules.all_preps or word in self.rules.prepositions:
            return word
        return None

    def _coordinated(self, m: Mention) -> list[Mention]:
        """``m`` and the mentions coordinated with it: "Bing, Office ou Copilot"."""
        if m.referents:
            # "les deux groupes": each party, pointed at by the plural mention.
            return [self._virtual(r.entity_id, m.span) for r in m.referents if r.entity_id]
        group = [m]
        index = self.actors.index(m) if m in self.actors else -1
        if index < 0:
            return group
        for step in (1, -1):
            j = index
            while 0 <= j + step < len(self.actors):
                a, b = sorted((self.actors[j], self.actors[j + step]), key=lambda x: x.start)
                gap = fold(self.doc.text[a.end : b.start]).strip()
                if not self._is_coordination_gap(gap) or self.actors[j + step].type != m.type:
                    break
                j += step
                group.append(self.actors[j])
        group.sort(key=lambda x: x.start)
        gaps = [fold(self.doc.text[a.end : b.start]) for a, b in pairwise(group)]
        if gaps and not any(g.strip() not in ("", ",") for g in gaps):
            return [m]  # "Mountain View, California", "X, Y's shareholder": no list
        return group

    def _is_coordination_gap(self, gap: str) -> bool:
        """Only commas, conjunctions and articles between two conjuncts."""
        if gap in ("", ","):
            return gap == ","
        words = [w for w in re.split(r"\s+|(?=,)|(?<=,)", gap) if w]
        allowed = set(self.rules.coordinators) | {","} | self.rules.determiners
        return all(w in allowed for w in words) and len(words) <= 4

    def _context_subject(self, obj: Mention) -> Mention | None:
        """Zero anaphora (pro-drop, infinitives): the subject of a sentence just before."""
        for index in range(
            self.sentence.index - 1, self.sentence.index - 1 - _CONTEXT_LOOKBACK, -1
        ):
            actors = [
                m
                for m in self.doc.mentions
                if m.sentence == index
                and m.entity_id
                and m.type in ("ORG", "REGULATOR")
                and not m.is_source
            ]
            if not actors:
                continue
            span = self.doc.sentences[index].span
            subjects = [
                m
                for m in actors
                if any(
                    span.doc[i].dep_.startswith("nsubj") for i in range(m.token_start, m.token_end)
                )
            ]
            best = (subjects or actors)[0]
            return best if best.entity_id != obj.entity_id else None
        return None

    def _context_object(self, subject: Mention) -> Mention | None:
        previous = [
            m
            for m in self.doc.mentions
            if self.sentence.index - _CONTEXT_LOOKBACK <= m.sentence < self.sentence.index
            and m.entity_id
            and m.type == "ORG"
            and not m.is_source
            and m.entity_id != subject.entity_id
        ]
        return previous[-1] if previous else None

    def _virtual(self, entity_id: str, span: tuple[int, int]) -> Mention:
        entity = self.doc.entities.get(entity_id)
        etype = entity.type if entity else "ORG"
        return Mention(
            text=self.doc.text[span[0] : span[1]],
            start=span[0],
            end=span[1],
            type=etype,
            kind="context",
            entity_id=entity_id,
            sentence=-1,
        )

    def _event_anaphora(self, trig: _Trigger) -> list[Claim]:
        """A bare noun ("la demande", "the deal") refers back to an earlier event."""
        if not trig.nominal or trig.relation in _ROLE_RELATIONS:
            return []  # "los accionistas" names people, not an earlier event
        for claim in reversed(self.earlier):
            if self.sentence.index - claim.sentence > _EVENT_LOOKBACK:
                break
            if claim.relation == trig.relation and claim.sentence != self.sentence.index:
                s = self._virtual(claim.subject, claim.evidence.subject_span)
                o = self._virtual(claim.object, claim.evidence.object_span)
                new = self._claim(trig, s, o, "context")
                return [new] if new else []
        return []

    # -- claims ------------------------------------------------------------

    def _arg(self, m: Mention, types: tuple[str, ...]) -> _Arg | None:
        assert m.entity_id is not None
        if m.type in types:
            return _Arg(m, m.entity_id, m.type)
        entry = self.kb.get(m.entity_id)
        if m.type in ("PER", "LOC") and entry is not None and m.type not in types:
            org = self.kb.organisation_of(entry)
            if org is not None and org.type in types:
                return _Arg(m, org.id, org.type)
        return None

    def _claim(self, trig: _Trigger, s: Mention, o: Mention, method: str) -> Claim | None:
        spec = RELATIONS[trig.relation]
        subj, obj = self._arg(s, spec.subject_types), self._arg(o, spec.object_types)
        # Swap only where the types tell the direction (PRODUCT_OF, LEADS, FINES…).
        if (subj is None or obj is None) and set(spec.subject_types).isdisjoint(spec.object_types):
            swapped_s, swapped_o = self._arg(o, spec.subject_types), self._arg(s, spec.object_types)
            if swapped_s is not None and swapped_o is not None:
                subj, obj = swapped_s, swapped_o
        if subj is None or obj is None or subj.entity_id == obj.entity_id:
            return None
        return self._make(trig.relation, trig.token, subj, obj, method)

    def _make(self, relation: str, tok: Any, subj: _Arg, obj: _Arg, method: str) -> Claim:
        s = self.sentence
        trigger = TriggerSpan(tok.text, self._start(tok), self._end(tok))
        evidence = Evidence(
            doc_id=self.doc.id,
            sentence=s.text,
            start=s.start,
            end=s.end,
            trigger=trigger,
            subject_span=subj.mention.span,
            object_span=obj.mention.span,
        )
        self._ensure_entity(subj)
        self._ensure_entity(obj)
        return Claim(
            subject=subj.entity_id,
            relation=relation,
            object=obj.entity_id,
            evidence=evidence,
            sentence=s.index,
            trigger_i=tok.i,
            method=method,
        )

    def _ensure_entity(self, arg: _Arg) -> None:
        """Metonymy may name an entity the article never mentions by name."""
        if arg.entity_id in self.doc.entities:
            return

        entry = self.kb.get(arg.entity_id)
        if entry is not None:
            self.doc.entities[entry.id] = entry.to_entity()

    # -- relations stated without a trigger word -----------------------------

    def _owner_descriptions(self) -> list[Claim]:
        """ "les propriétaires de ChatGPT", "the ChatGPT maker": PRODUCT_OF."""
        out = []
        for m in self.actors:
            if m.kind != "owner" or not m.product_id or m.entity_id is None:
                continue
            product = self.kb.get(m.product_id)
            if product is None:
                continue
            tok = self.tokens[m.token_start]
            prod_arg = _Arg(m, product.id, product.type)
            owner_arg = _Arg(m, m.entity_id, m.type)
            out.append(self._make("PRODUCT_OF", tok, prod_arg, owner_arg, "dep"))
        return out

    def _genitive_pair(self, a: Mention, b: Mention) -> tuple[Mention, Mention] | None:
        """(product, owner) when two neighbouring mentions form a genitive."""
        gap = fold(self.doc.text[a.end : b.start])
        words = gap.replace(",", " , ").split()
        if a.type == "PRODUCT" and b.type == "ORG" and words:
            glue = self.rules.genitive_preps | self.rules.product_nouns
            core = [w for w in words if w not in self.rules.determiners and w != ","]
            if not core and "," not in words:
                return a, b  # "le chatbot Gemini Google"
            if core and len(core) <= 3 and core[-1] in glue and all(w in glue for w in core):
                return a, b  # "Gemini de Google", "Azure, la plate-forme Microsoft"
        possessive = self.rules.possessive
        if (
            a.type == "ORG"
            and b.type == "PRODUCT"
            and possessive
            and gap.strip() in (possessive, possessive + " s")
        ):
            return b, a  # "Google's Gemini"
        return None

    def _genitive_products(self) -> list[Claim]:
        """ "Gemini de Google", "Google's Gemini", "Azure, la plate-forme Microsoft"."""
        out = []
        for a, b in pairwise(self.actors):
            pair = self._genitive_pair(a, b)
            if pair is None:
                continue
            product, owner = pair
            subj, obj = self._arg(product, ("PRODUCT",)), self._arg(owner, ("ORG",))
            if subj and obj and subj.entity_id != obj.entity_id:
                first, second = sorted((product, owner), key=lambda m: m.start)
                between = [
                    t for t in self.tokens[first.token_end : second.token_start] if not t.is_punct
                ]
                nouns = [t for t in between if t.pos_ == "NOUN"]
                tok = (nouns or between or [self.tokens[product.token_start]])[0]
                out.append(self._make("PRODUCT_OF", tok, subj, obj, "linear"))
        out += self._possessed_companies()
        return out

    def _possessed_companies(self) -> list[Claim]:
        """ "BT's EE": a company named as another's possession is owned by it."""
        out: list[Claim] = []
        possessive = self.rules.possessive
        if not possessive:
            return out
        for a, b in pairwise(self.actors):
            gap = fold(self.doc.text[a.end : b.start]).strip()
            if a.type != "ORG" or b.type != "ORG" or gap != possessive or a.kind == "pronoun":
                continue
            if b.token_end < len(self.tokens) and self._event_noun(self.tokens[b.token_end]):
                # "Microsoft's OpenAI partnership", "Nvidia's Arm takeover": the
                # second name modifies an event noun; it is not a possession
                # (but "BT's EE unit" is).
                continue
            owner, owned = self._arg(a, ("ORG",)), self._arg(b, ("ORG",))
            if owner and owned and owner.entity_id != owned.entity_id:
                out.append(self._make("OWNS", self.tokens[a.token_end], owner, owned, "linear"))
        return out
