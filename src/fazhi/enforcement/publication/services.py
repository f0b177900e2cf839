"""Writes of the publication of decisions, each in one transaction: due (called by the penalty and licence
services in the transaction of their decision), publish, withdrawal due, withdraw. Every period is the deadline
engine's (the clock on the Publication decides on time or late)."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from fazhi.core import cleaning
from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.core.services import event_record
from fazhi.deadlines import services as clocks
from fazhi.deadlines.models import Deadline
from fazhi.enforcement.publication import rules
from fazhi.enforcement.publication.models import (CANCELLED, CURRENT_STATES, DUE, LIVE_STATES, PARTY_KIND_LABELS, PUBLISH_CLOCK,
                                                   PUBLISHED, RULE_KINDS, WITHDRAW_CLOCK, WITHDRAWING, WITHDRAWN,
                                                   Publication)


def publication_for(case) -> Publication | None:
    """The case's publication: the current one (due or published), else one to be withdrawn, else the latest."""
    qs = Publication.objects.for_case(case)
    return (qs.filter(state__in=CURRENT_STATES).first() or qs.filter(state__in=LIVE_STATES).order_by("-id").first()
            or qs.order_by("-id").first())


def _text(value, field: str, label: str, max_length: int | None = None) -> str:
    return cleaning.text(value, field=field, label=label, limit=max_length or cleaning.TEXT_MAX)


def _date(value, field: str, label: str) -> date:
    return cleaning.day(value, field=field, label=label)


def _clock(pub: Publication, purpose: str) -> Deadline | None:
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(pub), object_id=str(pub.pk),
                                   purpose=purpose).first()


@transaction.atomic
def publication_due(case, *, rule: str, decided_on: date, title: str, document_number: str, party: str,
                    party_kind: str, summary: str, actor) -> Publication:
    """A decision to be published: the Publication (unit = case.unit, masked now) and its clock from `decided_on`.
    A second call for the same case updates the unpublished row (and counts its clock from the new date); once
    published, a changed decision goes through publication_withdraw_due first."""
    if rule not in RULE_KINDS:
        raise InvalidInput(f"未知的公开期限规则「{rule}」,可用: {'、'.join(RULE_KINDS)}", field="rule")
    decided_on = _date(decided_on, "decided_on", "决定日期")
    title = _text(title, "title", "标题", 200)
    document_number = _text(document_number, "document_number", "决定书文号", 100)
    party = _text(party, "party", "当事人", 200)
    if party_kind not in PARTY_KIND_LABELS:
        choices = "、".join(f"{k}({v})" for k, v in PARTY_KIND_LABELS.items())
        raise InvalidInput(f"「当事人类别」{party_kind} 无效,可选: {choices}", field="party_kind")
    summary = _text(summary, "summary", "主要内容")
    values = {"rule": rule, "kind": RULE_KINDS[rule], "title": title, "document_number": document_number,
              "party_kind": party_kind, "party_masked": rules.mask_party(party, party_kind),
              "summary_masked": rules.mask_summary(summary, party, party_kind), "decided_on": decided_on}
    ct = ContentType.objects.get_for_model(case)
    pub = (Publication.objects.select_for_update().filter(content_type=ct, object_id=str(case.pk),
                                                          state__in=CURRENT_STATES).first())
    if pub is not None and pub.state != DUE:
        raise Conflict(f"该决定已于 {pub.published_on} 公开;决定变更、撤销的,请先撤回原公开信息"
                       f"({rules.BASIS_WITHDRAW})", code="publication.published")
    restart = pub is None or pub.decided_on != decided_on or pub.rule != rule
    if pub is None:
        pub = Publication(unit_id=case.unit_id, content_type=ct, object_id=str(case.pk), created_by=_user(actor))
    for field, value in values.items():
        setattr(pub, field, value)
    pub.save()
    if restart:
        clocks.deadline_open(obj=pub, unit=pub.unit, purpose=PUBLISH_CLOCK, rule_id=rule, start=decided_on,
                             actor=actor)
    event_record(verb="publication.due", summary=f"执法决定待公开:{document_number}", actor=actor,
                 unit_id=pub.unit_id, obj=pub)
    return pub


