"""A case list row (``{% case_card %}``) is the markup of the original template fragment, byte for byte, with
every text escaped: compared here with that fragment for each status, place and language."""
import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from communities.models import CaseStatus, PublicPlace
from communities.templatetags.case_cards import case_card

from ..factories import BuildingFactory, CaseCategoryFactory, CaseFactory, UnitFactory

FRAGMENT = Template("""{% load i18n case_cards %}<li class="list-group-item">
  <div class="d-flex justify-content-between flex-wrap gap-1">
    <a href="{% url 'communities:case_detail' case.pk %}" class="fw-bold">#{{ case.pk }} {{ case.category.name }}</a>
    {% case_status_badge case %}{% if case.is_mine is False %} <span class="badge ld-followed">{% trans "我关注的" %}</span>{% endif %}
  </div>
  <div class="small">{{ case.place_label|default:"" }}{% if case.place_text and case.place_label != case.place_text %} · {{ case.place_text }}{% endif %}</div>
  <div class="small text-secondary">{{ case.created_at|date:"Y-m-d H:i" }}{% if show_community %} · {{ case.community.name }}{% endif %}{% if case.fix_due_at and case.is_open %} · {% trans "办结期限" %} {{ case.fix_due_at|date:"m-d H:i" }}{% endif %}</div>
</li>
""")


@pytest.fixture
def rows(community):
    community.name = 'R&D <社区> "东"'
    community.save()
    category = CaseCategoryFactory(community=community, code="odd", name="<b>噪音</b> & 'x'")
    building = BuildingFactory(community=community, name="3号楼 <a>")
    unit = UnitFactory(building=building, room="101&102")
    place = PublicPlace.objects.create(community=community, name="东门 \"岗亭\"")
    due = timezone.now() + dt.timedelta(days=2, minutes=7)
    cases = []
    original = CaseFactory(community=community, category=category)
    for i, status in enumerate(CaseStatus.values):
        where = [{"unit": unit, "building": building}, {"building": building}, {"public_place": place},
                 {"place_text": "<script>alert(1)</script>"}][i % 4]
        cases.append(CaseFactory(community=community, category=category, status=status, fix_due_at=due,
                                 created_at=timezone.now() - dt.timedelta(days=i, hours=i, minutes=3 * i),
                                 merged_into=original if status == CaseStatus.DUPLICATE else None,
                                 place_text=where.pop("place_text", "旁边的 <小卖部>" if i % 2 else ""), **where))
    return cases


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_row_is_the_fragments_markup(rows, language):
    with translation.override(language):
        for case in rows:
            for show_community in (False, True):
                expected = FRAGMENT.render(Context({"case": case, "show_community": show_community}))
                assert case_card(case, show_community) == expected


def test_texts_are_escaped(rows):
    html = "".join(case_card(case, True) for case in rows)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;噪音&lt;/b&gt; &amp; &#x27;x&#x27;" in html
    assert "R&amp;D &lt;社区&gt; &quot;东&quot;" in html
