"""axe-core checks and the navigation helpers that run them on every page a browser test lands on."""
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
    """Fail on any serious or critical axe-core violation of WCAG 2.1 A/AA on the page as it is now."""
    page.wait_for_load_state("load")
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, format_violations(blocking, page.url)
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
