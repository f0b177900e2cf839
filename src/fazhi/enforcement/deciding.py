"""Rules every enforcement decision shares (penalty and licence), each once."""

from __future__ import annotations

from datetime import date


def late_refusal(*, due: date | None, on: date, reason: str, period: str, basis: str) -> str | None:
    """A decision made after its legal period (`due`: the clock's due day) must say why — an approved extension
    and its document, or the law that allows it; the reason is kept with the closed clock and the case."""
    if due is None or on <= due or (reason or "").strip():
        return None
    return (f"{period}已于 {due.isoformat()} 届满,超期作出决定须填写「超期作出决定的理由」"
            f"(如 延期经负责人批准及其文号、法律法规规章的另行规定;依据:{basis})")
