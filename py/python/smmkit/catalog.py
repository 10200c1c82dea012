"""A decoded catalog: its services, and the entries that could not be read."""

from __future__ import annotations

from typing import Iterable, List, Optional

from ._native import Service

__all__ = ["ServiceList", "SkippedService"]


class SkippedService:
    """A catalog entry that could not be read: its position, its id when
    readable, and why. ``str()`` gives one line, as the command line prints it."""

    __slots__ = ("index", "id", "reason", "_text")

    index: int
    id: Optional[int]
    reason: str

    def __init__(self, index: int, id: Optional[int], reason: str, text: str) -> None:  # noqa: A002
        self.index = index
        self.id = id
        self.reason = reason
        self._text = text

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"SkippedService(index={self.index}, id={self.id}, reason={self.reason!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SkippedService):
            return NotImplemented
        return (self.index, self.id, self.reason) == (other.index, other.id, other.reason)

    def __hash__(self) -> int:
        return hash((self.index, self.id, self.reason))


class ServiceList(List[Service]):
    """The services of a catalog (a ``list``), with ``skipped``: the entries
    the panel sent that could not be read, each a :class:`SkippedService`.
    One malformed entry never costs the rest of the catalog."""

    skipped: List[SkippedService]

    def __init__(self, services: Iterable[Service] = (), skipped: Iterable[SkippedService] = ()) -> None:
        super().__init__(services)
        self.skipped = list(skipped)
