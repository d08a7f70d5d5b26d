"""Read a page's form the way a browser would submit it, so tests can post the
admin's real forms (inline management forms included) and change one thing."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.values = form_id, form_id is None, {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values.setdefault(name, []).append(
                attrs.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]
        elif tag == "select" and name:
            self._select, self._multiple, self._first = name, "multiple" in attrs, None
            self.values.setdefault(name, [])
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = attrs.get("value", "")
            if "selected" in attrs:
                self.values[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self.values[self._select] and not self._multiple and self._first is not None:
                self.values[self._select].append(self._first)  # what a browser sends
            self._select = None
        elif tag == "form" and self.form_id is not None:
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            if not self.values[self._textarea][0]:
                data = data.removeprefix("\n")  # as browsers do after <textarea>
            self.values[self._textarea][0] += data


def form_values(html: str, form_id: str | None = "article_form") -> dict[str, list[str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.values


def post_form(client, url: str, form_id: str = "article_form", **changes):
    """Open an admin form, change some fields, and send it as a browser would."""
    data = form_values(client.get(url).content.decode(), form_id)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)
