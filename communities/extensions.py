"""The door: where the community apps (landlords, talents, propertyservice) plug into the core.

The core never imports an app. An app calls the hooks below from its ``AppConfig.ready`` and reaches the core's
pages and numbers through them only (ephios' ``core/signals.py`` is the model). Each hook's docstring says what it
is for, when it is called, its arguments and gives an example.

- ``register_rules(app_label, rules)``: the app's access rules, named ``"<app>.…"``, into ``communities.policy``;
- ``register_nav(provider)``: the app's menu entries (shown only to users of a community the app serves);
- ``register_panel(page, provider)``: content on a core page (case, shift, meeting, home, community, profile);
- ``register_case_origin(kind, resolver)``: the link from a case to the app object it was filed from
  ("这条诉求来自…"); the filing service calls ``communities.services.cases.case_origin_record``;
- ``serves(app_label, community)`` / ``served_community_ids(app_label)``: which communities an app serves
  (``CommunityApp`` rows, set by staff in the admin and by the demo seed), never guessed from team kinds;
- ``record_figure(...)`` (the service ``communities.services.figures.record_figure``): the app's numbers for
  the Party dashboards, which read the rows and run no app code;
- ``register_document_kind(DocumentKindSpec(…))``: a kind of versioned document the app's members acknowledge
  (蓉庭's charter and covenant); the core's document services read its spec;
- ``register_electorate(app_label, key, label, build)``: a kind of voter roll for elections and motions;
- ``register_evaluation_source(subject, fn)``: where the core's service evaluation (``communities.models.evaluations``)
  reads a subject's objective checks (the 光明村 station's patrols completed, hand-overs on time …);
- ``register_demo_seeder(name, "dotted.path")``: the app's demo data, run by ``seed_demo`` after the core's;
- volunteer hours: ``communities.services.hours.hours_record`` (a core mechanism, not a hook): an app records the
  service of what it organised (a free class session taught: ``source_kind="talents.session"``) once per source,
  with who confirmed it and how; ``paid=True`` (a trial class at a fee) is refused and earns no hours. The core's
  own shifts are recorded at check-out. Totals are 平台记录; certificates (证明) are the committee's, in the core;
- signals ``case_closed``, ``shift_checked_in``, ``meeting_attended`` (below) and ``election_published``
  (``communities.services.elections``): core events, sent once the change is committed.

An app that serves no community shows nothing: its menu entries and its panels on a page about a community are
skipped by the core, before any of the app's code runs. A panel or an origin resolver that raises is logged and
left out; the core page still renders.
"""
import logging
from dataclasses import dataclass, field
from typing import Callable

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

NAV_PROVIDERS: list[tuple[str, Callable]] = []  # (app label, provider)
DEMO_SEEDERS: list[tuple[str, str]] = []  # (name, dotted path of the seeder)

# The core pages an app may put a panel on, and what ``obj`` is for each.
PANEL_PAGES = {
    "case": "the Case",
    "shift": "the Shift",
    "meeting": "the Meeting",
    "community": "the Community",
    "home": "None (the signed-in user's home page)",
    "profile": "the signed-in User (their account page)",
}
PANELS: dict[str, list[tuple[str, Callable]]] = {page: [] for page in PANEL_PAGES}  # page -> [(app label, provider)]
CASE_ORIGINS: dict[str, Callable] = {}  # "<app>.<kind>" -> resolver

# Actions an app declared before the door required its prefix. Empty now: every landlords action is named
# ``landlords.…`` and the needs list's and documents' rules are the core's. No name may join this list.
UNPREFIXED_LEGACY = frozenset()


def register_rules(app_label: str, rules: dict) -> None:
    """Add an app's access rules to the core policy table (``communities.policy.RULES``).

    Called once from the app's ``AppConfig.ready``. ``rules`` maps action names to
    ``communities.policy.Rule``; every action starts with ``"<app_label>."``. A rule whose extra grant has
    no list filter is already refused when the ``Rule`` is built. Raises ``ImproperlyConfigured`` at
    start-up when an action lacks the prefix or clashes with an action already defined. Returns nothing.
    Example::

        extensions.register_rules("talents", {
            "talents.class.enrol": Rule(frozenset({Role.TALENT}), town=False),
        })
    """

    from . import policy

    for action, rule in rules.items():
        if not action.startswith(f"{app_label}.") and action not in UNPREFIXED_LEGACY:
            raise ImproperlyConfigured(f"{app_label}: action {action!r} must start with {app_label!r}.")
        if action in policy.RULES and policy.RULES[action] is not rule:
            raise ImproperlyConfigured(f"{app_label}: action {action!r} is already defined")
    policy.RULES.update(rules)