@transaction.atomic
def publication_publish(*, publication: Publication, on: date, actor, expected_version: int | None = None) -> Publication:
    """公开: the decision goes on the public page on `on`; the clock closes, on time or late as the engine says."""
    pub = _locked(publication, expected_version)
    if actor is not None and not rules.can_act(actor, pub):
        raise NotAllowed("只有作出决定的单位或法制办可以公开执法决定")
    if pub.state != DUE:
        raise Conflict(f"该决定{pub.state_label},不能再公开", code="publication.state")
    on = _date(on, "on", "公开日期")
    if on < pub.decided_on:
        raise InvalidInput(f"「公开日期」不能早于决定日期 {pub.decided_on}", field="on")
    clock = _clock(pub, PUBLISH_CLOCK)
    late = None
    if clock is not None and clock.status == Deadline.OPEN:
        clock = clocks.deadline_close(deadline=clock, met=True, on=on, actor=actor)
        late = bool(clock.late)
    pub.state, pub.published_on, pub.published_late, pub.published_by = PUBLISHED, on, late, _user(actor)
    pub.version += 1
    pub.save()
    event_record(verb="publication.published", summary=f"公开执法决定:{pub.document_number}"
                 + ("(逾期)" if late else ""), actor=actor, unit_id=pub.unit_id, obj=pub)
    return pub


@transaction.atomic
def publication_withdraw_due(case, *, on: date, reason: str, actor) -> Publication | None:
    """The case's decision was changed, revoked, confirmed illegal or void on `on`: a published decision is to be
    withdrawn (for a penalty within `penalty.withdraw_publication`, counted from `on`); one not yet published
    needs no publication any more (its clock is stopped). None when the case has no live publication."""
    on = _date(on, "on", "撤回事由发生日期")
    reason = _text(reason, "reason", "撤回原因")
    pub = (Publication.objects.select_for_update().for_case(case).filter(state__in=CURRENT_STATES).first()
           or Publication.objects.select_for_update().for_case(case).filter(state=WITHDRAWING).first())
    if pub is None:
        return None
    if pub.state == DUE:
        clock = _clock(pub, PUBLISH_CLOCK)
        if clock is not None and clock.status == Deadline.OPEN:
            clocks.deadline_close(deadline=clock, met=False, on=max(on, clock.start), actor=actor, reason=reason)
        pub.state, pub.withdraw_reason = CANCELLED, reason
        verb, text = "publication.cancelled", "决定变更,无需公开原决定"
    elif pub.state == PUBLISHED:
        pub.state, pub.withdraw_from, pub.withdraw_reason = WITHDRAWING, on, reason
        if pub.withdraw_rule:
            clocks.deadline_open(obj=pub, unit=pub.unit, purpose=WITHDRAW_CLOCK, rule_id=pub.withdraw_rule, start=on,
                                 actor=actor)
        verb, text = "publication.withdraw_due", "公开的决定应撤回"
    else:  # already to be withdrawn: the first cause stands, its clock runs
        return pub
    pub.version += 1
    pub.save()
    event_record(verb=verb, summary=f"{text}:{pub.document_number}", actor=actor, unit_id=pub.unit_id, obj=pub,
                 reason=reason)
    return pub


@transaction.atomic
def publication_withdraw(*, publication: Publication, on: date, actor, reason: str = "",
                         expected_version: int | None = None) -> Publication:
    """撤回: the decision leaves the public page on `on`. After publication_withdraw_due its clock closes (on time
    or late); a withdrawal the unit starts itself (e.g. a published error) states its reason here."""
    pub = _locked(publication, expected_version)
    if actor is not None and not rules.can_act(actor, pub):
        raise NotAllowed("只有作出决定的单位或法制办可以撤回公开信息")
    if pub.state not in (PUBLISHED, WITHDRAWING):
        raise Conflict(f"该决定{pub.state_label},不能撤回", code="publication.state")
    on = _date(on, "on", "撤回日期")
    if on < pub.published_on:
        raise InvalidInput(f"「撤回日期」不能早于公开日期 {pub.published_on}", field="on")
    if pub.state == PUBLISHED:
        pub.withdraw_reason = _text(reason, "reason", "撤回原因")
        pub.withdraw_from = on
    clock = _clock(pub, WITHDRAW_CLOCK)
    if clock is not None and clock.status == Deadline.OPEN:
        clock = clocks.deadline_close(deadline=clock, met=True, on=on, actor=actor)
        pub.withdrawn_late = bool(clock.late)
    pub.state, pub.withdrawn_on = WITHDRAWN, on
    pub.version += 1
    pub.save()
    event_record(verb="publication.withdrawn", summary=f"撤回公开的执法决定:{pub.document_number}", actor=actor,
                 unit_id=pub.unit_id, obj=pub, reason=pub.withdraw_reason)
    return pub


def _locked(publication: Publication, expected_version: int | None) -> Publication:
    from fazhi.core.errors import StaleEdit

    pub = Publication.objects.select_for_update().get(pk=publication.pk)
    if expected_version is not None and pub.version != expected_version:
        raise StaleEdit()
    return pub


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
