"""The subjects register and the officers register as streamed .xlsx (core/xlsx.py), through the same scoped
selectors and filters as the lists (prefetched in chunks: the query count does not grow with the rows)."""

from __future__ import annotations

from django.utils import timezone

from fazhi.core.xlsx import xlsx_response
from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules, selectors

SUBJECT_HEADER = ["单位代码", "单位", "主体名称", "主体类别", "设定依据", "委托机关", "委托书文号", "委托期限至", "执法领域",
                  "有效职权数", "在岗执法人员数", "审查结论", "审查日期", "审查意见", "公告日期", "公告文号或网址", "撤销日期",
                  "撤销原因", "可否立案"]
OFFICER_HEADER = ["单位代码", "单位", "姓名", "工号/编号", "职务", "执法主体", "在岗", "离岗日期", "有效证件编号", "证件类型",
                  "发证日期", "有效期至", "证件状态", "年审通过年度", "年审", "证件数"]
CHUNK = 1000


def subjects_xlsx(*, user, query):
    filters = selectors.SubjectFilters.parse(query)
    qs = selectors.subjects(user=user, filters=filters)
    today = timezone.localdate()

    def rows():
        for s in qs.iterator(chunk_size=CHUNK):
            refusal = rules.subject_refusal(s, today)
            yield (s.unit.code, s.unit.name, s.name, s.get_kind_display(), s.basis,
                   s.entrusted_by.name if s.entrusted_by else "", s.entrustment_document, s.entrustment_until,
                   "、".join(a.name for a in s.key_areas.all()), s.n_powers, s.n_officers,
                   s.get_review_status_display(), s.reviewed_on, s.review_note, s.announced_on, s.announcement_ref,
                   s.revoked_on, s.revoke_reason, "可以" if refusal is None else "不可以")

    return xlsx_response(filename=f"执法主体台账-{today:%Y%m%d}.xlsx", sheets=[("执法主体", SUBJECT_HEADER, rows())],
                         title="执法主体台账", criteria=filters.describe())


def officers_xlsx(*, user, query):
    filters = selectors.OfficerFilters.parse(query)
    today = timezone.localdate()
    qs = selectors.officers(user=user, filters=filters, today=today)

    def rows():
        for o in qs.iterator(chunk_size=CHUNK):
            certs = list(o.certificates.all())
            cert = rules.valid_certificate(certs, today)
            state = rules.CERT_STATE_LABELS[rules.certificate_state(certs, today)]
            yield (o.unit.code, o.unit.name, o.name, o.staff_number, o.post, o.subject.name if o.subject else "",
                   "是" if o.active else "否", o.left_on, cert.number if cert else "",
                   m.CERT_KIND_LABELS.get(cert.kind, "") if cert else "", cert.issued_on if cert else None,
                   cert.expires_on if cert else None, state, cert.reviewed_year if cert else None,
                   "年审逾期" if cert and rules.review_overdue(cert, today) else "", len(certs))

    return xlsx_response(filename=f"执法人员台账-{today:%Y%m%d}.xlsx", sheets=[("执法人员", OFFICER_HEADER, rows())],
                         title="执法人员台账", criteria=filters.describe())
