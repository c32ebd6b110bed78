"""Resolve "the company", "l'azienda", "das Unternehmen", "it" and "its" to a company.

Rules, in order (a reference is left unresolved when they do not make it clear):

0. A description right next to a name describes it ("la start-up cinese DeepSeek",
   "ASML, the Dutch equipment maker").
1. A description or pronoun takes the company named earlier in the same sentence when
   exactly one (non-media) company fits; two or more different candidates -> unresolved.
2. Otherwise it takes the *topic*: the subject (first non-media company) of the closest
   earlier sentence that has one, looking back at most ``LOOKBACK`` sentences and across at
   most one paragraph break.
3. A possessive ("its", "suoi", "seine") takes the closest company before it in the same
   sentence, else the topic.
4. A description with a role ("the foundry") or a country adjective ("the Chinese company")
   only takes a company with that role / not known to be elsewhere.

News outlets ("Secondo DigiTimes, l'azienda ...") are never antecedents.
"""

from __future__ import annotations

from chipkg.loaders.text.entities import EntityBook
from chipkg.loaders.text.mentions import Mention
from chipkg.loaders.text.sentences import Sentence

LOOKBACK = 4
SAME_SENTENCE = 0.9
TOPIC = 0.85
POSSESSIVE = 0.85


def resolve_references(
    sentences: list[Sentence], groups: list[list[Mention]], book: EntityBook, text: str
) -> None:
    """Fill in ``entity`` of description, pronoun and possessive mentions, in place."""
    subjects: list[str | None] = []
    for sentence, group in zip(sentences, groups, strict=True):
        seen: list[str] = []
        genitives: set[str] = set()
        for i, m in enumerate(group):
            if m.kind == "P" and m.entity is None:
                previous = groups[sentence.index - 1] if sentence.index else []
                _product_reference(m, group, i, text, previous)
                continue
            if m.kind == "C" and m.entity is None and m.via == "description":
                _apposition(m, group, i, text)
            if m.kind in ("C", "W") and m.entity is None:
                _resolve(m, seen, genitives, sentence, sentences, subjects, book)
            if m.kind == "C" and m.entity and "media" not in book.roles(m.entity):
                seen.append(m.entity)
                if text[m.end : m.end + 2] in ("'s", "’s"):
                    genitives.add(m.entity)
        subjects.append(seen[0] if seen else None)
        group[:] = [m for m in group if m.end > m.start]


def _product_reference(
    m: Mention, group: list[Mention], i: int, text: str, previous: list[Mention]
) -> None:
    """ "die Chips", "the processors": the product named right after, else the one product
    named before in this sentence, else the one named in the previous sentence."""
    after = group[i + 1] if i + 1 < len(group) else None
    if after and after.kind == "P" and after.entity and not text[m.end : after.start].strip():
        after.start = m.start  # "les puces Ascend" is one mention of Ascend
        m.end = m.start  # emptied: dropped below
        return
    for candidates in (group[:i], previous):
        named = {
            x.entity for x in candidates if x.kind == "P" and x.entity and x.via != "description"
        }
        if len(named) == 1:
            m.entity, m.factor = named.pop(), TOPIC
            return
        if named:
            return


def _apposition(m: Mention, group: list[Mention], i: int, text: str) -> None:
    """ "la start-up cinese DeepSeek", "ASML, the Dutch equipment maker": the name itself."""
    after = group[i + 1] if i + 1 < len(group) else None
    if after and after.kind == "C" and after.entity and not text[m.end : after.start].strip():
        m.entity = after.entity
        return
    before = group[i - 1] if i > 0 else None
    closed = text[m.end : m.end + 2].lstrip()[:1] in (",", ")", "")
    if (
        before
        and before.kind == "C"
        and before.entity
        and before.via != "description"
        and text[before.end : m.start].strip() == ","
        and closed
    ):
        m.entity = before.entity


def _possessor(seen: list[str], genitives: set[str]) -> str:
    """The closest company before a possessive, skipping a possessor ("Nvidia's approval
    for its own HBM3E": "its" is not Nvidia's)."""
    for entity_id in reversed(seen):
        if entity_id not in genitives:
            return entity_id
    return seen[-1]


def _resolve(
    m: Mention,
    seen: list[str],
    genitives: set[str],
    sentence: Sentence,
    sentences: list[Sentence],
    subjects: list[str | None],
    book: EntityBook,
) -> None:
    fits = [e for e in dict.fromkeys(seen) if _fits(m, e, book)]
    if m.kind == "W" and seen:
        m.entity, m.factor = _possessor(seen, genitives), POSSESSIVE
        return
    if len(fits) == 1 and m.kind == "C":
        m.entity, m.factor = fits[0], SAME_SENTENCE
        return
    if fits:
        return
    topic = _topic(m, sentence, sentences, subjects, book)
    if topic is not None:
        m.entity, m.factor = topic, TOPIC if m.kind == "C" else POSSESSIVE


def _topic(
    m: Mention,
    sentence: Sentence,
    sentences: list[Sentence],
    subjects: list[str | None],
    book: EntityBook,
) -> str | None:
    breaks = 0
    for back in range(1, LOOKBACK + 1):
        i = sentence.index - back
        if i < 0:
            return None
        if sentences[i + 1].paragraph != sentences[i].paragraph:
            breaks += 1
            if breaks > 1:
                return None
        subject = subjects[i]
        if subject is not None:
            return subject if _fits(m, subject, book) else None
    return None


def _fits(m: Mention, entity_id: str, book: EntityBook) -> bool:
    if m.roles:
        known = book.roles(entity_id)
        if known and not known & set(m.roles):
            return False
    if m.country:
        where = book.country_of(entity_id)
        if where is not None and where != m.country:
            return False
    return True
