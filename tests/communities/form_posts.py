"""What a browser would post for a form as the page renders it: every named input with its value (checked
boxes only), each select's selected options, each textarea's text. Lets a test "open the edit page and save
without touching anything" instead of hand-writing the post."""
from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action_contains: str):
        super().__init__(convert_charrefs=True)
        self.action_contains, self.inside, self.data = action_contains, False, {}
        self._select = self._textarea = None
        self._found = False

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self._found and a.get("method", "").lower() == "post" \
                and self.action_contains in (a.get("class", "") + " " + a.get("action", "")):
            self.inside = self._found = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            else:
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
            self._options = getattr(self, "_options", []) + [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple, chosen = self._select
            options = getattr(self, "_options", [])
            if chosen:
                self.data[name] = chosen
            elif not multiple and options:
                self.data[name] = [options[0]]  # a single select posts its first option when none is selected
            self._select, self._options = None, []
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            self._add(name, "".join(parts).lstrip("\n"))
            self._textarea = None


def form_data(html: str, form_class: str) -> dict:
    """{name: value or [values]} of the first POST form whose class or action contains ``form_class``."""
    parser = _Form(form_class)
    parser.feed(html)
    return {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}
