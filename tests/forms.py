"""Submit a rendered HTML form as a browser would: every field with its current value."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id, crlf=False):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields, self.crlf = form_id, False, [], crlf
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind == "submit" and attrs["name"] == "_save":  # the button a person presses
                self.fields.append((attrs["name"], attrs.get("value", "")))
            elif kind not in ("submit", "button", "file", "image"):
                self.fields.append(
                    (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
                )
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            value = value.removeprefix("\n")
            if self.crlf:  # browsers send a textarea's line breaks as CRLF
                value = value.replace("\r\n", "\n").replace("\n", "\r\n")
            self.fields.append((name, value))
            self._textarea = None


def form_data(html: str, form_id: str, crlf: bool = False) -> dict[str, list[str]]:
    parser = _FormParser(form_id, crlf)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data
