"""A small HTML reader for page tests (the standard library's parser): elements by tag and
attributes, the <title>, the text. Enough to assert on forms, labels and ARIA without a browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class Element(dict):
    """An element's attributes (a dict) plus `tag` and `text` (its text, children included)."""

    tag: str = ""
    text: str = ""


class _Reader(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        el = Element((k, v if v is not None else "") for k, v in attrs)
        el.tag, el.text = tag, ""
        self.elements.append(el)
        if tag not in self.VOID:
            self.open.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for el in self.open:
            el.text += data


class Page:
    def __init__(self, html: str | bytes):
        self.html = html.decode() if isinstance(html, bytes) else html
        reader = _Reader()
        reader.feed(self.html)
        self.elements = reader.elements

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        """Elements of `tag` whose attributes equal `attrs` (`class_` matches one class; True: present)."""
        found = []
        for el in self.elements:
            if tag and el.tag != tag:
                continue
            ok = True
            for name, want in attrs.items():
                name = name.rstrip("_").replace("_", "-")
                have = el.get(name)
                if want is True:
                    ok = have is not None
                elif name == "class":
                    ok = have is not None and want in have.split()
                else:
                    ok = have == want
                if not ok:
                    break
            if ok:
                found.append(el)
        return found

    def find(self, tag: str | None = None, **attrs) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, id_: str) -> Element | None:
        return self.find(id=id_)

    @property
    def title(self) -> str:
        """The raw text between <title> and </title> (markup in it would be a bug worth seeing)."""
        match = re.search(r"<title>(.*?)</title>", self.html, re.S)
        return match.group(1) if match else ""
