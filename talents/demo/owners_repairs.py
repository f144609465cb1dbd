"""郡园's demo data for the owners' hub's repairs area (issue 15), through the real services:

- 7号楼外墙脱落抢修: a facade danger certified by an appraisal body, the owners' committee's emergency approval on the
  third of its 7 days (沪物业规定第七十三条), the use plan, the audit, the contract and the works at 60 %, with photos;
- 12号楼2单元屋面渗漏维修: linked to three leak cases (one filed by the demo login ``owner`` when it exists, else by
  another resident; two taken by phone), its plan voted by the owners who share it: the vote is open and a few
  ballots are cast (12号楼 as a whole when the register has not set the stairwells);
- 24号楼楼道灯更新: finished: voted, audited, contracted, accepted, paid from the fund through
  ``fund_pay_project`` (after the fund area's demo booked the collection; when the fund is empty it stops at the
  acceptance and says so) and its final account published.

Owners who vote in the demo without a login get one that cannot sign in (an unusable password): the core roll
takes a voter's account from their person record. Idempotent: a project is found by its title and left alone.
"""
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Building, Case, CaseCategory, Community, MotionVote, Person, Residency, User
from communities.services import elections as core
from communities.services.cases import case_file
from communities.services.errors import DomainError

from ..models import RepairProject, Scope
from ..services import owners_repairs as svc

FACADE, LEAK, LIGHTS = "7号楼外墙脱落抢修", "12号楼2单元屋面渗漏维修", "24号楼楼道灯更新"


def _jpeg(name: str, colour: tuple) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, 320, 40):
        draw.line([(x, 0), (x, 240)], fill=(200, 200, 200), width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo\n%%EOF\n", content_type="application/pdf")


def _day(now, days, hour=10):
    local = timezone.localtime(now) + dt.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _voters(building, n, *, entrance=""):
    """Accounts for the first ``n`` owners of ``building`` (created without a usable password when missing)."""
    residencies = (Residency.objects.filter(unit__building=building, relation=Residency.Relation.OWNER,
                                            moved_out__isnull=True).select_related("person__user", "unit")
                   .order_by("unit__floor", "unit__room", "pk"))
    if entrance:
        residencies = residencies.filter(unit__entrance=entrance)
    users, seen = [], set()
    for row in residencies:
        if row.person_id in seen:
            continue
        seen.add(row.person_id)
        person = row.person
        if person.user is None:
            user = User(username=f"jy_owner_{building.pk}_{row.unit.room}_{person.pk}")
            user.set_unusable_password()
            user.save()
            Person.objects.filter(pk=person.pk).update(user=user)
        users.append(person.user or User.objects.get(person__pk=person.pk))
        if len(users) == n:
            break
    return users


def _cast(project, users, now, choice=MotionVote.Choice.FOR):
    election = RepairProject.objects.get(pk=project.pk).assembly.election
    motion = election.motions.get()
    cast = 0
    for user in users:
        try:
            cast += core.ballot_cast(election=election, actor=user, choices={}, motions={motion.pk: choice},
                                     now=now).changed
        except DomainError:
            continue
    return election, cast


def director_signature() -> str:
    """The emergency approval is signed by the serving 第三届 committee's director (``jy_director``), not a
    name of its own: the hub's committee card names him, and the two must tell one story."""
    director = User.objects.filter(username="jy_director").first()
    return f"业委会主任 {director.display_name}" if director else "业委会主任"


def _facade(community, staff, now) -> RepairProject:
    building = Building.objects.get(community=community, name="7号楼")
    project = svc.repair_project_create(
        actor=staff, community=community, title=FACADE, kind=RepairProject.Kind.FACADE, scope=Scope.BUILDING,
        building=building, emergency=True, description="7号楼东立面11层至9层外墙面砖空鼓，已有两块脱落，楼下已拉警戒线。",
        photos=[_jpeg("facade.jpg", (170, 120, 100))], now=_day(now, -40))
    pk = project.pk
    svc.repair_appraise(project_id=pk, actor=staff, body="上海宝山房屋质量检测站", report_no="BSJC-2026-0317",
                        conclusion="东立面外墙面砖大面积空鼓，存在脱落危险，须立即排险修复。", danger_certified=True,
                        submitted_on=_day(now, -38).date(), document=_pdf("appraisal.pdf"), now=_day(now, -38))
    svc.repair_emergency_approve(project_id=pk, actor=staff, approved_by=director_signature(), approved_at=_day(now, -35, 15),
                                 now=_day(now, -35, 16))
    svc.repair_plan(project_id=pk, actor=staff, scope=Scope.BUILDING, building=building, now=_day(now, -34),
                    items=[("搭设脚手架及安全防护", "38000.00"), ("凿除空鼓面砖、重新粘贴", "126000.00"),
                           ("外墙防水涂料", "42000.00")])
    svc.repair_emergency_proceed(project_id=pk, actor=staff, now=_day(now, -33))
    svc.repair_audit(project_id=pk, actor=staff, auditor="上海某工程造价咨询有限公司", audited_amount="198500.00",
                     document=_pdf("audit.pdf"), now=_day(now, -30))
    svc.repair_contract(project_id=pk, actor=staff, party="上海某建筑装饰工程有限公司", amount="198500.00",
                        signed_on=_day(now, -25).date(), document=_pdf("contract.pdf"), now=_day(now, -25))
    for days, percent, note, colour in ((-20, 20, "脚手架搭设完成，警戒区扩大。", (120, 130, 140)),
                                         (-10, 40, "11层至10层空鼓面砖凿除完毕。", (150, 140, 120)),
                                         (-3, 60, "10层以上面砖重新粘贴完成，开始做防水。", (180, 170, 150))):
        svc.repair_progress(project_id=pk, actor=staff, percent=percent, note=note,
                            photos=[_jpeg(f"works-{percent}.jpg", colour)], now=_day(now, days))
    return project


def _leak_cases(community, staff, building, now) -> list[Case]:
    category, _created = CaseCategory.objects.get_or_create(
        community=community, code="leak", defaults={"name": "房屋漏水", "ack_hours": 24, "fix_hours": 120})
    owner = User.objects.filter(username="owner").first()
    resident = owner or User.objects.filter(username="talent").first()
    cases = []
    if resident is not None:
        cases.append(case_file(filed_by=resident, community=community, category=category, building=building,
                               description="12号楼2单元顶楼天花板渗水，下雨天滴水。"))
    for name, text in (("王阿姨", "12号楼2单元1102室卫生间顶上渗水。"), ("赵先生", "12号楼2单元楼梯间墙面有水渍，怀疑屋面漏水。")):
        cases.append(case_file(filed_by=staff, community=community, category=category, building=building,
                               channel=Case.Channel.HOTLINE, reporter_name=name, description=text))
    return cases


def _leak(community, staff, now) -> RepairProject:
    building = Building.objects.get(community=community, name="12号楼")
    stairwell = building.units.filter(entrance="2单元").exists()
    scope = dict(scope=Scope.ENTRANCE, building=building, entrance="2单元") if stairwell else \
        dict(scope=Scope.BUILDING, building=building)
    cases = _leak_cases(community, staff, building, now)
    project = svc.repair_project_create(
        actor=staff, community=community, title=LEAK, kind=RepairProject.Kind.LEAK, cases=cases,
        description="屋面防水层老化，2单元顶楼三户和楼梯间反映渗水。", photos=[_jpeg("roof.jpg", (90, 110, 130))],
        now=_day(now, -12), **scope)
    svc.repair_plan(project_id=project.pk, actor=staff, now=_day(now, -6),
                    items=[("屋面防水层翻新（约320 m²）", "64000.00"), ("落水管疏通更换", "6000.00")], **scope)
    svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=_day(now, 10, 18), now=_day(now, -4))
    _cast(project, _voters(building, 6, entrance="2单元" if stairwell else ""), _day(now, -2))
    return project


