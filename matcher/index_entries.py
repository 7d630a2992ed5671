"""The records the index hands out: a registry name found for a party, and how it was found."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.names_zh import ZhName, derived_english
from matcher.normalize import NormName, parse_name_uncached


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One typed registry name, normalised, with the company and group it belongs to."""

    company_id: str
    group: str
    text: str
    kind: str
    norm: NormName
    foreign_group: bool
    zh: ZhName | None = None  # set on names derived from the Chinese legal name


_SLOTS = {name: NameEntry.__dict__[name] for name in ("text", "norm")}


class _LazyEntry(NameEntry):
    """A name whose norm is made on first use: most names a key finds are never read (another
    name of the same company scores higher, or the company is turned down on its places)."""

    __slots__ = ("_stop",)
    _stop: frozenset[str]

    @property  # type: ignore[override]
    def norm(self) -> NormName:
        """The name, normalised."""
        try:
            return _SLOTS["norm"].__get__(self)  # type: ignore[no-any-return]
        except AttributeError:
            norm = parse_name_uncached(self.text, self._stop)
            _SLOTS["norm"].__set__(self, norm)
            return norm


class DerivedEntry(_LazyEntry):
    """A name derived from a Chinese legal name, its English text made on first use too.

    Most derived candidates are judged on their ZhName alone and turned down (another place,
    another industry); only the best and the runner-up show their English text.
    """

    __slots__ = ()

    def __init__(
        self, company_id: str, group: str, foreign: bool, zh: ZhName, stop: frozenset[str]
    ) -> None:
        setattr_ = object.__setattr__  # frozen: each field set once, here
        setattr_(self, "company_id", company_id)
        setattr_(self, "group", group)
        setattr_(self, "kind", "derived")
        setattr_(self, "foreign_group", foreign)
        setattr_(self, "zh", zh)
        setattr_(self, "_stop", stop)

    @property  # type: ignore[override]
    def text(self) -> str:
        """The English legal name most likely used, derived from the Chinese one."""
        try:
            return str(_SLOTS["text"].__get__(self))
        except AttributeError:
            assert self.zh is not None
            text = derived_english(self.zh)
            _SLOTS["text"].__set__(self, text)
            return text


class RegistryEntry(_LazyEntry):
    """A typed registry name as written, normalised on first use."""

    __slots__ = ()

    def __init__(
        self,
        company_id: str,
        group: str,
        text: str,
        kind: str,
        foreign: bool,
        stop: frozenset[str],
    ) -> None:
        setattr_ = object.__setattr__  # frozen: each field set once, here
        setattr_(self, "company_id", company_id)
        setattr_(self, "group", group)
        setattr_(self, "text", text)
        setattr_(self, "kind", kind)
        setattr_(self, "foreign_group", foreign)
        setattr_(self, "zh", None)
        setattr_(self, "_stop", stop)


@dataclass(frozen=True, slots=True)
class Hit:
    """A registry name found for a party name, and how it was found."""

    entry: NameEntry
    how: str  # exact | contains | fuzzy | pinyin | derived | derived_typo
    start: int = 0
    similarity: float = 1.0
