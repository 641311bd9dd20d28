"""User text in Markdown (report.md, the pull-request comment): shown as text, never as markup.

`escape` makes a waiver reason, an owner, a dataset name or a message plain text in GitHub
Flavored Markdown: HTML (`<!--`, `<img>`) becomes entities, Markdown punctuation (`![x](url)`,
`**`, `|`, `#`) is backslash-escaped, line breaks become spaces, and `@org/team` or `@user` is
neutralised with a zero-width joiner after the `@` so GitHub does not notify anyone. `code`
puts text in an inline code span that it cannot close early.

Reference: GitHub Flavored Markdown spec 0.29 (https://github.github.com/gfm/), "Backslash escapes"
(any ASCII punctuation may be escaped) and "Entity references"; GitHub docs "Basic writing and
formatting syntax", "Mentioning people and teams".
"""

from __future__ import annotations

import re

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
ZWJ = "\u200d"


def escape(text: str) -> str:
    text = " ".join(str(text).split())  # line breaks and runs of space: one space, no new block
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCT.sub(r"\\\1", text)
    return _MENTION.sub("@" + ZWJ, text)


_LINKISH = re.compile(r"([\[\]!|])")


def text(message: str) -> str:
    """A message that may carry user text (a resource name from another program's export, a tag value)
    but also lz's own `code` spans: HTML, links, images, table pipes and mentions are neutralised;
    backticks are kept."""
    parts = " ".join(str(message).split()).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code span at all, escape it too
        parts = ["\\`".join(parts)]
    for i in range(0, len(parts), 2):  # outside code spans (inside, GitHub renders text as it is)
        plain = parts[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        parts[i] = _MENTION.sub("@" + ZWJ, _LINKISH.sub(r"\\\1", plain))
    return "`".join(parts)


def code(text: str) -> str:
    """An inline code span of `text` (backticks inside become ', so the span cannot end early)."""
    text = " ".join(str(text).split()).replace("`", "'")
    return f"`{_MENTION.sub('@' + ZWJ, text)}`"