def _lights(community, staff, now) -> tuple[RepairProject, str]:
    building = Building.objects.get(community=community, name="24号楼")
    project = svc.repair_project_create(
        actor=staff, community=community, title=LIGHTS, kind=RepairProject.Kind.FACILITY, scope=Scope.BUILDING,
        building=building, description="24号楼楼道灯老化，多处不亮，改为声光控LED灯。", now=_day(now, -90))
    pk = project.pk
    svc.repair_plan(project_id=pk, actor=staff, scope=Scope.BUILDING, building=building, now=_day(now, -85),
                    items=[("LED声光控灯 44 套", "7920.00"), ("线路检修", "2080.00")])
    voters = _voters(building, 30)  # of 36 households: two thirds by heads and (nearly always) by area
    svc.repair_vote_open(project_id=pk, actor=staff, closes_at=_day(now, -70, 18), now=_day(now, -84))
    election, _cast_n = _cast(project, voters, _day(now, -80))
    core.election_close(election=election, actor=staff, now=_day(now, -70, 18))
    core.election_publish(election=election, actor=staff, now=_day(now, -69))
    svc.repair_vote_settle(project_id=pk, actor=staff, now=_day(now, -69, 11))
    project.refresh_from_db()
    if project.status != RepairProject.Status.APPROVED:
        return project, "vote_failed"
    svc.repair_audit(project_id=pk, actor=staff, auditor="上海某工程造价咨询有限公司", audited_amount="9600.00",
                     document=_pdf("audit.pdf"), now=_day(now, -65))
    svc.repair_contract(project_id=pk, actor=staff, party="上海某电气安装工程有限公司", amount="9600.00",
                        signed_on=_day(now, -62).date(), document=_pdf("contract.pdf"), now=_day(now, -62))
    svc.repair_progress(project_id=pk, actor=staff, percent=100, note="44 套灯具全部更换完毕。",
                        photos=[_jpeg("lights.jpg", (230, 220, 160))], now=_day(now, -55))
    svc.repair_accept(project_id=pk, actor=staff, accepted_on=_day(now, -52).date(),
                      accepted_by="业委会委员、居委、物业、施工单位", result="灯具全部正常点亮，验收合格。",
                      photos=[_jpeg("accept.jpg", (240, 230, 170))], now=_day(now, -52))
    try:
        svc.repair_pay(project_id=pk, actor=staff, amount="9600.00", paid_on=_day(now, -45).date(),
                       note="24号楼楼道灯更新", now=_day(now, -45))
    except DomainError as exc:
        return project, f"unpaid: {exc.message}"
    svc.repair_publish(project_id=pk, actor=staff, published_on=_day(now, -44).date(), now=_day(now, -44),
                       final_account="审定 9,600.00 元，已从24号楼36户维修资金按专有面积分摊支付，公示7日。")
    return project, "published"


def demo_owners_repairs_seed(now=None) -> dict:
    now = now or timezone.now()
    community = Community.objects.filter(slug="junyuan").first()
    staff = User.objects.filter(username="staff_junyuan").first()
    if community is None or staff is None:
        return {}
    done = {}
    existing = set(RepairProject.objects.filter(community=community).values_list("title", flat=True))
    if FACADE not in existing:
        done["facade"] = _facade(community, staff, now).pk
    if LEAK not in existing:
        done["leak"] = _leak(community, staff, now).pk
    if LIGHTS not in existing:
        project, state = _lights(community, staff, now)
        done["lights"] = f"{project.pk} {state}"
    return done