def _app_label_of(fn: Callable) -> str:
    config = apps.get_containing_app_config(fn.__module__)
    if config is None:
        raise TypeError(f"{fn!r} is not defined in an installed app")
    return config.label


def register_nav(provider: Callable, *, app_label: str = "") -> None:
    """Add menu entries: ``provider(user) -> list[NavItem]`` (``communities.selectors.navigation.NavItem``).

    Called on every signed-in page, after the core's own entries, for users of a community the app serves (a
    town role: when it serves any); keep it cheap (no query, or one). An entry with a ``hint`` is also a tile
    on the home page. ``app_label`` defaults to the app the provider is defined in. Returns nothing;
    registering the same provider twice adds it once. Example::

        def talents_nav(user):
            if not policy.can(user, "talents.class.enrol"):
                return []
            return [NavItem(_("达人课堂"), reverse("talents:classes"), "easel", _("报名参加达人开的课"))]

        extensions.register_nav(talents_nav)
    """
    if all(existing is not provider for _label, existing in NAV_PROVIDERS):
        NAV_PROVIDERS.append((app_label or _app_label_of(provider), provider))


def nav_items(user) -> list:
    """The apps' menu entries for ``user``, in the order registered, skipping apps that serve none of the
    user's communities (from the facts loaded once per request: no query of its own)."""
    from . import policy

    items = []
    mine = set(policy.memberships(user))
    for app_label, provider in NAV_PROVIDERS:
        served = served_community_ids(app_label, user=user)
        if not served or not (policy.is_town(user) or served & mine):
            continue
        items.extend(provider(user))
    return items


# --- panels on core pages ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Panel:
    """What a panel provider returns: a template of the app and its context (rendered with the request)."""
    template: str
    context: dict = field(default_factory=dict)


def register_panel(page: str, provider: Callable, *, app_label: str = "") -> None:
    """Put the app's content on a core page.

    ``page`` is one of ``PANEL_PAGES``: ``"case"``, ``"shift"``, ``"meeting"``, ``"community"``, ``"home"`` or
    ``"profile"``. The core page renders ``{% panels "<page>" obj %}`` (``communities/templatetags/door.py``)
    where its app content goes, and that calls ``provider(request, obj)`` for each panel registered there, in
    the order registered. ``obj`` is the page's object (see ``PANEL_PAGES``). On a page about a community (case,
    shift, meeting, community) the provider is called only when its app serves that community; on home and
    profile the provider decides (``served_community_ids(app_label, user=request.user)``).

    The provider returns ``None`` (nothing to show this user), a ``Panel(template, context)`` (rendered with
    the request, so ``{% csrf_token %}`` and ``request.user`` work), or HTML as a string (escaped unless it is
    a ``SafeString``). It must check access itself (``policy.can``). ``app_label`` defaults to the app the
    provider is defined in. A provider that raises is logged (``communities.extensions``) and left out: the
    core page still renders. Raises ``ValueError`` at start-up for an unknown page. Example::

        def record_on_duty(request, shift):
            if shift.rota.kind != Rota.Kind.MEDIATION_ROOM:
                return None
            if not policy.can(request.user, "landlords.mediation.record", shift):
                return None
            return Panel("landlords/panels/shift_mediation.html", {"shift": shift})

        extensions.register_panel("shift", record_on_duty)
    """
    if page not in PANEL_PAGES:
        raise ValueError(f"register_panel: unknown page {page!r} (one of {', '.join(PANEL_PAGES)})")
    if all(existing is not provider for _label, existing in PANELS[page]):
        PANELS[page].append((app_label or _app_label_of(provider), provider))


def render_panels(page: str, request, obj=None) -> SafeString:
    """Every panel of ``page`` for this request, as HTML (what ``{% panels %}`` puts on the page)."""
    from . import policy

    community_id = None
    if obj is not None and page not in ("home", "profile"):
        community = policy.community_of(obj)
        community_id = getattr(community, "pk", community)
    parts = []
    for app_label, provider in PANELS[page]:
        if community_id is not None and not serves(app_label, community_id, user=request.user):
            continue
        try:
            result = provider(request, obj)
            if result is None:
                continue
            if isinstance(result, Panel):
                html = render_to_string(result.template, result.context, request=request)
            else:
                html = conditional_escape(result)
        except Exception:  # an app's failure must not take the core page with it
            logger.exception("panel %s.%s on the %s page failed; left out", app_label,
                             getattr(provider, "__name__", provider), page)
            continue
        parts.append(html)
    return mark_safe("".join(parts))  # rendered templates and escaped strings only


