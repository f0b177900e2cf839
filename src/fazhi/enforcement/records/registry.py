"""Which records each kind of case needs (执法全过程记录, 国办发〔2018〕118号): every module registers once, in its
worklist.register() (called from EnforcementConfig.ready), a function naming the records a case needs now —
each module owns which of its steps need which record; records/rules.py asks it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WRITTEN, AV = "written", "av"
KINDS = [(WRITTEN, "文字记录"), (AV, "音像记录")]
KIND_LABELS = dict(KINDS)


@dataclass(frozen=True)
class Requirement:
    step: str  # the case's procedure step code, e.g. "investigate"
    kind: str  # WRITTEN or AV
    label: str  # the step as users read it, e.g. 调查取证
    basis: str  # why: the article or the guidance

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def text(self) -> str:
        return f"{self.label}({self.kind_label})"


REQUIRED: dict[str, Callable] = {}


def register(model_label: str, required: Callable[[object], list[Requirement]]) -> None:
    """`required(case)` -> the records the case needs now (e.g. 听证 only once a hearing is held)."""
    REQUIRED[model_label.lower()] = required


def registered(case) -> bool:
    return case._meta.label_lower in REQUIRED


def requirements(case) -> list[Requirement]:
    """What `case` needs; [] for a model nobody registered."""
    fn = REQUIRED.get(case._meta.label_lower)
    if fn is None:
        return []
    found = list(fn(case))
    for r in found:
        if r.kind not in KIND_LABELS:
            raise ValueError(f"Requirement kind {r.kind!r} is neither {WRITTEN!r} nor {AV!r}")
    return found
