"""光明村's incidents on a 390 px phone, in Chinese, axe-checked on every page (issue 14 item 3):

1. the head (周国强) records a burst pipe found on patrol a few minutes ago, issues a yellow warning on the
   village's WeChat group and dispatches the plumbers;
2. the plumber called (施永福) opens the link of his notification, answers 我去, marks 已到场 and 处置完毕;
3. the head closes it, and the incident's page shows the minutes between the steps (发现→预警 … 分钟).
"""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Notification, Role, Team
from communities.services.teams import team_member_join
from propertyservice.models import Incident, IncidentDispatch, ResponderProfile, Skill
from propertyservice.selectors.incidents import incident_moments

from ..factories import make_member
from ..propertyservice.world import make_station, make_village
from .a11y import visit
from .flows import follow, log_in, log_out

WIDTH = 390


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def shoot(page, artifacts_dir, name):
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"property-incidents-{name}.png"), full_page=True)


def main(page):
    return page.get_by_role("main")


def status(page, text):
    return page.get_by_role("status").filter(has_text=text)


@pytest.fixture
def guangming(db):
    village = make_village("guangming", "光明村")
    head = make_member(village, Role.STATION_STAFF, username="station", name="周国强")
    make_station(village, head)
    team = Team.objects.create(community=village, name="物业服务志愿队", kind=Team.Kind.VOLUNTEER_TEAM)
    plumber = make_member(village, Role.RESIDENT, username="plumber", name="施永福")
    member, _ = team_member_join(team=team, user=plumber)
    ResponderProfile.objects.create(member=member, skills=[Skill.PLUMBER], on_call_order=1)
    return {"village": village, "head": head, "plumber": plumber}


def step(page, label):
    """Press the step's button on the incident page and see it recorded."""
    form = main(page).locator("form").filter(has=page.get_by_role("button", name=label, exact=True))
    follow(page, form.get_by_role("button", name=label, exact=True))
    expect(status(page, f"已记录：{label}。")).to_be_visible()
    no_sideways_scroll(page)
    return form


def test_a_burst_pipe_is_detected_warned_dispatched_handled_and_its_page_shows_the_minutes(page, guangming, password,
                                                                                         artifacts_dir):
    # --- 1. the head records it, warns (yellow), dispatches -------------------------------------------------
    log_in(page, "station", password)
    visit(page, "/property/incidents/new/?community=guangming")
    expect(page.get_by_role("heading", level=1)).to_contain_text("记录突发事件")
    page.get_by_label("事件类型").select_option(label="爆管")
    page.get_by_label("发现方式").select_option(label="巡查发现")
    page.get_by_label("地点").fill("丁钱村民小组 12 号门前")
    page.get_by_label("情况描述").fill("主水管爆裂，路面积水。")
    found = timezone.localtime() - dt.timedelta(minutes=6)
    if found.date() == timezone.localdate():  # near midnight it is left at "now"
        page.get_by_label("发现时间（今天，不填为现在）").fill(f"{found:%H:%M}")
    follow(page, page.get_by_role("button", name="记录", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("爆管 · 丁钱村民小组 12 号门前")
    incident = Incident.objects.get()
    assert incident.urgency == Incident.Urgency.URGENT  # by kind: a burst pipe is urgent, not life-threatening
    url = f"/property/incidents/{incident.pk}/"

    shoot(page, artifacts_dir, "1-detected")
    warn = main(page).locator(f"form[action='{url}warn/']")
    warn.get_by_label("三级（黄色）").check()
    warn.get_by_label("微信群").check()
    step(page, "发布预警")
    expect(main(page)).to_contain_text("三级（黄色）")
    expect(main(page)).to_contain_text("全体村民")
    step(page, "派遣队员")
    expect(main(page).locator("section[aria-labelledby=chain-title]")).to_contain_text("施永福")
    expect(main(page).locator("section[aria-labelledby=chain-title]")).to_contain_text("呼叫中")
    log_out(page)

    # --- 2. the plumber answers from his notification's link, arrives, handles --------------------------------
    call = IncidentDispatch.objects.get(incident=incident)
    note = Notification.objects.get(recipient=guangming["plumber"])
    assert note.url == f"/property/incidents/call/{call.pk}/"
    log_in(page, "plumber", password)
    visit(page, note.url)
    expect(main(page)).to_contain_text("主水管爆裂")
    shoot(page, artifacts_dir, "2-call")
    follow(page, main(page).get_by_role("button", name="我去，确认前往"))
    expect(page).to_have_url(url)
    expect(status(page, "已确认前往")).to_be_visible()
    expect(main(page).locator("section[aria-labelledby=chain-title]")).to_contain_text("已响应")
    step(page, "已到场")
    main(page).get_by_label("处置情况").fill("关闭总阀，更换爆裂管段。")
    step(page, "处置完毕")
    log_out(page)

    # --- 3. the head closes it; the page shows the minutes between the steps -----------------------------------
    log_in(page, "station", password)
    visit(page, url)
    step(page, "关闭事件")
    expect(main(page)).to_contain_text("已关闭")
    incident.refresh_from_db()
    moments = incident_moments(incident)
    assert [m.label for m in moments] == ["发现", "预警", "派遣", "到场", "处置", "关闭"]
    timeline = main(page).locator("section[aria-labelledby=steps-title]")
    for m in moments[1:]:
        expect(timeline).to_contain_text(f"{m.previous}→{m.label} {m.minutes} 分钟")
    if found.date() == timezone.localdate():
        assert moments[1].minutes >= 5
    expect(timeline).to_contain_text("关闭总阀")
    expect(timeline).to_contain_text("到场目标 15 分钟")
    shoot(page, artifacts_dir, "3-closed")
    visit(page, "/property/incidents/?community=guangming")
    expect(main(page)).to_contain_text("丁钱村民小组 12 号门前")
