"""光明村's patrols on a 390 px phone, in Chinese, axe-checked on every page (issue 14 item 2):

1. 丁卫东, on tonight's patrol shift (the core rota engine, kind 巡逻), opens 我的巡逻 from the station hub, turns
   on 长辈模式, scans the first and the last checkpoint of 丁钱夜巡 (the QR codes open the scan page) and skips the
   middle one;
2. the shift ends and the beat task's service closes the run: one checkpoint missed, flagged;
3. 周国强, a head of the station, finds the flagged run on the heads' board (/property/board/), follows it to the
   core shift page and sees the flag there (the patrols' panel).

The shift is placed around ``timezone.now()`` (never a weekday or an hour), the run closed with ``now=`` its end.
"""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community, Role, Rota, RotaMember, Shift, ShiftAssignment, VillageGroup
from propertyservice.models import PatrolCheckpoint, PatrolRoute, PatrolRun
from propertyservice.services.patrols import patrol_run_close

from ..factories import CommunityFactory, make_member, serve
from ..propertyservice.world import make_station
from .a11y import visit
from .flows import follow, log_in, log_out

WIDTH = 390


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


@pytest.fixture
def guangming(db):
    village = CommunityFactory(name="光明村", slug="guangming", kind=Community.Kind.VILLAGE)
    serve(village, "propertyservice")
    return village


@pytest.fixture
def patrol(guangming):
    head = make_member(guangming, Role.STATION_STAFF, username="station", name="周国强")
    guard = make_member(guangming, Role.STATION_STAFF, username="station4", name="丁卫东")
    make_station(guangming, head)
    rota = Rota.objects.create(community=guangming, name="服务站值班巡逻", kind=Rota.Kind.PATROL, manager=head)
    RotaMember.objects.create(rota=rota, user=guard)
    now = timezone.now()
    # Started a minute ago: the board counts the month of the shift's start, which is this month.
    shift = Shift.objects.create(rota=rota, starts_at=now - dt.timedelta(minutes=1),
                                 ends_at=now + dt.timedelta(hours=2))
    ShiftAssignment.objects.create(shift=shift, user=guard)
    route = PatrolRoute.objects.create(community=guangming, rota=rota, name="丁钱夜巡",
                                       created_at=now - dt.timedelta(days=1))
    group = VillageGroup.objects.create(community=guangming, name="丁钱")
    points = [PatrolCheckpoint.objects.create(route=route, name=name, village_group=group, order=i)
              for i, name in enumerate(("丁钱村口", "丁钱河边护栏", "丁钱老年活动室"), start=1)]
    return {"shift": shift, "route": route, "points": points}


def test_a_patrol_that_skipped_a_checkpoint_is_flagged_on_the_heads_board(page, patrol, password, artifacts_dir):
    first, skipped, last = patrol["points"]

    # --- 1. the guard scans the first and the last checkpoint ----------------------------------------------------
    log_in(page, "station4", password)
    visit(page, "/property/")
    follow(page, page.get_by_role("link", name="我的巡逻", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的巡逻")
    expect(page.get_by_role("main")).to_contain_text("已打卡 0 / 3 个点位")
    # On the phone in 长辈模式 (bigger type): the patrol pages still fit the screen.
    follow(page, page.get_by_role("contentinfo").get_by_role("button", name="长辈模式"))
    expect(page.locator("body")).to_have_class("elder-mode")
    no_sideways_scroll(page)
    for point in (first, last):
        visit(page, f"/property/patrols/scan/{point.token}/")
        expect(page.get_by_role("heading", level=2)).to_have_text(point.name)
        follow(page, page.get_by_role("button", name="打卡", exact=True))
        expect(page.get_by_role("status").filter(has_text=f"“{point.name}”打卡成功。")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("已打卡 2 / 3 个点位")
    expect(main).to_contain_text("未按顺序")
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "property-patrols-1-guard.png"), full_page=True)
    log_out(page)

    # --- 2. the shift ends: the run is closed and flagged -------------------------------------------------------
    run = patrol_run_close(shift_id=patrol["shift"].pk, route_id=patrol["route"].pk,
                           now=patrol["shift"].ends_at + dt.timedelta(minutes=5))
    assert run.flagged and run.missed == 1
    assert PatrolRun.objects.get().scans.count() == 2

    # --- 3. the head finds it on the board and on the shift page -------------------------------------------------
    log_in(page, "station", password)
    visit(page, "/property/board/")
    card = page.get_by_role("region", name="巡逻与垃圾清运（本月）")
    expect(card).to_contain_text("异常 1 次")
    expect(card).to_contain_text("漏巡 1 个点位")
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "property-patrols-2-board.png"), full_page=True)
    follow(page, card.get_by_role("link", name="丁钱夜巡"))
    expect(page.get_by_role("main")).to_contain_text("漏巡 1 个点位")
    expect(page.get_by_role("main")).to_contain_text("异常")
    no_sideways_scroll(page)
