"""axe-core checks, a non-text contrast check (WCAG 2.1 1.4.11) and the navigation helpers that run them on
every page a browser test lands on."""
import functools
from pathlib import Path
from urllib.parse import urldefrag

AXE_JS = Path(__file__).resolve().parent / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ''})),
  }));
}"""


@functools.cache
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page):
    """All WCAG 2.0/2.1 A and AA violations axe-core finds on the current page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern
        # (an injected <script> tag would be refused, as it should be).
        page.evaluate(_axe_source() + "\n;true")
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


# WCAG 2.1 1.4.11 (non-text contrast): the visual boundary of every visible, enabled form control — its border,
# or for a borderless filled control its fill — must reach 3:1 against what lies behind it. axe-core does not
# test this. Controls with neither a border nor a fill (text-only links and buttons) have no boundary to test.
MIN_NON_TEXT_CONTRAST = 3.0

_CONTROL_CONTRAST = """(minRatio) => {
  const parse = (c) => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => {  // top composited over an opaque bottom
    const a = top.a;
    return {r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1};
  };
  const lum = (c) => {
    const ch = [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (x, y) => { const a = lum(x), b = lum(y); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
  const hex = (c) => '#' + [c.r, c.g, c.b].map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  // The colour behind an element: its ancestors' backgrounds, composited from the page (white) up.
  const behind = (el) => {
    const layers = [];
    for (let n = el.parentElement; n; n = n.parentElement) {
      const bg = parse(getComputedStyle(n).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    return layers.reverse().reduce((acc, layer) => over(layer, acc), {r: 255, g: 255, b: 255, a: 1});
  };
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (el.getAttribute('name')) d += '[name="' + el.getAttribute('name') + '"]';
    if (el.type && el.tagName === 'INPUT') d += '[type="' + el.type + '"]';
    if (el.classList.length) d += '.' + Array.from(el.classList).join('.');
    const label = el.tagName === 'SELECT' ? (el.selectedOptions[0] || {}).text : (el.innerText || el.value);
    const text = (label || el.getAttribute('aria-label') || '').trim().split('\\n')[0].slice(0, 30);
    return text ? d + ' "' + text + '"' : d;
  };
  const skippedTypes = ['hidden', 'range', 'color', 'image'];
  const controls = document.querySelectorAll('input, select, textarea, button, .btn');
  const failures = [];
  for (const el of controls) {
    if (el.disabled || skippedTypes.includes(el.type) || el.classList.contains('btn-check')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) continue;  // visually hidden (clipped to 1px)
    const style = getComputedStyle(el);
    const back = behind(el);
    const fillRaw = parse(style.backgroundColor);
    const fill = fillRaw && fillRaw.a > 0 ? over(fillRaw, back) : back;
    const candidates = [];
    if (fillRaw && fillRaw.a > 0) candidates.push({what: 'fill', colour: fill});
    for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
      const width = parseFloat(style['border' + side + 'Width']);
      const colour = parse(style['border' + side + 'Color']);
      if (width >= 1 && style['border' + side + 'Style'] !== 'none' && colour && colour.a > 0) {
        candidates.push({what: 'border', colour: over(colour, fill)});
      }
    }
    if (!candidates.length) continue;  // no boundary drawn: a text-only control
    const scored = candidates.map(c => ({...c, ratio: ratio(c.colour, back)}));
    const best = scored.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    if (best.ratio < minRatio) {
      failures.push({element: describe(el), ratio: Math.round(best.ratio * 100) / 100, what: best.what,
                     colour: hex(best.colour), background: hex(back)});
    }
  }
  return failures;
}"""


def control_contrast_failures(page):
    """Visible form controls whose boundary (border, or fill when borderless) has less than 3:1 contrast."""
    return page.evaluate(_CONTROL_CONTRAST, MIN_NON_TEXT_CONTRAST)


def assert_control_contrast(page):
    """Fail if any visible form control's border or fill is below 3:1 against its background (WCAG 1.4.11)."""
    failures = control_contrast_failures(page)
    lines = [f"{len(failures)} form control(s) below {MIN_NON_TEXT_CONTRAST}:1 non-text contrast (WCAG 2.1 1.4.11)"
             f" on {page.url}:"]
    lines += [f"- {f['element']}: {f['what']} {f['colour']} on {f['background']} = {f['ratio']}:1" for f in failures[:20]]
    assert not failures, "\n".join(lines)


def format_violations(violations, url=""):
    lines = [f"{len(violations)} serious/critical accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    at {target}")
            detail = " ".join(part.strip() for part in node["summary"].splitlines() if part.strip())
            if detail:
                lines.append(f"       {detail[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more element(s)")
    return "\n".join(lines)


def assert_accessible(page):
    """Fail on any serious or critical axe-core violation of WCAG 2.1 A/AA on the page as it is now, and on any
    form control below 3:1 non-text contrast (``assert_control_contrast``)."""
    page.wait_for_load_state("load")
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, format_violations(blocking, page.url)
    assert_control_contrast(page)
    checked = getattr(page, "axe_checked", None)
    if checked is not None:
        checked.add(urldefrag(page.url).url)


def visit(page, url):
    """Open ``url`` (absolute, or a path on the live server), wait until it has loaded, check it with axe."""
    response = page.goto(url)
    page.wait_for_load_state("load")
    assert response is not None and response.ok, f"GET {url} -> {response.status if response else 'no response'}"
    assert_accessible(page)
    return response
