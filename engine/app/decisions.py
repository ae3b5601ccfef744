"""The decisions in force, folded from a session's events.

Takes the events of a session (oldest first) and gives, per post, the
resolution in force (accept, choose or defer, with the person) and the
people excluded from it. A later event on the same post revises an earlier
one; ``reopen`` withdraws a resolution and ``lift`` an exclusion. Nothing
is deleted: the events stay, this is only their sum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.app.i18n import Msg, msg
from engine.app.store import Event

__all__ = ["DecisionError", "InForce", "PostDecision", "fold", "proposed_key"]

RESOLUTIONS = ("accept", "choose", "defer")


@dataclass
class PostDecision:
    """What is in force for one post."""

    resolution: Event | None = None
    excluded: dict[str, Event] = field(default_factory=dict)  # nip -> exclude event


@dataclass
class InForce:
    """The decisions in force for every decided post."""

    posts: dict[str, PostDecision] = field(default_factory=dict)

    def pins(self) -> list[tuple[str, str]]:
        """(nip, jabatan_id) pairs the committee fixed: accepted or chosen people."""
        return sorted(
            (d.resolution.nip, pid)
            for pid, d in self.posts.items()
            if d.resolution is not None
            and d.resolution.kind in ("accept", "choose")
            and d.resolution.nip
        )

    def bans(self) -> list[tuple[str, str]]:
        """(nip, jabatan_id) pairs the committee excluded."""
        return sorted((nip, pid) for pid, d in self.posts.items() for nip in d.excluded)

    def status(self, jabatan_id: str) -> str:
        """open, accept, choose or defer."""
        d = self.posts.get(jabatan_id)
        return d.resolution.kind if d and d.resolution else "open"

    def key(self) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """What the solve depends on: the pins and the bans."""
        return tuple(self.pins()), tuple(self.bans())


def fold(events: Iterable[Event]) -> InForce:
    """The decisions in force after ``events``, in order."""
    out = InForce()
    for e in events:
        d = out.posts.setdefault(e.jabatan_id, PostDecision())
        if e.kind in RESOLUTIONS:
            d.resolution = e
        elif e.kind == "reopen":
            d.resolution = None
        elif e.kind == "exclude" and e.nip:
            d.excluded[e.nip] = e
        elif e.kind == "lift" and e.nip:
            d.excluded.pop(e.nip, None)
    return out


ACTIONS = ("accept", "choose", "exclude", "defer", "reopen", "lift")
NEEDS_NIP = ("choose", "exclude", "lift")
NEEDS_REASON = ("choose", "exclude", "defer")
NAMES_PERSON = (*NEEDS_NIP, "accept")


class DecisionError(ValueError):
    """A decision that cannot be made as asked; ``msg`` says why and what to do (in either
    language; ``str()`` gives it in English)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.msg = message


# The buttons' names of the decisions, as the pages show them (engine.app.i18n translates).
ACTION_NAMES = {
    "accept": "Terima usulan",
    "choose": "Pilih calon lain",
    "exclude": "Kecualikan",
    "defer": "Tunda",
    "reopen": "Buka kembali",
    "lift": "Cabut pengecualian",
}


def proposed_key(
    inforce: InForce, action: str, jabatan_id: str, nip: str | None
) -> tuple[tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]], str | None]:
    """The pins and bans in force once ``action`` is taken on ``jabatan_id``.

    ``nip`` is the person chosen, excluded or freed (for ``accept``, the
    person the current plan puts in the post). Returns the key to solve and
    the NIP the event records.
    """
    if action not in ACTIONS:
        raise DecisionError(
            msg(
                "keputusan '{action}' tidak dikenal; pilihan: {allowed}",
                action=action[:20],
                allowed=", ".join(ACTIONS),
            )
        )
    if action in NAMES_PERSON and not nip:
        raise DecisionError(
            msg(
                "menerima usulan perlu pegawai yang diusulkan (jabatan ini tidak terisi: tunda "
                "atau pilih seseorang)"
            )
            if action == "accept"
            else msg(
                "keputusan '{action}' perlu seorang pegawai (NIP)",
                action=Msg(ACTION_NAMES[action]),
            )
        )
    pins = [p for p in inforce.pins() if p[1] != jabatan_id]
    bans = set(inforce.bans())
    if action in ("accept", "choose"):
        if (nip, jabatan_id) in bans:
            raise DecisionError(
                msg("pegawai ini dikecualikan dari jabatan ini; cabut pengecualiannya dahulu")
            )
        pins.append((str(nip), jabatan_id))
    elif action == "exclude":
        if (nip, jabatan_id) in inforce.pins():
            raise DecisionError(
                msg("pegawai ini pilihan tim untuk jabatan ini; buka kembali jabatan ini dahulu")
            )
        if (nip, jabatan_id) in bans:
            raise DecisionError(msg("pegawai ini sudah dikecualikan dari jabatan ini"))
        pins = inforce.pins()
        bans.add((str(nip), jabatan_id))
    elif action == "lift":
        if (nip, jabatan_id) not in bans:
            raise DecisionError(msg("pegawai ini tidak dikecualikan dari jabatan ini"))
        pins = inforce.pins()
        bans.discard((str(nip), jabatan_id))
    return (tuple(sorted(pins)), tuple(sorted(bans))), (nip if action in NAMES_PERSON else None)
