"""How a claim is asserted: asserted, reported, rumored, speculative or negated.

Cues come from ``data/modality.yaml`` and are found on the same token view the
relation was matched on. Their reach:

* a **negation** counts only inside the claim's own words (between its two entities);
* **speculative** and **rumour** cues count inside those words or before them in the
  same clause ("Si dice che DeepSeek ...", "DeepSeek could ..."), not across a clause
  break (";", ", but", "mentre", "während"...);
* an **attribution** ("according to Reuters", "secondo DigiTimes", "laut Reuters")
  holds for the whole sentence and names ``attributed_to``;
* a **frame**: an attribution or hedge opening the first sentence of a paragraph
  ("According to Reuters, ...", "Reportedly, ...", "Secondo DigiTimes, ...") also
  governs the later sentences of that paragraph that carry no cue of their own
  (confidence x0.9); it ends at the paragraph break. A complement-taking hedge
  ("Si dice che ...", "It is believed that ...") reaches only its own sentence.

Order: negated > speculative > reported (attributed) > rumored > asserted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from chipkg.loaders.text.resources import Cues, cues

FACTOR = {"asserted": 1.0, "reported": 0.85, "rumored": 0.7, "speculative": 0.6, "negated": 0.85}
FRAME_FACTOR = 0.9
_NAME_STOP = re.compile(
    r"^(?:The|A|An|It|This|That|These|Those|Analysts?|Sources?|Experts?|Officials?|People|"
    r"Il|La|Lo|Gli|Le|Der|Die|Das|Le|Les|Un|Una|Ein|Eine)$"
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in a view."""

    start: int
    end: int
    kind: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Frame:
    """A paragraph-opening hedge or attribution."""

    modality: str
    source: str | None


@dataclass(frozen=True)
class _Compiled:
    kinds: re.Pattern[str] | None
    attribution: re.Pattern[str] | None
    framing: tuple[re.Pattern[str], ...]
    breaks: re.Pattern[str] | None


_KINDS = ("not_negation", "rumored", "reportative", "speculative", "negated")


def _src(n: int) -> str:
    name = r"(?-i:[A-Z][\w&'.-]*(?:\s+(?:of\s+|the\s+|de\s+|di\s+)?[A-Z][\w&'.-]*){0,3})"
    return f"(?:\ue000(?P<tok{n}>[CNG]\\d+)\ue001|(?P<name{n}>{name}))"


def _alt(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?<!\\w)(?:{p})(?!\\w)" for p in patterns), re.I)


_SRC_RE = re.compile(r"\{src\}")


def _with_src(patterns: list[str], counter: list[int]) -> list[str]:
    out = []
    for p in patterns:

        def number(_m: re.Match[str]) -> str:
            counter[0] += 1
            return _src(counter[0])

        body = _SRC_RE.sub(number, p)
        out.append(f"(?<!\\w)(?:{body})(?!\\w)")
    return out


@cache
def _compiled(lang: str) -> _Compiled:
    """One regex for all cue kinds (a negation exception listed first wins over "not"),
    one for attributions, the framing openers, and the clause breaks."""
    data: Cues = cues(lang)
    groups = []
    for kind in _KINDS:
        patterns = getattr(data, kind)
        if patterns:
            body = "|".join(f"(?:{p})" for p in patterns)
            groups.append(f"(?P<{kind}>{body})")
    kinds = re.compile(f"(?<!\\w)(?:{'|'.join(groups)})(?!\\w)", re.I) if groups else None
    counter = [0]
    attribution = _with_src(data.attribution, counter)
    return _Compiled(
        kinds,
        re.compile("|".join(attribution), re.I) if attribution else None,
        tuple(re.compile(p, re.I) for p in _with_src(data.framing, counter)),
        _alt(data.clause_breaks),
    )


NameOf = Callable[[int], str | None]


def _source(m: re.Match[str], name_of: NameOf) -> str | None:
    for key, value in m.groupdict().items():
        if not value:
            continue
        if key.startswith("tok"):
            return name_of(int(value[1:]))
        if key.startswith("name") and not _NAME_STOP.match(value.split()[0]):
            return value.strip(" .,")
    return None


@dataclass
class ViewCues:
    """All cues of one view and its clause breaks."""

    cues: list[Cue]
    breaks: list[int]

    @property
    def own(self) -> bool:
        """Whether the view carries an attribution or hedge of its own."""
        return any(c.kind in ("attribution", "rumored", "reportative") for c in self.cues)


def find_cues(text: str, lang: str, name_of: NameOf) -> ViewCues:
    """Every modality cue and clause break in a view's text."""
    comp = _compiled(lang)
    found: list[Cue] = []
    if comp.kinds is not None:
        for m in comp.kinds.finditer(text):
            if m.lastgroup and m.lastgroup != "not_negation":
                found.append(Cue(m.start(), m.end(), m.lastgroup))
    if comp.attribution is not None:
        for m in comp.attribution.finditer(text):
            source = _source(m, name_of)
            if source:
                found.append(Cue(m.start(), m.end(), "attribution", source))
    breaks = [m.start() for m in comp.breaks.finditer(text)] if comp.breaks else []
    return ViewCues(found, breaks)


def find_frame(text: str, lang: str, name_of: NameOf) -> Frame | None:
    """The frame a paragraph's first sentence sets, if it opens with one."""
    stripped = text.lstrip()
    for regex in _compiled(lang).framing:
        m = regex.match(stripped)
        if m:
            source = _source(m, name_of)
            return Frame("reported" if source else "rumored", source)
    return None


@dataclass(frozen=True)
class Decision:
    """The modality of one claim and where it came from."""

    modality: str
    attributed_to: str | None
    from_frame: bool
    ignored: frozenset[int]


def decide(
    view_cues: ViewCues,
    span: tuple[int, int],
    frame: Frame | None,
    ended: bool = False,
    absorbed: tuple[tuple[int, int], ...] = (),
) -> Decision:
    """Apply the scope rules of the module docstring to one claim span.

    ``absorbed`` are spans of cues that a rule already used (e.g. "sta valutando" read as
    a DEVELOPS status), which then do not count again as speculation.
    """
    start, end = span

    def inside(c: Cue) -> bool:
        return start <= c.start and c.end <= end

    def before(c: Cue) -> bool:
        return c.end <= start and not any(c.end <= b <= start for b in view_cues.breaks)

    live = [c for c in view_cues.cues if not any(c.start < b and a < c.end for a, b in absorbed)]
    negated = any(c.kind == "negated" and inside(c) for c in live)
    speculative = any(c.kind == "speculative" and (inside(c) or before(c)) for c in live)
    rumour = any(c.kind in ("rumored", "reportative") and (inside(c) or before(c)) for c in live)
    source = next((c.source for c in live if c.kind == "attribution"), None)
    use_frame = frame is not None and not view_cues.own
    if use_frame and frame is not None and source is None:
        source = frame.source
    if negated and not ended:
        modality = "negated"
    elif speculative:
        modality = "speculative"
    elif source is not None:
        modality = "reported"
    elif rumour:
        modality = "rumored"
    elif use_frame and frame is not None:
        modality = frame.modality
    else:
        modality = "asserted"
    return Decision(modality, source, use_frame, frozenset())