# --- case origins -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OriginLink:
    """What an origin resolver returns: the object's name for this viewer, and its page (empty: not for them)."""
    label: str
    url: str = ""


def register_case_origin(kind: str, resolver: Callable) -> None:
    """Name a kind of app object a case can be filed from, and how the case page links back to it.

    ``kind`` is ``"<app_label>.<what>"`` (``"landlords.mediation_record"``). The app's service that files the
    case calls ``communities.services.cases.case_origin_record(case=…, kind=kind, object_id=…)`` in the same
    transaction; the case page then shows "这条诉求来自：…" by calling ``resolver(user=viewer, object_id=id)``,
    which returns an ``OriginLink(label, url)`` (``url=""`` when the viewer may not open the object) or
    ``None`` (the object is gone: nothing is shown). A resolver that raises is logged and nothing is shown.
    Raises ``ImproperlyConfigured`` when ``kind`` lacks a prefix or is registered twice. Example::

        def mediation_record_link(*, user, object_id):
            record = MediationRecord.objects.filter(pk=object_id).first()
            if record is None:
                return None
            url = reverse("landlords:mediation_record_detail", args=[record.pk])
            return OriginLink(_("调解室记录：%(parties)s") % {"parties": record.parties},
                              url if policy.can(user, "landlords.mediation.view", record) else "")

        extensions.register_case_origin("landlords.mediation_record", mediation_record_link)
    """
    from django.core.exceptions import ImproperlyConfigured

    app_label, dot, what = kind.partition(".")
    if not (dot and what and apps.is_installed(_module_of(app_label))):
        raise ImproperlyConfigured(f"case origin {kind!r} must be named '<app_label>.<what>' of an installed app")
    if CASE_ORIGINS.get(kind, resolver) is not resolver:
        raise ImproperlyConfigured(f"case origin {kind!r} is already registered")
    CASE_ORIGINS[kind] = resolver


def _module_of(app_label: str) -> str:
    try:
        return apps.get_app_config(app_label).name
    except LookupError:
        return app_label


def case_origin_link(origin, user) -> OriginLink | None:
    """The link of a case's origin (a ``CaseOrigin`` row) for ``user``, or None."""
    resolver = CASE_ORIGINS.get(origin.kind)
    if resolver is None:
        return None
    try:
        return resolver(user=user, object_id=origin.object_id)
    except Exception:  # as for panels: the case page still renders
        logger.exception("case origin resolver %s failed for case %s; left out", origin.kind, origin.case_id)
        return None


# --- which apps serve a community ---------------------------------------------------------------------------

def served_community_ids(app_label: str, *, user=None) -> set[int]:
    """The ids of the communities ``app_label`` serves (``CommunityApp`` rows, set by staff in the admin).

    With ``user`` (a signed-in request's user): from the facts loaded once per request, no query of its own;
    without: one query. Example (an app's home panel, shown only to members of a community it serves)::

        served = extensions.served_community_ids("landlords", user=request.user)
        if not served & set(policy.memberships(request.user)):
            return None
    """
    if user is not None and user.is_authenticated:
        from . import viewer

        return set(viewer.facts_of(user).app_communities.get(app_label, ()))
    from .models import CommunityApp

    return set(CommunityApp.objects.filter(app_label=app_label).values_list("community_id", flat=True))


def serves(app_label: str, community, *, user=None) -> bool:
    """Does ``app_label`` serve ``community`` (a Community or its id)? See ``served_community_ids``."""
    community_id = getattr(community, "pk", community)
    if user is not None and user.is_authenticated:
        return community_id in served_community_ids(app_label, user=user)
    from .models import CommunityApp

    return CommunityApp.objects.filter(app_label=app_label, community_id=community_id).exists()


# --- figures for the Party dashboards ----------------------------------------------------------------------

