from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import policy
from ..models import mask_phone
from .cases import overdue_q

EXPORT_HEADERS = [_("编号"), _("提交时间"), _("社区"), _("类别"), _("地点"), _("状态"), _("渠道"), _("处理人"),
                  _("反映人"), _("反映人电话"), _("响应期限"), _("办结期限"), _("超时")]


def export_rows(*, user, cases) -> tuple[list[list], list]:
    """Rows for the Excel export, and the (person, community id) pairs whose phone was shown unmasked."""
    now = timezone.now()
    overdue_ids = set(cases.model.objects.filter(pk__in=[c.pk for c in cases]).filter(overdue_q(now))
                      .values_list("pk", flat=True)) if cases else set()
    may_see = {}
    rows, shown = [], []
    local = timezone.localtime
    for case in cases:
        if case.community_id not in may_see:
            may_see[case.community_id] = policy.can(user, "case.reporter_contact", case)
        person = getattr(case.reporter, "person", None) if case.reporter_id else None
        name = person.name if person else (case.reporter_name or (case.reporter.username if case.reporter else ""))
        phone = person.phone if person else case.reporter_phone
        if may_see[case.community_id]:
            if phone:
                shown.append((person, case.community_id))  # person is None for a walk-in caller
        else:
            phone = mask_phone(phone)
        rows.append([
            case.pk, local(case.created_at), case.community.name, case.category.name,
            case.place_label(), str(case.get_status_display()), str(case.get_channel_display()),
            _handler_label(case), name, phone,
            local(case.ack_due_at) if case.ack_due_at else "",
            local(case.fix_due_at) if case.fix_due_at else "",
            str(_("是")) if case.pk in overdue_ids else "",
        ])
    return rows, shown


def _handler_label(case) -> str:
    if case.handler_user_id:
        return case.handler_user.display_name()
    if case.handler_team_id:
        return case.handler_team.name
    return ""
