"""Town-scale data for ``manage.py bench_town``: 52 communities, their buildings, households, residents and
two years of cases with their events and ratings, written with PostgreSQL COPY.

Throwaway data for a scratch database only. Rows are built from the models' own field lists, so a column
added later with a default is filled with that default; a new required column without one stops the
generator with its name. Foreign keys are not checked while loading (``session_replication_role =
replica``): the generator assigns every id itself and ``check_integrity`` verifies the references after.
"""
from __future__ import annotations

import math
import random
import time
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from django.utils import timezone

from ..models import (
    Agency,
    Building,
    Case,
    CaseCategory,
    CaseEvent,
    CaseRating,
    CaseReferral,
    Community,
    CommunityApp,
    Membership,
    Notification,
    Person,
    PublicPlace,
    Residency,
    Role,
    RoutingRule,
    Team,
    TeamMember,
    Unit,
    User,
    VillageGroup,
)
from ..services.routing import DEFAULT_CATEGORIES
from .copy_writer import Table
from .words import (
    AGENCIES, CATEGORY_WEIGHTS, CHANNELS, DESCRIPTIONS, FIX_NOTES, GIVEN, GROUP_NAMES, PLACES, REJECT_NOTES,
    RES_PREFIX, SCORES, SURNAMES, VERIFY_NOTES, VIL_PREFIX,
)

H = timedelta(hours=1)


# --- the town ---------------------------------------------------------------------------------------

def _weighted(rng, pairs):
    total = sum(w for _v, w in pairs)
    cum = list(accumulate(w for _v, w in pairs))
    values = [v for v, _w in pairs]
    return lambda: values[bisect(cum, rng.random() * total)]


@dataclass
class Plan:
    communities: int = 52
    households: int = 88_000
    residents: int = 230_000
    cases: int = 500_000
    villages: int = 14
    days: int = 730
    user_share: float = 0.30  # residents with an account
    seed: int = 2026


@dataclass
class Town:
    """What the generator made, for the benchmark and the report."""

    staff_username: str = ""
    town_username: str = ""
    staff_community_id: int = 0
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


@dataclass
class _Place:
    id: int
    kind: str
    name: str
    households: int = 0
    staff: list = field(default_factory=list)  # committee staff user ids
    secretary: int = 0
    categories: list = field(default_factory=list)  # (id, code, ack_hours, fix_hours)
    units: list = field(default_factory=list)  # (unit_id, building_id, sublandlord_user_id or 0)
    buildings: list = field(default_factory=list)
    places: list = field(default_factory=list)
    residents: list = field(default_factory=list)  # user ids of residents with an account
    handler_team: int = 0  # station (village) or landlord team (residential)
    squad: int = 0
    handler_users: list = field(default_factory=list)  # station staff / team members
    landlords: list = field(default_factory=list)  # (person id, user id) of sublandlords with an account