def record_figure(*, community, app_label: str, key: str, day, value: int, label) -> None:
    """Push one of the app's numbers for one community and day to the Party dashboards.

    The core service ``communities.services.figures.record_figure`` (an idempotent upsert: a repeat for the same
    community, app, key and day overwrites the value). Call it from a thin Celery task (daily, say) or once your
    own change commits; the dashboard shows the latest day's value of each key in its period, reading the rows
    only. ``label`` is the app's ``gettext_lazy`` text, shown in the reader's language. Example::

        @shared_task(ignore_result=True)
        def record_landlords_figures():
            for community_id, n in active_registrations_by_community():
                extensions.record_figure(community=community_id, app_label="landlords",
                                         key="tenant_registrations", day=timezone.localdate(), value=n,
                                         label=gettext_lazy("在住租客登记"))
    """
    from .services.figures import record_figure as record

    record(community=community, app_label=app_label, key=key, day=day, value=value, label=label)


# --- electorates ----------------------------------------------------------------------------------------

def register_electorate(app_label: str, key: str, label, build: Callable, *, counts_area: bool = False,
                        community_kind=None) -> None:
    """Add a kind of voter roll for the core's elections and motions (``communities.electorates``).

    ``key`` starts with the app's label (``"talents.squad_members"``); ``label`` is what staff pick on the
    election form; ``build(election, now) -> list[ElectionVoter]`` makes the roll when voting opens (unsaved
    rows: the core saves them, one group per row, with ``area`` if ``counts_area``); ``community_kind``
    limits the choice to communities of that kind. Registering a key twice with another builder fails at
    start-up. Example::

        extensions.register_electorate("talents", "talents.squad_members", _("治理小分队成员"), squad_roll)
    """
    from . import electorates  # the registry lives beside the core's own providers

    if not key.startswith(f"{app_label}."):
        raise ImproperlyConfigured(f"electorate {key!r} of app {app_label!r} must start with {app_label!r}.")
    electorates.register(key, label, build, counts_area=counts_area, community_kind=community_kind)


# --- service evaluation (communities.models.evaluations) ----------------------------------------------

EVALUATION_SOURCES: dict[str, Callable] = {}  # subject -> fn(*, community, criterion_key, start, end)


def register_evaluation_source(subject: str, fn: Callable) -> None:
    """Say where the objective criteria of ``subject`` get their values (客观指标).

    ``subject`` is the key the app's evaluation standards use, starting with the app's label
    (``"propertyservice.station"``). ``fn(*, community, criterion_key, start, end)`` is called for each objective
    criterion of the standard in force with its ``metric_key`` and the month's days ``start`` ≤ day < ``end``
    (``datetime.date``, Asia/Shanghai); it returns ``(part, whole)`` (the share met: 29 patrols of 30) or None
    when the app has no such measure (shown "暂无数据" and left out of the weights). ``whole == 0`` means
    nothing was due: also left out. Each call runs a fixed number of queries. Called once from the app's
    ``AppConfig.ready``; registering a subject twice with another function fails at start-up. Example::

        def station_source(*, community, criterion_key, start, end):
            if criterion_key not in {m.key for m in METRICS}:
                return None
            m = measure(criterion_key, community=community, start=start, end=end)
            return m.part, m.whole

        extensions.register_evaluation_source("propertyservice.station", station_source)
    """
    if EVALUATION_SOURCES.get(subject, fn) is not fn:
        raise ImproperlyConfigured(f"evaluation source {subject!r} is already registered")
    EVALUATION_SOURCES[subject] = fn


def evaluation_source(subject: str) -> Callable | None:
    return EVALUATION_SOURCES.get(subject)


# --- demo data --------------------------------------------------------------------------------------------

def register_demo_seeder(name: str, seeder: str) -> None:
    """Add the app's demo data: ``seeder`` is the dotted path of ``fn() -> dict`` (the counts it made).

    ``seed_demo`` imports and runs it after the core's demo, in the order registered; it must be idempotent
    (a second ``seed_demo`` changes nothing). A path, not the function: demo code is loaded by ``seed_demo``
    only, never by every web and worker process. The seeder also says which demo communities the app serves
    (``CommunityApp.objects.get_or_create``). Raises ``TypeError`` for a function. Example::

        extensions.register_demo_seeder("rentals", "landlords.demo.rentals.demo_rentals_seed")
    """
    if not isinstance(seeder, str):
        raise TypeError(f"demo seeder {name!r}: register its dotted path, not the function, so that only "
                        f"seed_demo imports demo code")
    if all(existing != name for existing, _ in DEMO_SEEDERS):
        DEMO_SEEDERS.append((name, seeder))


# --- kinds of versioned documents (communities.models.documents) --------------------------------------

