"""The case page's header and timeline are kept rendered per version of the case (CACHES["pages"]): a second
visit is cheaper, but no visitor ever sees an old state of the case, another viewer's view of the reporter,
or another language; the reporter's phone is read and logged on every visit."""
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from communities.models import Case, PersonalDataAccess
from communities.services import case_workflow as wf

from .case_world import (  # noqa: F401 - fixtures
    SECRET_NAME, SECRET_PHONE, S, anonymous_case, as_user, category, detail_url, secret_free, world,
)


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def visit(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(detail_url(case))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def history_queries(sql):
    return [s for s in sql if s.startswith(('SELECT "communities_caseevent"', 'SELECT "communities_casephoto"',
                                            'SELECT "communities_unit"'))]


def section(html, start, end):
    return html[html.index(start):html.index(end, html.index(start))]


def test_a_second_visit_skips_the_history_and_shows_the_same_page(client, world):
    case = world.at(S.IN_PROGRESS)
    staff = as_user(client, world.staff)
    first, first_sql = visit(staff, case)
    second, second_sql = visit(staff, case)
    assert history_queries(first_sql) and not history_queries(second_sql)
    assert len(second_sql) <= len(first_sql) - 3
    for start, end in (("<h1", "</dl>"), ('id="timeline-title"', "</section>")):
        assert section(first, start, end) == section(second, start, end)


def test_a_transition_shows_at_once(client, world):
    case = world.at(S.DISPATCHED)
    staff = as_user(client, world.staff)
    before, _ = visit(staff, case)
    wf.case_acknowledge(case_id=case.pk, actor=world.handler, note="明天上午去看")
    after, _ = visit(staff, case)
    assert "明天上午去看" not in before and "明天上午去看" in after
    assert str(S.IN_PROGRESS.label) in section(after, "<h1", "</div>")


def test_a_change_of_the_case_row_without_an_event_shows_at_once(client, world):
    case = world.at(S.DISPATCHED)
    staff = as_user(client, world.staff)
    visit(staff, case)
    Case.objects.filter(pk=case.pk).update(description="楼道里又多了一辆自行车")
    html, _ = visit(staff, case)
    assert "楼道里又多了一辆自行车" in html


def test_a_renamed_category_shows_at_once(client, world):
    case = world.at(S.DISPATCHED)
    staff = as_user(client, world.staff)
    visit(staff, case)
    world.category.name = "楼道堆物（含电动车）"
    world.category.save()
    assert "楼道堆物（含电动车）" in visit(staff, case)[0]


def test_the_handler_never_gets_the_staff_view_of_an_anonymous_reporter(client, anonymous_case, committee_staff,
                                                                        landlord):
    staff_html, _ = visit(as_user(client, committee_staff), anonymous_case)
    assert SECRET_NAME in staff_html and SECRET_PHONE in staff_html
    # the phone in its place, after the name, as a link to call it
    assert f'{SECRET_NAME} · <a href="tel:{SECRET_PHONE}" class="ld-tel">{SECRET_PHONE}</a>' in staff_html
    handler_html, _ = visit(as_user(client, landlord), anonymous_case)
    assert secret_free(handler_html)
    assert "reporter-phone" not in staff_html and "reporter-phone" not in handler_html
    assert "匿名居民" in handler_html
    # and the other way round: the staff's view is not the handler's kept one
    caches["pages"].clear()
    visit(as_user(client, landlord), anonymous_case)
    assert SECRET_NAME in visit(as_user(client, committee_staff), anonymous_case)[0]


def test_the_reporters_phone_is_read_and_logged_on_every_visit(client, anonymous_case, committee_staff):
    staff = as_user(client, committee_staff)
    for _ in range(2):
        html, _sql = visit(staff, anonymous_case)
        assert SECRET_PHONE in html
    assert PersonalDataAccess.objects.filter(viewer=committee_staff).count() == 2


def test_each_language_gets_its_own_page(client, world):
    case = world.at(S.IN_PROGRESS)
    staff = as_user(client, world.staff)
    chinese, _ = visit(staff, case)
    client.cookies["django_language"] = "en"
    english, _ = visit(staff, case)
    with translation.override("en"):
        title = translation.gettext("处理经过")
    assert title != "处理经过"
    assert "处理经过" in chinese and title not in chinese
    assert title in english and "处理经过" not in english


def test_an_event_that_leaves_the_case_row_unchanged_shows_at_once(client, world):
    """Following a case appends an event and changes nothing on the case row."""
    from communities.services.cases import case_follow

    case = world.at(S.DISPATCHED)
    staff = as_user(client, world.staff)
    before, _ = visit(staff, case)
    row = list(Case.objects.filter(pk=case.pk).values())
    case_follow(case_id=case.pk, user=world.neighbour)
    assert list(Case.objects.filter(pk=case.pk).values()) == row
    after, _ = visit(staff, case)
    timeline = section(after, 'id="timeline-title"', "</section>")
    assert timeline.count("<li") == section(before, 'id="timeline-title"', "</section>").count("<li") + 1
