"""The volunteer-service certificate (志愿服务证明) as a PDF, drawn with reportlab.

Chinese text uses reportlab's built-in CID font STSong-Light (the reader's PDF viewer supplies the glyphs), so no
font file is shipped. The certificate states what 民政部令第67号 art. 4 and RULES.md ask: the volunteer, the hours
and the content of the service, the issuer (name, person in charge, handler, contact), the number from the
register and the date; the issuer seals and signs the printed page. It carries no volunteer's phone.
"""
import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

FONT = "STSong-Light"


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".")


def certificate_pdf(certificate) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=22, leading=30, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=13, leading=22, firstLineIndent=26)
    small = ParagraphStyle("small", fontName=font, fontSize=11, leading=17)
    right = ParagraphStyle("right", fontName=font, fontSize=12, leading=20, alignment=2)

    c = certificate
    text = _("兹证明 %(name)s 于 %(start)s 至 %(end)s 期间参加%(issuer)s组织的志愿服务活动，累计服务时长 %(hours)s 小时。"
             "服务内容：%(content)s。") % {
        "name": c.volunteer_name, "start": f"{c.period_from:%Y年%m月%d日}", "end": f"{c.period_to:%Y年%m月%d日}",
        "issuer": c.issuer_name, "hours": _hours(c.total_minutes), "content": c.content}
    rows = [
        [_("证明编号"), c.number],
        [_("出具单位"), c.issuer_name],
        [_("负责人"), c.person_in_charge],
        [_("经办人"), c.handler_name],
        [_("联系电话"), c.contact_phone],
        [_("公示日期"), _("%(date)s 起在本单位内公示 7 天") % {"date": f"{c.notice_starts_on:%Y-%m-%d}"}],
        [_("出具日期"), f"{c.issued_on:%Y年%m月%d日}" if c.issued_on else ""],
    ]
    table = Table([[Paragraph(escape(str(k)), small), Paragraph(escape(str(v)), small)] for k, v in rows],
                  colWidths=[32 * mm, 120 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        Paragraph(escape(_("志愿服务证明")), title), Spacer(1, 4 * mm),
        Paragraph(escape(c.number), right), Spacer(1, 6 * mm),
        Paragraph(escape(text), body), Spacer(1, 8 * mm), table, Spacer(1, 10 * mm),
        Paragraph(escape(_("依据《志愿服务条例》第十九条和《志愿服务记录与证明出具办法（试行）》出具。")), small),
        Spacer(1, 16 * mm),
        Paragraph(escape(_("出具单位（盖章）：%(issuer)s")) % {"issuer": escape(c.issuer_name)}, right),
        Paragraph(escape(_("负责人（签字）：")), right),
        Paragraph(escape(f"{c.issued_on:%Y年%m月%d日}" if c.issued_on else ""), right),
    ]
    if c.status == c.Status.VOID:
        story.insert(1, Paragraph(escape(_("【已作废】%(reason)s") % {"reason": c.void_reason}), title))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=str(_("志愿服务证明")), author=c.issuer_name,
                            leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm)
    doc.build(story)
    return buffer.getvalue()