@dataclass(frozen=True)
class DocumentKindSpec:
    """One kind of versioned document an app brings (蓉庭's charter and covenant; 郡园's rules of procedure …).

    ``kind``: the slug stored on each version (at most 10 characters) and used in URLs; ``label``: its name.
    ``actions``: the policy action of each step, keys ``draft``, ``adopt``, ``acknowledge``, ``report`` and,
    when paper signatures are recorded, ``record_paper`` (the app registers these rules itself).
    ``adoption_dated``: whoever adopts gives the date it was adopted (a charter voted at a meeting); otherwise
    a version is adopted on the day it is approved. ``bound``: ``fn(person, community) -> bool``, who must
    acknowledge it in the app beyond holding the acknowledge role (None: everyone holding it), with
    ``unbound_message`` the refusal shown to the others. ``paper_signers``: ``fn(actor, community) -> QuerySet
    of Person``, whose paper signature ``actor`` may record (None: no paper signatures for this kind).
    ``url``: ``fn(version) -> str``, the app's page of the kind (linked from notifications).
    """

    kind: str
    label: object
    actions: dict
    adoption_dated: bool = False
    bound: Callable | None = None
    unbound_message: object = ""
    paper_signers: Callable | None = None
    url: Callable | None = None


DOCUMENT_KINDS: dict[str, DocumentKindSpec] = {}


def register_document_kind(spec: DocumentKindSpec) -> None:
    """Add a kind of versioned document; its actions must be rules the app registered. Example::

        extensions.register_document_kind(DocumentKindSpec(
            kind="procedure", label=_("业主大会议事规则"),
            actions={"draft": "owners.procedure.draft", "adopt": "owners.procedure.adopt",
                     "acknowledge": "owners.procedure.acknowledge", "report": "owners.procedure.report"},
            adoption_dated=True))

    Raises ``ImproperlyConfigured`` when the kind is registered twice with a different spec or misses a step.
    """
    from django.core.exceptions import ImproperlyConfigured

    if len(spec.kind) > 10:
        raise ImproperlyConfigured(f"document kind {spec.kind!r}: at most 10 characters")
    missing = {"draft", "adopt", "acknowledge", "report"} - set(spec.actions)
    if missing:
        raise ImproperlyConfigured(f"document kind {spec.kind!r}: no action for {sorted(missing)}")
    if spec.paper_signers is not None and "record_paper" not in spec.actions:
        raise ImproperlyConfigured(f"document kind {spec.kind!r}: paper signatures need a record_paper action")
    if DOCUMENT_KINDS.get(spec.kind, spec) != spec:
        raise ImproperlyConfigured(f"document kind {spec.kind!r} is already registered")
    DOCUMENT_KINDS[spec.kind] = spec


def document_kind(kind: str) -> DocumentKindSpec | None:
    return DOCUMENT_KINDS.get(kind)


# --- domain signals, sent after the transaction commits ----------------------------------------------
# An app listens with ``signal.connect(receiver, dispatch_uid="<app>.<what>")`` in its ``AppConfig.ready``.
# The core sends them through ``transaction.on_commit``: a receiver runs once, only when the change is
# stored (never on a rollback), outside the core's transaction, so it may queue tasks or write rows of its
# own. (``election_published``, in communities.services.elections, is the exception: it is sent inside
# the publishing transaction so that the officers change with the result.)

case_closed = Signal()
"""A case reached 已办结 (closed).

Sent with ``sender=Case``, ``case`` (the closed case, saved) and ``actor`` (who closed it).
Return value ignored. Example::

    def count_closed(sender, case, actor, **kwargs):
        record_figure(...)

    case_closed.connect(count_closed, dispatch_uid="landlords.count_closed")
"""

shift_checked_in = Signal()
"""A member checked in at their shift (the first check-in only; a repeat sends nothing).

Sent with ``sender=ShiftAssignment``, ``assignment`` and ``actor``. Return value ignored. Example::

    shift_checked_in.connect(lambda sender, assignment, **kw: ..., dispatch_uid="talents.hours")
"""

meeting_attended = Signal()
"""Someone's attendance at a meeting was recorded (the first time only).

Sent with ``sender=Attendance``, ``attendance`` (meeting, user, checked_in_at) and ``actor`` (who recorded
it: the attendee or the organiser). Return value ignored. Example::

    meeting_attended.connect(lambda sender, attendance, **kw: ..., dispatch_uid="landlords.attendance")
"""


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    """Send ``signal`` once the current transaction commits (at once when there is none)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