class Generator:
    def __init__(self, cursor, plan: Plan):
        self.cur, self.plan = cursor, plan
        self.rng = random.Random(plan.seed)
        self.now = timezone.now().replace(microsecond=0)
        self.ids = {}
        self.tables = {}
        self.events = 0
        self.town = Town()

    def next_id(self, model) -> int:
        self.ids[model] = self.ids.get(model, 0) + 1
        return self.ids[model]

    def table(self, model, columns) -> Table:
        self.tables[model] = Table(self.cur, model, columns)
        return self.tables[model]

    def run(self) -> Town:
        self.cur.execute("SET session_replication_role = replica")
        self.cur.execute("SET synchronous_commit = off")
        started = time.monotonic()
        self._tables()
        self._people_and_places()
        self._flush_all()
        self.town.seconds["places_people"] = time.monotonic() - started
        t = time.monotonic()
        self._cases()
        self._flush_all()
        self.town.seconds["cases"] = time.monotonic() - t
        self.cur.execute("SET session_replication_role = origin")
        for model in self.tables:
            table = model._meta.db_table
            self.cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                             f"GREATEST((SELECT max(id) FROM \"{table}\"), 1))")
        self.town.counts = {t.name: t.count for t in self.tables.values()}
        return self.town

    def _flush_all(self):
        for t in self.tables.values():
            t.flush()

    def _tables(self):
        self.t_user = self.table(User, ["id", "password", "username", "first_name", "is_active", "is_staff",
                                        "is_superuser", "date_joined", "town_role", "elder_mode", "email",
                                        "last_name"])
        self.t_community = self.table(Community, ["id", "name", "slug", "kind", "description"])
        self.t_group = self.table(VillageGroup, ["id", "community_id", "name"])
        self.t_building = self.table(Building, ["id", "community_id", "village_group_id", "name", "address"])
        self.t_unit = self.table(Unit, ["id", "building_id", "floor", "room", "floor_area", "capacity", "is_let",
                                        "sublandlord_id"])
        self.t_person = self.table(Person, ["id", "name", "phone", "user_id", "created_at"])
        self.t_residency = self.table(Residency, ["id", "person_id", "unit_id", "relation", "moved_in",
                                                  "moved_out"])
        self.t_membership = self.table(Membership, ["id", "user_id", "community_id", "role", "created_at"])
        self.t_team = self.table(Team, ["id", "community_id", "name", "kind", "created_at"])
        self.t_team_members = self.table(TeamMember, ["id", "team_id", "user_id", "joined_at", "invited_by_id",
                                                      "left_at"])
        self.t_app = self.table(CommunityApp, ["id", "community_id", "app_label", "since"])
        self.t_category = self.table(CaseCategory, ["id", "community_id", "code", "name", "ack_hours", "fix_hours",
                                                    "order", "active"])
        self.t_rule = self.table(RoutingRule, ["id", "community_id", "category_id", "only_let_units", "target",
                                               "team_id", "user_id", "priority"])
        self.t_place = self.table(PublicPlace, ["id", "community_id", "name"])
        self.t_agency = self.table(Agency, ["id", "name", "code"])
        self.t_case = self.table(Case, [
            "id", "community_id", "category_id", "reporter_id", "reporter_name", "reporter_phone", "filed_by_id",
            "channel", "anonymous", "building_id", "unit_id", "public_place_id", "place_text", "description",
            "status", "handler_user_id", "handler_team_id", "merged_into_id", "created_at", "dispatched_at",
            "acknowledged_at", "fixed_at", "closed_at", "ack_due_at", "fix_due_at", "reopen_count",
            "rating_reopened", "escalation_level", "escalated_at", "rating_reminded_at"])
        self.t_event = self.table(CaseEvent, ["id", "case_id", "actor_id", "action", "from_status", "to_status",
                                              "note", "data", "at"])
        self.t_rating = self.table(CaseRating, ["id", "case_id", "rater_id", "score", "reasons", "partly_fixed",
                                                "comment", "at"])
        self.t_referral = self.table(CaseReferral, ["id", "case_id", "agency_id", "note", "referred_by_id", "at"])
        self.t_notification = self.table(Notification, ["id", "recipient_id", "title", "body", "url", "created_at",
                                                        "read_at", "emailed_at", "email_attempts", "email_failed", "texts",
                                                        "case_id"])

    # --- users and people ------------------------------------------------------------------------

    def _name(self):
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))

    def _user(self, username, *, town_role="", joined=None) -> int:
        """Every account gets an unusable password; the benchmark sets one for the two logins it uses."""
        uid = self.next_id(User)
        self.t_user.add(uid, "!bench", username, "", True, False, False, joined or self.now - timedelta(days=800),
                        town_role, False, "", "")
        return uid

    def _person(self, *, user_id=None, phone=True) -> int:
        pid = self.next_id(Person)
        number = f"1{self.rng.choice('3578')}{self.rng.randint(0, 9)}{pid:08d}" if phone else ""
        self.t_person.add(pid, self._name(), number, user_id, self.now - timedelta(days=self.rng.randint(30, 900)))
        return pid

    def _member(self, user_id, community_id, role):
        self.t_membership.add(self.next_id(Membership), user_id, community_id, role,
                              self.now - timedelta(days=self.rng.randint(30, 900)))

    def _team(self, place, name, kind, members) -> int:
        tid = self.next_id(Team)
        self.t_team.add(tid, place.id, name, kind, self.now - timedelta(days=900))
        for uid in members:
            self.t_team_members.add(self.next_id(TeamMember), tid, uid, self.now - timedelta(days=900), None, None)
        return tid

    def _people_and_places(self):
        p, rng = self.plan, self.rng
        for code, name in AGENCIES:
            self.t_agency.add(self.next_id(Agency), name, code)
        self.agencies = list(range(1, len(AGENCIES) + 1))
        # Households per community: uneven (±40 %), adding up to the plan exactly.
        weights = [rng.uniform(0.6, 1.4) for _ in range(p.communities)]
        households = [int(p.households * w / sum(weights)) for w in weights]
        households[0] += p.households - sum(households)
        self.places: list[_Place] = []
        for i in range(p.communities):
            village = i >= p.communities - p.villages
            prefix = (VIL_PREFIX if village else RES_PREFIX)
            name = f"{prefix[i % len(prefix)]}{'村' if village else '居民区'}{i + 1:02d}"
            cid = self.next_id(Community)
            kind = Community.Kind.VILLAGE if village else Community.Kind.RESIDENTIAL
            self.t_community.add(cid, name, f"bench-{cid:02d}", kind, "")
            self.places.append(_Place(cid, kind, name, households[i]))
        self.town.town_username = "bench_town"
        self._user("bench_town", town_role=User.TownRole.TOWN_STAFF)
        self._user("bench_secretary", town_role=User.TownRole.TOWN_SECRETARY)
        self.town.staff_username = "bench_staff"
        self.town.staff_community_id = self.places[0].id
        # Residents: one per household first, the rest spread at random over the households.
        extra = [0] * p.households
        for _ in range(p.residents - p.households):
            extra[rng.randrange(p.households)] += 1
        household = 0
        for place in self.places:
            self._staff(place)
            self._structure(place)
            for unit in place.units:
                self._household(place, unit, 1 + extra[household])
                household += 1

    def _staff(self, place: _Place):
        first = place.id == self.places[0].id
        for n in range(3):
            username = "bench_staff" if first and n == 0 else f"staff{place.id}_{n}"
            uid = self._user(username)
            self._person(user_id=uid)
            self._member(uid, place.id, Role.COMMITTEE_STAFF)
            place.staff.append(uid)
        place.secretary = self._user(f"secretary{place.id}")
        self._person(user_id=place.secretary)
        self._member(place.secretary, place.id, Role.PARTY_SECRETARY)
        self._team(place, "居委会", Team.Kind.COMMITTEE, place.staff)
        if place.kind == Community.Kind.VILLAGE:
            for n in range(3):
                uid = self._user(f"station{place.id}_{n}")
                self._person(user_id=uid)
                self._member(uid, place.id, Role.STATION_STAFF)
                place.handler_users.append(uid)
            place.handler_team = self._team(place, "物业管理服务站", Team.Kind.STATION, place.handler_users)
        else:
            # Sublandlords with accounts: the let flats they manage are routed to them.
            for n in range(self.rng.randint(8, 20)):
                uid = self._user(f"landlord{place.id}_{n}")
                pid = self._person(user_id=uid)
                self._member(uid, place.id, Role.SUBLANDLORD)
                place.landlords.append((pid, uid))
            place.handler_users = [uid for _pid, uid in place.landlords[:5]]
            place.handler_team = self._team(place, "二房东自治团队", Team.Kind.LANDLORD_TEAM, place.handler_users)
            # The sublandlords' app serves the residential communities (staff set this row in the admin).
            self.t_app.add(self.next_id(CommunityApp), place.id, "landlords", self.now - timedelta(days=900))
        talents = []
        for n in range(2):
            uid = self._user(f"talent{place.id}_{n}")
            self._person(user_id=uid)
            self._member(uid, place.id, Role.TALENT)
            talents.append(uid)
        place.squad = self._team(place, "治理小分队", Team.Kind.SQUAD, talents)

    def _structure(self, place: _Place):
        rng = self.rng
        for order, (code, name, ack, fix) in enumerate(DEFAULT_CATEGORIES):
            cid = self.next_id(CaseCategory)
            self.t_category.add(cid, place.id, code, name, ack, fix, order, True)
            place.categories.append((cid, code, ack, fix))
        if place.kind == Community.Kind.VILLAGE:
            self.t_rule.add(self.next_id(RoutingRule), place.id, None, False, RoutingRule.Target.TEAM,
                            place.handler_team, None, 10)
        else:
            self.t_rule.add(self.next_id(RoutingRule), place.id, None, True, RoutingRule.Target.UNIT_SUBLANDLORD,
                            None, None, 10)
        self.t_rule.add(self.next_id(RoutingRule), place.id, None, False, RoutingRule.Target.COMMITTEE, None, None,
                        100)
        for name in rng.sample(PLACES, rng.randint(3, 6)):
            ppid = self.next_id(PublicPlace)
            self.t_place.add(ppid, place.id, name)
            place.places.append(ppid)
        # Buildings and units: blocks of flats, or village houses let room by room.
        made = 0
        number = 0
        groups = []
        if place.kind == Community.Kind.VILLAGE:
            for gname in rng.sample(GROUP_NAMES, rng.randint(3, 6)):
                gid = self.next_id(VillageGroup)
                self.t_group.add(gid, place.id, f"{gname}组")
                groups.append((gid, gname))
        while made < place.households:
            number += 1
            bid = self.next_id(Building)
            if groups:
                gid, gname = groups[number % len(groups)]
                bname, floors, per_floor, let_share = f"{gname}{number}号", rng.randint(1, 3), rng.randint(1, 3), 0.5
            else:
                gid, bname, floors, per_floor, let_share = None, f"{number}号楼", rng.choice((6, 6, 11, 18)), \
                    rng.randint(2, 4), 0.22
            self.t_building.add(bid, place.id, gid, bname, f"{place.name}{bname}")
            place.buildings.append(bid)
            for floor in range(1, floors + 1):
                for room in range(1, per_floor + 1):
                    if made >= place.households:
                        break
                    made += 1
                    uid = self.next_id(Unit)
                    let = rng.random() < let_share
                    landlord = None
                    if let and place.landlords and rng.random() < 0.6:
                        landlord = rng.choice(place.landlords)
                    self.t_unit.add(uid, bid, floor, f"{floor}{room:02d}", Decimal(rng.randint(4000, 14000)) / 100,
                                    4, let, landlord and landlord[0])
                    place.units.append((uid, bid, landlord[1] if landlord else 0, let))

    def _household(self, place: _Place, unit, size: int):
        rng = self.rng
        unit_id, _bid, _landlord, let = unit
        for k in range(size):
            has_account = rng.random() < self.plan.user_share
            uid = None
            if has_account:
                uid = self._user(f"u{self.ids.get(Person, 0) + 1}", joined=self.now - timedelta(days=rng.randint(1, 800)))
            pid = self._person(user_id=uid, phone=rng.random() < 0.92)
            relation = (Residency.Relation.TENANT if let else
                        Residency.Relation.OWNER if k == 0 else Residency.Relation.FAMILY)
            self.t_residency.add(self.next_id(Residency), pid, unit_id, relation,
                                 (self.now - timedelta(days=rng.randint(30, 7000))).date(), None)
            if uid:
                self._member(uid, place.id, Role.TENANT if let else Role.RESIDENT)
                place.residents.append(uid)

    # --- cases ---------------------------------------------------------------------------------------

    def _cases(self):
        p, rng, now = self.plan, self.rng, self.now
        span = p.days * 86400
        weights = list(accumulate(pl.households for pl in self.places))
        # Filing times over the period, growing linearly to half as much again by now; ids in filing order.
        growth = 0.5
        stamps = []
        for _ in range(p.cases):
            position = (math.sqrt(1 + 2 * growth * rng.random() * (1 + growth / 2)) - 1) / growth  # 0 … 1
            age = span * (1 - position)
            place = self.places[bisect(weights, rng.random() * weights[-1])]
            stamps.append((now - timedelta(seconds=max(age, 600)), place))
        stamps.sort(key=lambda s: s[0])
        channel = _weighted(rng, CHANNELS)
        score = _weighted(rng, SCORES)
        codes = [c for c, *_rest in DEFAULT_CATEGORIES]
        category_index = _weighted(rng, [(i, CATEGORY_WEIGHTS.get(c, 5)) for i, c in enumerate(codes)])
        self.last_case = {}
        for created, place in stamps:
            self._case(place, created, channel(), place.categories[category_index()], score)

    def _event(self, case_id, actor, action, from_status, to_status, at, note="", data=None):
        self.events += 1
        self.t_event.add(self.next_id(CaseEvent), case_id, actor, action, from_status, to_status, note, data or {},
                         at)

    def _case(self, place: _Place, created: datetime, channel: str, category, score):
        rng, now = self.rng, self.now
        case_id = self.next_id(Case)
        cat_id, code, ack_hours, fix_hours = category
        ack_due, fix_due = created + ack_hours * H, created + fix_hours * H
        # Where: a flat (with its building), a building, a public place, or just words.
        where = rng.random()
        unit_id = building_id = public_place_id = None
        landlord_user, place_text = 0, ""
        if where < 0.70:
            unit_id, building_id, landlord_user, _let = rng.choice(place.units)
        elif where < 0.85:
            building_id, place_text = rng.choice(place.buildings), f"{rng.randint(1, 6)}楼楼道"
        elif where < 0.95:
            public_place_id = rng.choice(place.places)
        else:
            place_text = "小区主干道"
        reporter, reporter_name, reporter_phone = None, "", ""
        if channel == Case.Channel.APP and place.residents:
            reporter = filed_by = rng.choice(place.residents)
        else:
            channel = Case.Channel.HOTLINE if channel == Case.Channel.APP else channel
            filed_by = rng.choice(place.staff)
            reporter_name = "巡查员" if channel == Case.Channel.PATROL else self._name()
            reporter_phone = "" if channel == Case.Channel.PATROL else f"139{rng.randint(0, 99999999):08d}"
        staff = rng.choice(place.staff)
        self._event(case_id, filed_by, "file", "", "submitted", created, data={"channel": channel})
        # Routing on arrival: the village station takes everything, a let flat's sublandlord their flat.
        auto_team = place.handler_team if place.kind == Community.Kind.VILLAGE else None
        auto_user = landlord_user if (place.kind != Community.Kind.VILLAGE and landlord_user) else None
        status = "submitted"
        dispatched = acknowledged = fixed = closed = None
        handler_user = handler_team = merged_into = None
        escalation = 0
        fate = rng.random()
        if auto_team or auto_user:
            dispatched, handler_user, handler_team = created, auto_user, auto_team
            status = "dispatched"
            self._event(case_id, None, "dispatch", "submitted", "dispatched", created,
                        data={"auto": True, "handler_user": auto_user, "handler_team": auto_team})
        terminal = None
        if fate < 0.015:
            terminal = "rejected"
        elif fate < 0.025 and self.last_case.get(place.id):
            terminal = "duplicate"
        elif fate < 0.033 and status == "submitted" and reporter:
            terminal = "withdrawn"
        referred = terminal is None and status == "submitted" and fate > 0.975
        stuck = terminal is None and rng.random() < 0.0025
        if terminal:
            at = created + rng.lognormvariate(math.log(3), 1.0) * H
            if at < now:
                actor = reporter if terminal == "withdrawn" else staff
                action = {"rejected": "reject", "duplicate": "merge", "withdrawn": "withdraw"}[terminal]
                data = {}
                if terminal == "duplicate":
                    merged_into = self.last_case[place.id]
                    data = {"into": merged_into}
                self._event(case_id, actor, action, status, terminal, at,
                            note=rng.choice(REJECT_NOTES) if terminal == "rejected" else "", data=data)
                status, closed = terminal, at
        else:
            # Dispatch by hand (or refer to an agency), acknowledge, report fixed, verify.
            if status == "submitted":
                t = created + rng.lognormvariate(math.log(3), 1.0) * H
                if t < now:
                    if referred:
                        agency = rng.choice(self.agencies)
                        self.t_referral.add(self.next_id(CaseReferral), case_id, agency, "请协助处理。", staff, t)
                        self._event(case_id, staff, "refer", "submitted", "in_progress", t, note="请协助处理。",
                                    data={"agency": agency})
                        dispatched = acknowledged = t
                        handler_user, status = staff, "in_progress"
                    else:
                        if rng.random() < 0.5:
                            handler_user = rng.choice(place.handler_users or place.staff)
                        else:
                            handler_team = rng.choice([place.handler_team, place.squad])
                        dispatched, status = t, "dispatched"
                        self._event(case_id, staff, "dispatch", "submitted", "dispatched", t,
                                    data={"handler_user": handler_user, "handler_team": handler_team})
            handler_actor = handler_user or (rng.choice(place.handler_users) if place.handler_users else staff)
            if status == "dispatched":
                t = dispatched + rng.lognormvariate(math.log(ack_hours * 0.25), 0.9) * H
                if stuck and rng.random() < 0.5:
                    t = now + 1000 * H
                if t < now:
                    acknowledged, status = t, "in_progress"
                    self._event(case_id, handler_actor, "acknowledge", "dispatched", "in_progress", t)
            if status == "in_progress":
                t = acknowledged + rng.lognormvariate(math.log(fix_hours * 0.3), 0.8) * H
                if stuck:
                    t = now + 1000 * H
                if t < now:
                    fixed, status = t, "awaiting_verification"
                    self._event(case_id, handler_actor, "report_fixed", "in_progress", "awaiting_verification", t,
                                note=rng.choice(FIX_NOTES))
            if status == "awaiting_verification":
                t = fixed + rng.lognormvariate(math.log(12), 0.8) * H
                if t < now:
                    closed, status = t, "closed"
                    self._event(case_id, staff, "verify_pass", "awaiting_verification", "closed", t,
                                note=rng.choice(VERIFY_NOTES), data={"visited_at": t.isoformat()})
        # The clock: overdue open cases are escalated (committee, then Party secretary after 24 h).
        late_at = None
        if status in ("submitted", "dispatched") and ack_due < now:
            late_at = ack_due
        elif status in ("submitted", "dispatched", "in_progress") and fix_due < now:
            late_at = fix_due
        escalated_at = None
        if late_at is not None:
            escalation, escalated_at = 1, late_at
            self._event(case_id, None, "escalate", status, status, late_at, data={"level": 1})
            if late_at + 24 * H < now:
                escalation, escalated_at = 2, late_at + 24 * H
                self._event(case_id, None, "escalate", status, status, escalated_at, data={"level": 2})
        rating_reminded = None
        rated = False
        if status == "closed" and reporter:
            if rng.random() < 0.8:
                at = closed + min(rng.expovariate(1 / 36), 480) * H
                if at < now:
                    s = score()
                    partly = rng.random() < 0.05
                    reasons = ["speed", "result"] if s != "unsatisfied" else ["result"]
                    self.t_rating.add(self.next_id(CaseRating), case_id, reporter, s, reasons, partly, "", at)
                    self._event(case_id, reporter, "rate", "closed", "closed", at,
                                data={"score": s, "reasons": reasons, "partly_fixed": partly})
                    rated = True
                    if at > closed + 7 * 24 * H:
                        rating_reminded = closed + 7 * 24 * H
            if not rated and closed + 7 * 24 * H < now:
                rating_reminded = closed + 7 * 24 * H
        self.t_case.add(case_id, place.id, cat_id, reporter, reporter_name, reporter_phone, filed_by, channel,
                        rng.random() < 0.1, building_id, unit_id, public_place_id, place_text,
                        rng.choice(DESCRIPTIONS.get(code, DESCRIPTIONS["other"])), status, handler_user,
                        handler_team, merged_into, created, dispatched, acknowledged, fixed, closed, ack_due, fix_due,
                        0, False, escalation, escalated_at, rating_reminded)
        self.last_case[place.id] = case_id
        self._notify(place, case_id, created, status, channel, reporter, auto_team or auto_user, closed)

    def _notify(self, place, case_id, created, status, channel, reporter, routed, closed):
        """Inbox rows for the last 60 days: new cases to dispatch and to verify reach the committee staff;
        read after two days."""
        if self.now - created > timedelta(days=60):
            return
        url = f"/cases/{case_id}/"
        read = (lambda at: at + 48 * H if at + 48 * H < self.now else None)
        if not routed:
            for uid in place.staff:
                self.t_notification.add(self.next_id(Notification), uid, f"新诉求待派单：#{case_id}", "", url,
                                        created, read(created), created, 1, False, {}, case_id)
        if reporter:
            self.t_notification.add(self.next_id(Notification), reporter, f"已收到您反映的问题：#{case_id}", "",
                                    url, created, read(created), created, 1, False, {}, case_id)
        if closed and status == "closed":
            for uid in place.staff:
                self.t_notification.add(self.next_id(Notification), uid, f"待上门验收：#{case_id}", "", url,
                                        closed, read(closed), closed, 1, False, {}, case_id)


