"""One normative document in a real browser, from drafting through public consultation (an opinion submitted
on the public page and answered by the drafting unit) to publication, filing with its four materials and the
office's filing review. The steps between (听证/专家论证 不适用 and their approval, 协调分歧, 送审, 法制审查,
讨论决定) are scripted through the same step actions, to keep the test short."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from captcha.models import CaptchaStore

from fazhi.core.testing.browser import login
from fazhi.normdocs import rules
from fazhi.normdocs.models import Filing, NormativeDocument
from fazhi.normdocs.scripted import PDF, act, not_applicable
from fazhi.org import demo as org_demo
from fazhi.org.models import User
from fazhi.portal.models import Consultation

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "城市养犬管理规定"


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    org_demo.load()
    return live_server.url


def submit_step(page, step: str, **fields):
    form = page.locator(f"[data-testid=step-actions] form[data-step={step}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=re.compile("^办理")).click()


def test_document_from_drafting_through_consultation_to_filing_review(new_page, site, tmp_path):
    unit = new_page()
    login(unit, site, "d01")
    unit.goto(f"{site}/normdocs/new/")
    unit.get_by_label("文件名称").fill(TITLE)
    unit.get_by_label("文件内容(草案)").fill("第一条 为规范养犬行为,制定本规定。")
    unit.get_by_label("涉及公众利益或社会影响面广(必须公开征求意见)").check()
    with unit.expect_navigation():
        unit.get_by_role("button", name="保存草案").click()
    doc = NormativeDocument.objects.get(title=TITLE)
    assert urlsplit(unit.url).path == f"/normdocs/{doc.pk}/"
    submit_step(unit, "draft")
    submit_step(unit, "solicit")

    # The flag makes public consultation mandatory: 不适用 is refused with the basis named.
    form = unit.locator("[data-testid=step-actions] form[data-step=public_consult]")
    form.locator("[name=not_applicable]").check()
    form.locator("[name=reason]").fill("时间紧")
    with unit.expect_navigation():
        form.get_by_role("button", name="办理「公开征求意见」").click()
    assert "必须公开征求意见" in unit.locator("body").inner_text()

    # Open the consultation on the public site.
    today = rules.today()
    consult = unit.get_by_test_id("consultation-open")
    consult.get_by_label("开始日期").fill(today.isoformat())
    consult.get_by_label("截止日期").fill((today + timedelta(days=20)).isoformat())
    with unit.expect_navigation():
        consult.get_by_role("button").click()
    consultation = Consultation.objects.get()
    assert "征求中" in unit.get_by_test_id("consultation-state").inner_text()

    # A member of the public gives an opinion on the public page.
    person = new_page()
    person.goto(f"{site}/public/consultations/")
    with person.expect_navigation():
        person.get_by_role("link", name=TITLE).first.click()
    person.get_by_label("意见内容").fill("建议明确大型犬的目录。")
    key = person.locator("input[name=captcha_0]").input_value()
    person.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=key).response)
    with person.expect_navigation():
        person.get_by_role("button", name="提交意见").click()
    assert person.get_by_test_id("tracking-no").inner_text().strip()

    # The drafting unit answers it (部分采纳, with the reason).
    unit.goto(f"{site}{consultation.get_absolute_url()}")
    unit.get_by_label("采纳情况").first.select_option("partly")
    unit.get_by_label("理由").first.fill("目录由公安机关另行公布,增加引用条款")
    with unit.expect_navigation():
        unit.get_by_role("button", name="反馈采纳情况").first.click()
    assert "部分采纳" in unit.locator("main, body").first.inner_text()

    # The period ends (time passes: the consultation's dates move back 30 days); the step now counts.
    Consultation.objects.filter(pk=consultation.pk).update(starts_on=today - timedelta(days=30),
                                                           ends_on=today - timedelta(days=10))
    unit.goto(f"{site}/normdocs/{doc.pk}/")
    submit_step(unit, "public_consult")
    assert "已办理「公开征求意见」" in unit.locator("body").inner_text()

    d01, office = User.objects.get(username="d01"), User.objects.get(username="fzb")
    for code in ("hearing", "expert"):
        not_applicable(doc, d01, office, code, reason="不涉及")
    for step in ("coordinate", "submit_review"):
        act(doc, d01, step)
    act(doc, office, "legality_review", outcome="pass")
    act(doc, d01, "decide")

    # 签发公布: the 文号 comes from the unit's series; until filed it has no legal effect.
    unit.goto(f"{site}/normdocs/{doc.pk}/")
    submit_step(unit, "publish", channel="区政府门户网站")
    assert unit.get_by_test_id("doc-number").inner_text() == f"{rules.number_code(doc.unit)}〔{today.year}〕1号"
    assert unit.get_by_test_id("no-effect").is_visible()

    # 报备 with the four materials.
    form = unit.locator("[data-testid=step-actions] form[data-step=file]")
    for name in ("report", "text", "explanation", "legality"):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(PDF)
        form.locator(f"input[name={name}]").set_input_files(str(path))
    with unit.expect_navigation():
        form.get_by_role("button", name="办理「报备」").click()
    assert unit.get_by_test_id("no-effect").count() == 0
    filing = Filing.objects.get(document=doc)

    # The office reviews the filing: 合法.
    reviewer = new_page()
    login(reviewer, site, "fzb")
    reviewer.goto(f"{site}/normdocs/filings/{filing.pk}/")
    assert reviewer.get_by_test_id("materials").locator("li").count() == 4
    form = reviewer.locator("[data-testid=step-actions] form[data-step=review]")
    form.locator("select[name=outcome]").select_option("lawful")
    with reviewer.expect_navigation():
        form.get_by_role("button", name="办理「备案审查」").click()
    assert reviewer.get_by_test_id("filing-state").inner_text() == "审查合法"

    # The public page shows it in force.
    person.goto(f"{site}/public/documents/?q={TITLE}")
    with person.expect_navigation():
        person.get_by_role("link", name=TITLE).click()
    assert person.get_by_test_id("public-status").inner_text() == "有效"
