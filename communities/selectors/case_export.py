from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import overdue_q
from .personal_data import Subject, reporter_subject

EXPORT_HEADERS = [_("编号"), _("提交时间"), _("社区"), _("类别"), _("地点"), _("状态"), _("渠道"), _("处理人"),
                  _("反映人"), _("反映人电话"), _("响应期限"), _("办结期限"), _("超时"), _("情况描述"), _("验收时间"), _("评价"),
                  _("评价原因")]
# The reasons a rating may give, as stored (services/case_workflow.py keeps only these keys).
RATING_REASON_LABELS = {"speed": _("速度"), "attitude": _("态度"), "result": _("结果")}


def reporter_subjects(cases) -> list[Subject]:
    """The reporters' phones of the exported cases, to reveal through ``communities.services.personal_data``."""
    return [reporter_subject(case, getattr(case.reporter, "person", None) if case.reporter_id else None)
            for case in cases]


def export_rows(*, cases, phones: dict) -> list[list]:
    """Rows for the Excel export; ``phones``: {case id: the reporter's phone as shown}."""
    now = timezone.now()
    overdue_ids = set(cases.model.objects.filter(pk__in=[c.pk for c in cases]).filter(overdue_q(now))
                      .values_list("pk", flat=True)) if cases else set()
    rows = []
    local = timezone.localtime
    for case in cases:
        person = getattr(case.reporter, "person", None) if case.reporter_id else None
        name = person.name if person else (case.reporter_name or (case.reporter.username if case.reporter else ""))
        rows.append([
            case.pk, local(case.created_at), case.community.name, case.category.name,
            case.place_label(), str(case.get_status_display()), str(case.get_channel_display()),
            _handler_label(case), name, phones[case.pk],
            local(case.ack_due_at) if case.ack_due_at else "",
            local(case.fix_due_at) if case.fix_due_at else "",
            str(_("是")) if case.pk in overdue_ids else "",
            case.description, local(case.closed_at) if case.closed_at else "", *_rating_cells(case),
        ])
    return rows


def _rating_cells(case) -> list[str]:
    """The reporter's rating and its reasons (with 只解决了一部分), or two blanks; the rating is select_related."""
    rating = getattr(case, "rating", None)  # a case without one raises an AttributeError: None
    if rating is None:
        return ["", ""]
    reasons = [str(RATING_REASON_LABELS.get(key, key)) for key in rating.reasons or []]
    if rating.partly_fixed:
        reasons.append(str(_("只解决了一部分")))
    return [str(rating.get_score_display()), "、".join(reasons)]


def _handler_label(case) -> str:
    if case.handler_user_id:
        return case.handler_user.display_name()
    if case.handler_team_id:
        return case.handler_team.name
    return ""
