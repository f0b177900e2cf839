"""The rules of publishing enforcement decisions, once: who may act, what the public sees (the masking rule),
which decisions count as published on time.

Masking (国办发〔2018〕118号 二(三)「涉及国家秘密、商业秘密、个人隐私等不宜公开的信息,依法确需公开的,要作适当
处理后公开」; 政府信息公开条例 第15条: personal privacy is not disclosed without consent): a natural person's name
(a 个体工商户 included — the operator is a person) is masked by core/masking.py (张** / 欧阳**); a legal person's or
other organisation's name is shown in full, as the 118号 practice and 企业信息公示暂行条例 第6条 (an enterprise's
administrative penalties are public information) have it. Phone, ID and e-mail in the summary are masked for
every party, and the person's name wherever the summary repeats it."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from fazhi.core.masking import mask_name, mask_text
from fazhi.core.scoping import scope_for
from fazhi.enforcement.publication.models import (CANCELLED, PERSON, PUBLISH_CLOCK, PUBLISHED, Publication,
                                                   WITHDRAWING, WITHDRAWN)

BASIS_PUBLISH = "国办发〔2018〕118号 行政执法公示制度;行政处罚法 第48条"
BASIS_WITHDRAW = "行政处罚法 第48条第2款(公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的,应当在三日内撤回)"
BASIS_MASK = "国办发〔2018〕118号 二(三);政府信息公开条例 第15条"

FORMULA_ON_TIME = ("按规定期限内公开的执法决定数 ÷ 应公开的执法决定数(已公开的,及公开期限已届满仍未公开的)"
                   "× 100%")


def can_act(user, publication) -> bool:
    """The case unit's staff (or a unit above it) and the office publish and withdraw; leaders and inspectors
    read only."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(publication.unit)


def mask_party(party: str, party_kind: str) -> str:
    party = (party or "").strip()
    return mask_name(party) if party_kind == PERSON else party


def mask_summary(summary: str, party: str, party_kind: str) -> str:
    names = (party.strip(),) if party_kind == PERSON and party else ()
    return mask_text((summary or "").strip(), names=names)


def _publish_clock(today: date | None = None, *, overdue_only: bool = False):
    """The open publish clock of a publication (overdue ones only with `overdue_only`), as a subquery."""
    from fazhi.deadlines.models import Deadline

    qs = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Publication),
                                 object_id=Cast(OuterRef("pk"), output_field=CharField()), purpose=PUBLISH_CLOCK,
                                 status=Deadline.OPEN)
    if overdue_only:
        qs = qs.filter(due__lt=today)
    return Exists(qs)


def overdue_q(today: date) -> Q:
    """Not yet published and its publish clock has run out (the due day itself is not overdue)."""
    return Q(_publish_clock(today, overdue_only=True))


def due_for_publication_q(today: date) -> Q:
    """The denominator of the on-time rate: published (then or since withdrawn), or its period has run out."""
    return Q(published_on__isnull=False) | (~Q(state=CANCELLED) & overdue_q(today))


def on_time_q() -> Q:
    return Q(published_on__isnull=False, published_late=False)


PUBLISHED_STATES = (PUBLISHED, WITHDRAWING, WITHDRAWN)
