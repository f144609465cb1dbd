"""郡园's demo data for the owners' hub's company area (issue 15): the property company 上海美兰物业服务有限公司 (a
demo name) on a contract from 2024-01-01 ending 100 days after the demo's ``now`` (so the 120-day reminder has
gone out), 2.30 元/m²·月; a fee history (a parking raise published with its audit report, a residential raise
still waiting for one); six documents on the 物业之窗; the owners' survey of the two quarters before this one,
closed, about 60 owner households each (paper forms typed in by staff: the owner register's owners mostly have
no login), and this quarter's survey open. Idempotent: a second run finds the contract and adds nothing."""
import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from communities.models import Community, Residency, Unit, User
from communities.selectors.places import users_with_role
from communities.services import evaluations as engine

from ..models import CompanyFile, FeeChange, PropertyContract, PublicDocument
from ..selectors import owners_company as sel
from ..services import owners_company as svc

SLUG = "junyuan"
COMPANY = "上海美兰物业服务有限公司"
LABELS = ["满意", "满意", "基本满意", "满意", "基本满意", "一般", "满意", "基本满意", "满意", "不满意"]
# A minimal PDF (one empty page): the demo's contract text and audit report stand-ins.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
DOCUMENTS = [  # (kind, title, body, days before now)
    (PublicDocument.Kind.SERVICES, "物业服务内容与标准（2024—2026）",
     "保洁：楼道每日清扫一次、每周拖洗一次；绿化：每月修剪；秩序维护：门岗24小时值守，夜间每两小时巡逻一次；"
     "设施维修：报修后30分钟内响应。", 700),
    (PublicDocument.Kind.FEES, "收费项目与标准",
     "住宅物业服务费 2.30 元/m²·月；地面车位物业服务费 150 元/个·月（执行至合同届满）。", 690),
    (PublicDocument.Kind.PUBLIC_INCOME, "2025年度公共收益收支情况",
     "广告位、场地租金收入 18.6 万元，支出（代缴税费、维护费）4.2 万元，结余 14.4 万元计入业主共有资金。", 60),
    (PublicDocument.Kind.FUND, "2025年下半年专项维修资金使用情况", "见附件：3号楼外墙修缮已支付 12.8 万元。", 40),
    (PublicDocument.Kind.OTHER, "二次供水水箱清洗通知", "本周六 9:00—15:00 清洗水箱，期间低区停水。", 5),
]


def _file(community, staff) -> CompanyFile:
    row = CompanyFile(community=community, extension="pdf", size=len(PDF), uploaded_by=staff)
    row.file.save("demo.pdf", ContentFile(PDF), save=False)
    row.save()
    return row


def _owner_units(community, n):
    """Up to ``n`` owner households of the estate, with one owner of each (the engine scores a household)."""
    rows = (Residency.objects.filter(unit__building__community=community, relation=Residency.Relation.OWNER,
                                     moved_out__isnull=True).select_related("person", "unit__building")
            .order_by("unit_id", "pk"))
    seen, picked = set(), []
    for r in rows:
        if r.unit_id not in seen:
            seen.add(r.unit_id)
            picked.append(r)
        if len(picked) >= n:
            break
    return picked


def _survey(community, staff, quarter: dt.date, owners, rng) -> int:
    close_at = timezone.make_aware(dt.datetime.combine(sel.quarter_end(quarter), dt.time(1, 0)))
    evaluation = engine.evaluation_open(community=community, subject=svc.SUBJECT, month=quarter, now=close_at)
    criteria = list(evaluation.standard.criteria.all())
    scored = 0
    for i, residency in enumerate(owners):
        answers = {c.pk: LABELS[(i + j + rng.randrange(3)) % len(LABELS)] for j, c in enumerate(criteria)}
        at = timezone.make_aware(dt.datetime.combine(quarter + dt.timedelta(days=20 + i % 40), dt.time(19, 0)))
        scored += bool(engine.household_score(actor=staff, evaluation=evaluation, unit=residency.unit,
                                              answers=answers, person=residency.person, paper=True, now=at))
    engine.evaluation_close(evaluation_id=evaluation.pk, now=close_at)
    return scored


def demo_owners_company_seed(now=None) -> dict:
    now = now or timezone.now()
    community = Community.objects.filter(slug=SLUG).first()
    if community is None:
        return {}
    staff = User.objects.filter(username="staff_junyuan").first() or users_with_role(community_id=community.pk).first()
    if staff is None or PropertyContract.objects.filter(community=community, company_name=COMPANY).exists():
        return {}
    today = timezone.localdate(now)
    contract = svc.contract_create(
        actor=staff, community=community, company_name=COMPANY, credit_code="91310113MA1GDEMO01",
        starts_on=dt.date(2024, 1, 1), ends_on=today + dt.timedelta(days=100), fee_residential=Decimal("2.30"),
        fee_parking=Decimal("150.00"), file=_file(community, staff), now=now)
    reminded = svc.contract_remind(contract_id=contract.pk, now=now)  # 100 days left: the 120-day reminder
    for kind, title, body, days in DOCUMENTS:
        svc.document_publish(actor=staff, community=community, kind=kind, title=title, body=body,
                             file=_file(community, staff) if kind == PublicDocument.Kind.FUND else None,
                             published_on=today - dt.timedelta(days=days), now=now)
    parking = svc.fee_change_create(
        actor=staff, contract=contract, property_kind=FeeChange.PropertyKind.PARKING, new_fee=Decimal("180.00"),
        effective_on=today - dt.timedelta(days=20), audit_file=_file(community, staff), now=now,
        reason="地面车位划线、道闸更新和夜间巡逻增加；经第三方审计（附审计报告），业主大会表决同意。")
    svc.fee_change_publish(actor=staff, fee_change=parking, now=now - dt.timedelta(days=35))
    svc.fee_change_create(
        actor=staff, contract=contract, property_kind=FeeChange.PropertyKind.RESIDENTIAL, new_fee=Decimal("2.60"),
        effective_on=contract.ends_on + dt.timedelta(days=1), now=now,
        reason="企业提出：最低工资标准上调，拟自续签之日起调整。尚未提交审计报告，不能公示。")
    svc.survey_standard_ensure(actor=staff, community=community, now=now - dt.timedelta(days=200))
    rng = random.Random(15)
    this_quarter = sel.quarter_of(today)
    last = sel.quarter_of(this_quarter - dt.timedelta(days=1))
    before = sel.quarter_of(last - dt.timedelta(days=1))
    owners = _owner_units(community, 120)
    scores = _survey(community, staff, before, owners[:60], rng) + _survey(community, staff, last, owners[-60:], rng)
    svc.survey_open(actor=staff, community=community, now=now)
    return {"contracts": 1, "reminders": reminded, "documents": PublicDocument.objects.filter(community=community)
            .count(), "fee_changes": 2, "survey_households": scores,
            "units": Unit.objects.filter(building__community=community).count()}
