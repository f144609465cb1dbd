"""光明村's station and its people on a 390 px phone, in Chinese, axe-checked on every page:

1. a head (周国强) opens the station page: the two heads, the missing police filing warned, 丁卫东's lapsing
   保安员证 marked; renews it on 丁卫东's staff page;
2. enters a villager's application for 绿化保洁, starts the training, records a failed assessment, the retake,
   a pass and hires her;
3. adds a training session and ticks who came;
4. 丁卫东 acknowledges the station rules; the villager (in 长辈模式) sees the heads and posts but no certificate
   number.

Built with the services on the real clock (certificates relative to today)."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Person, Qualification, Rota, User
from communities.services.documents import document_adopt, document_draft
from propertyservice.models import CertificateKind, PostKind, Recruit, StaffPost, TrainingAttendance
from propertyservice.services.station import certificate_record, post_ensure
from propertyservice.station_rules import KIND

from ..propertyservice.world import (  # noqa: F401
    committee, head, head2, make_house, make_station, make_village, station, staff_member, village, villager,
)
from .a11y import visit
from .flows import body_font_px, follow, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def main(page):
    return page.get_by_role("main")


@pytest.fixture
def setup(village, committee, head, station, staff_member, villager):
    today = timezone.localdate()
    training = Qualification.objects.create(community=village, name="物业服务岗位培训")
    rota = Rota.objects.create(community=village, name="服务站值班巡逻", kind=Rota.Kind.PATROL, manager=head,
                               required_qualification=training)
    post_ensure(actor=committee, community=village, kind=PostKind.PATROL, name="巡逻",
                certificate_kind=CertificateKind.GUARD, security=True, rotas=[rota])
    greening, _ = post_ensure(actor=committee, community=village, kind=PostKind.GREENING, name="绿化保洁")
    guard = Person.objects.get(user=staff_member)
    certificate_record(actor=committee, community=village, person=guard, kind=CertificateKind.GUARD,
                       number="沪保0310019876", issued_on=today - dt.timedelta(days=1000),
                       expires_on=today + dt.timedelta(days=12), issued_by="上海市公安局宝山分局")
    version = document_draft(actor=head, community=village, kind=KIND, title="服务站管理制度",
                             body="一、巡逻制度。\n二、交接班制度。")
    document_adopt(actor=head, version_id=version.pk)
    return {"guard": guard, "greening": greening, "villager": Person.objects.get(user=villager)}


def test_the_station_its_people_recruitment_and_training(page, setup, village, password):
    q = f"?community={village.slug}"
    guard = setup["guard"]

    # --- 1. the station page and a renewal ------------------------------------------------------------------
    log_in(page, "head", password)
    visit(page, f"/property/station/{q}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("物业管理服务站")
    expect(main(page)).to_contain_text("周国强")
    expect(main(page)).to_contain_text("施建华")
    expect(main(page)).to_contain_text("尚未登记公安机关备案")
    expect(main(page).locator(f"[data-staff='{guard.pk}']")).to_have_attribute("data-standing", "lapsing")
    follow(page, main(page).get_by_role("link", name="丁卫东"))
    expect(main(page)).to_contain_text("即将到期")
    form = main(page).locator("form[action*='/certificate/']")
    form.locator("select[name=kind]").select_option("guard")
    form.get_by_label("证书编号").fill("沪保0310029999")
    today = timezone.localdate()
    form.get_by_label("发证日期").fill(today.isoformat())
    form.get_by_label("有效期至").fill((today + dt.timedelta(days=1095)).isoformat())
    form.get_by_label("发证机关").fill("上海市公安局宝山分局")
    follow(page, form.get_by_role("button", name="登记证书"))
    expect(main(page)).not_to_contain_text("即将到期")
    expect(main(page)).to_contain_text("沪保0310029999")

    # --- 2. recruitment ------------------------------------------------------------------------------------
    visit(page, f"/property/station/recruits/{q}")
    form = main(page).locator("form")
    form.get_by_label("应聘人").select_option(str(setup["villager"].pk))
    form.get_by_label("应聘岗位").select_option(str(setup["greening"].pk))
    follow(page, form.get_by_role("button", name="登记报名"))
    expect(main(page).locator("[data-status]")).to_have_text("已报名")
    follow(page, main(page).get_by_role("button", name="开始培训"))
    expect(main(page).locator("[data-status]")).to_have_text("培训中")
    main(page).get_by_label("未通过").check()
    main(page).get_by_label("得分").fill("45")
    follow(page, main(page).get_by_role("button", name="记录考核结果"))
    expect(main(page).locator("[data-status]")).to_have_text("考核未通过")
    follow(page, main(page).get_by_role("button", name="重新培训补考"))
    main(page).get_by_label("通过", exact=True).check()
    main(page).get_by_label("得分").fill("82")
    follow(page, main(page).get_by_role("button", name="记录考核结果"))
    follow(page, main(page).get_by_role("button", name="录用上岗"))
    expect(main(page).locator("[data-status]")).to_have_text("已录用")
    assert Recruit.objects.get().status == Recruit.Status.HIRED
    assert StaffPost.objects.filter(person=setup["villager"], post=setup["greening"]).exists()

    # --- 3. a training session and its attendance -----------------------------------------------------------
    visit(page, f"/property/station/training/{q}")
    form = main(page).locator("form")
    form.get_by_label("培训内容").fill("消防安全与灭火器使用")
    form.get_by_label("日期").fill(today.isoformat())
    form.get_by_label("开始时间").fill("14:00")
    form.get_by_label("学时").fill("2")
    follow(page, form.get_by_role("button", name="添加"))
    main(page).get_by_label("丁卫东").check()
    follow(page, main(page).get_by_role("button", name="保存出席"))
    assert TrainingAttendance.objects.filter(person=guard, present=True).count() == 1
    log_out(page)

    # --- 4. the rules acknowledged; a villager's view -------------------------------------------------------
    log_in(page, "guard", password)
    visit(page, f"/property/station/rules/{q}")
    follow(page, main(page).get_by_role("button", name="我已阅读并遵守"))
    expect(main(page)).to_contain_text("您已于")
    log_out(page)
    User.objects.filter(username="villager").update(elder_mode=True)  # 长辈模式: bigger text, still accessible
    log_in(page, "villager", password)
    visit(page, f"/property/station/{q}")
    expect(main(page)).to_contain_text("周国强")
    expect(main(page)).to_contain_text("绿化保洁")
    expect(main(page)).not_to_contain_text("沪保0310029999")
    assert body_font_px(page) > 16
