"""Building blocks of the repair projects' tests (issue 15, the repairs area), on top of ``owners_world``: a fund
with its first collection (in the tests only: the demo books it in the fund area), small JPEGs and a PDF, and a
project taken to a given step through the services."""
import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.models import Election, MotionVote
from communities.services import elections as core
from talents.models import FundEntry, RepairProject, Scope
from talents.services import owners_repairs as svc

from .owners_world import NOW, at


def jpeg(name="wall.jpg", colour=(150, 120, 90)):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% repair report\n%%EOF\n", content_type="application/pdf")


def fund(estate, staff, amount="1000.00"):
    """The first collection (首期归集): ``amount`` on each of the estate's 10 households."""
    for unit in estate.units.values():
        FundEntry.objects.create(community=estate.community, building=unit.building, unit=unit,
                                 kind=FundEntry.Kind.INITIAL, amount=Decimal(amount), booked_on=NOW.date(),
                                 recorded_by=staff)


def new_project(estate, staff, *, kind=RepairProject.Kind.FACILITY, emergency=False, cases=(), title="1号楼楼道灯更新"):
    return svc.repair_project_create(actor=staff, community=estate.community, title=title, kind=kind,
                                     scope=Scope.BUILDING, building=estate.buildings["1号楼"], emergency=emergency,
                                     cases=cases, now=at(0, 9))


def plan(project, staff, estate, items=(("更换楼道灯", "3000.00"), ("更换开关", "1000.00"))):
    return svc.repair_plan(project_id=project.pk, actor=staff, items=list(items), scope=Scope.BUILDING,
                           building=estate.buildings["1号楼"], now=at(1, 9))


def certified(estate, staff, *, submitted_day=1):
    """A facade emergency with its certified appraisal submitted to the committee on ``at(submitted_day)``."""
    project = new_project(estate, staff, kind=RepairProject.Kind.FACADE, emergency=True, title="1号楼外墙脱落抢修")
    svc.repair_appraise(project_id=project.pk, actor=staff, body="上海某房屋质量检测站", report_no="JD-2026-031",
                        conclusion="外墙面砖空鼓，有脱落危险", danger_certified=True,
                        submitted_on=at(submitted_day, 9).date(), document=pdf(), now=at(submitted_day, 9))
    return RepairProject.objects.get(pk=project.pk)


def vote_all(project, owners, choice=MotionVote.Choice.FOR, *, who=("a", "b", "d", "e", "g"), now=None):
    election = RepairProject.objects.get(pk=project.pk).assembly.election
    motion = election.motions.get()
    for letter in who:
        core.ballot_cast(election=election, actor=owners[letter], choices={}, motions={motion.pk: choice},
                         now=now or at(2, 10))
    return election


def publish(election, staff, now=None):
    core.election_close(election=election, actor=staff, now=now or at(5, 10))
    core.election_publish(election=election, actor=staff, now=now or at(5, 11))
    return Election.objects.get(pk=election.pk)


def approved(project, staff, estate, owners):
    """Plan, vote (all five 1号楼 owners with logins for: 6 of 7 heads with 己 absent … see the test), pass."""
    plan(project, staff, estate)
    svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=at(5, 9), now=at(1, 10))
    publish(vote_all(project, owners), staff)
    svc.repair_vote_settle(project_id=project.pk, actor=staff, now=at(5, 12))
    return RepairProject.objects.get(pk=project.pk)


def to_works(project, staff):
    svc.repair_audit(project_id=project.pk, actor=staff, auditor="上海某造价咨询公司", audited_amount="3800.00",
                     document=pdf("audit.pdf"), now=at(6, 9))
    svc.repair_contract(project_id=project.pk, actor=staff, party="上海某建筑工程公司", amount="3800.00",
                        signed_on=at(7, 9).date(), document=pdf("contract.pdf"), now=at(7, 9))
    svc.repair_progress(project_id=project.pk, actor=staff, percent=50, note="脚手架已搭设", photos=[jpeg()],
                        now=at(8, 9))
    return RepairProject.objects.get(pk=project.pk)


DATE = dt.date
