"""What defines a canned query, written once: :class:`QuerySpec`.

Each query module (``reachable_suppliers.py``, ``exposure.py``...) declares one spec:
its CLI name and summary, its positional arguments and options, its typed parameters
(a frozen dataclass that validates itself), its answer model and table renderer, its
``.cypher`` file, how it resolves user text into parameters and how the embedded
engine answers. ``chipkg ask`` (usage, ``--list``, argument checks), the Python
helpers of :mod:`chipkg.queries` and the Neo4j runner all read the spec, so a query
changes in one place. Cypher rows become answers through :meth:`QuerySpec.from_row`,
the one conversion every query shares.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from chipkg.errors import InputError
from chipkg.queries.dates import as_of
from chipkg.queries.results import Answer, build, expand_paths

if TYPE_CHECKING:
    from _typeshed import DataclassInstance
    from rich.console import Console

    from chipkg.graph import Store

    #: The typed parameters of a query: a frozen dataclass of resolved ids and values.
    Params = DataclassInstance

A = TypeVar("A", bound=Answer)
P = TypeVar("P", bound="Params")

#: Field metadata: the field appears in the answer's ``params`` only when set (a flag
#: added after the JSON shape was published, so older answers keep their bytes).
SHOWN_WHEN_SET = {"shown_when_set": True}

MAX_HOPS_LIMIT = 12


def shown(params: Params) -> dict[str, Any]:
    """The answer's ``params``: every field in declaration order, flags only when set."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        if f.metadata.get("shown_when_set") and not value:
            continue
        out[f.name] = value
    return out


def cypher_params(params: Params) -> dict[str, Any]:
    """The ``$`` parameters of the query's ``.cypher`` file: every field as is."""
    return {f.name: getattr(params, f.name) for f in dataclasses.fields(params)}


def check_hops(max_hops: int) -> None:
    """``--max-hops`` is a tier count from 0 to 12."""
    if not 0 <= max_hops <= MAX_HOPS_LIMIT:
        raise InputError(f"--max-hops must be between 0 and {MAX_HOPS_LIMIT}, got {max_hops}")


def normalise_on(params: Any) -> None:
    """Replace a frozen params' ``on`` by the query date (today when empty)."""
    object.__setattr__(params, "on", as_of(params.on))


@dataclass(frozen=True)
class Arg:
    """A positional argument of ``chipkg ask NAME``."""

    metavar: str
    required: bool = True

    @property
    def usage(self) -> str:
        """How ``--list`` and error messages show it."""
        return self.metavar if self.required else f"[{self.metavar}]"


@dataclass(frozen=True)
class Opt:
    """An option of ``chipkg ask NAME``; ``name`` is the helper's keyword argument."""

    name: str
    metavar: str = ""
    required: bool = False

    @property
    def flag(self) -> str:
        """The command-line spelling (``max_hops`` -> ``--max-hops``)."""
        return "--" + self.name.replace("_", "-")

    @property
    def usage(self) -> str:
        """How ``--list`` and error messages show it (a bare flag when no metavar)."""
        text = f"{self.flag} {self.metavar}" if self.metavar else self.flag
        return text if self.required else f"[{text}]"


#: Options several queries share.
ON = Opt("on", "DATE")
ITEM = Opt("item", "ITEM")
MAX_HOPS = Opt("max_hops", "N")
ENTITY_ONLY = Opt("entity_only")
FOR_COUNTRY = Opt("for_country", "C")
THRESHOLD = Opt("threshold", "X")


@dataclass(frozen=True)
class QuerySpec(Generic[P, A]):
    """One canned query, as every part of chipkg knows it."""

    name: str
    summary: str
    args: tuple[Arg, ...]
    options: tuple[Opt, ...]
    params: type[P]
    answer: type[A]
    #: The file stem under ``cypher/`` (``reachable_suppliers`` for ``.cypher``).
    cypher: str
    #: User text (ids, names, aliases, dates) -> typed parameters; raises InputError.
    prepare: Callable[..., P]
    #: The embedded (Python) engine: the answer from a store's own data.
    python: Callable[[Store, P], A]
    #: Prints the answer as tables (``chipkg ask`` without ``--json``).
    render: Callable[[A, Console], None]
    #: The key of the Cypher row whose entries carry ``via`` id chains, if any.
    paths: str | None = None
    #: Shaping applied after the row became an answer (both engines' shapes agree).
    finish: Callable[[A], A] | None = None
    #: A conversion of its own for a row that is not in the answer's shape.
    shape: Callable[[dict[str, Any], P], A] | None = None
    #: Validate the row with pydantic (small answers) instead of trusting its shape.
    validate: bool = False

    @property
    def usage(self) -> str:
        """``BUYER [--on DATE] ...``: arguments then options, as ``--list`` shows them."""
        return " ".join([*(a.usage for a in self.args), *(o.usage for o in self.options)])

    @property
    def arity(self) -> tuple[int, int]:
        """The least and the most positional arguments."""
        return sum(a.required for a in self.args), len(self.args)

    def run(self, store: Store, *args: Any, **kwargs: Any) -> A:
        """Resolve the user's arguments and answer on ``store``."""
        return store.answer(self, self.prepare(store, *args, **kwargs))

    def from_row(self, row: dict[str, Any], params: P) -> A:
        """The answer from the single row of the query's ``.cypher`` file."""
        if self.shape is not None:
            return self.shape(row, params)
        memo = None
        if self.paths is not None:
            row, memo = expand_paths(row, self.paths)
        data = {**row, "params": shown(params)}
        answer = (
            self.answer.model_validate(data) if self.validate else build(self.answer, data, memo)
        )
        return self.finish(answer) if self.finish is not None else answer