INTEGRITY_CHECKS = [
    ("case events without their case",
     ("SELECT count(*) FROM communities_caseevent e LEFT JOIN communities_case c ON c.id = e.case_id "
      "WHERE c.id IS NULL")),
    ("cases in a community without the category",
     ("SELECT count(*) FROM communities_case c JOIN communities_casecategory k ON k.id = c.category_id "
      "WHERE k.community_id <> c.community_id")),
    ("cases whose unit is not in their building",
     ("SELECT count(*) FROM communities_case c JOIN communities_unit u ON u.id = c.unit_id "
      "WHERE u.building_id <> c.building_id")),
    ("ratings without their case",
     ("SELECT count(*) FROM communities_caserating r LEFT JOIN communities_case c ON c.id = r.case_id "
      "WHERE c.id IS NULL")),
    ("residencies without their person or unit",
     ("SELECT count(*) FROM communities_residency r LEFT JOIN communities_person p ON p.id = r.person_id "
      "LEFT JOIN communities_unit u ON u.id = r.unit_id WHERE p.id IS NULL OR u.id IS NULL")),
    ("cases with a missing reporter, handler or filer",
     ("SELECT count(*) FROM communities_case c LEFT JOIN communities_user r ON r.id = c.reporter_id "
      "LEFT JOIN communities_user f ON f.id = c.filed_by_id LEFT JOIN communities_user h ON h.id = c.handler_user_id "
      "WHERE (c.reporter_id IS NOT NULL AND r.id IS NULL) OR f.id IS NULL "
      "OR (c.handler_user_id IS NOT NULL AND h.id IS NULL)")),
]


def check_integrity(cursor) -> list[str]:
    """The references the loader did not check: a list of problems, empty when all hold."""
    problems = []
    for label, sql in INTEGRITY_CHECKS:
        cursor.execute(sql)
        n = cursor.fetchone()[0]
        if n:
            problems.append(f"{n} {label}")
    return problems
