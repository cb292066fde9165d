"""The HTML profile's charts as text: pandoc (and Quarto through it) embeds each SVG chart as a base64 data URI,
a third larger than the SVG itself. Here each becomes a UTF-8 data URI that percent-encodes only what a URI in a
double-quoted attribute must not hold raw (the technique of mini-svg-data-uri): the same image, about a quarter
smaller. Applied to the rendered HTML of either route before it is published."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

_SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
# what would end the attribute, start a character reference or tag, or be read as a URI's own syntax
_ESCAPE = {"%": "%25", "#": "%23", "<": "%3C", ">": "%3E", "&": "%26", "{": "%7B", "}": "%7D", "\n": "%0A", "\r": "", "\t": " "}


def svg_uri(svg: str) -> str:
    """An SVG as a UTF-8 data URI for a double-quoted attribute: its double quotes become single quotes (an SVG
    chart of ours holds none inside an attribute's value: its text is drawn as paths), the rest as ``_ESCAPE``."""
    svg = svg.replace('"', "'")
    return "data:image/svg+xml;charset=utf-8," + "".join(_ESCAPE.get(ch, ch) for ch in svg)


def charts_as_text(html: str) -> str:
    """``html`` with every base64 SVG data URI written as text."""
    return _SVG_URI.sub(lambda m: svg_uri(base64.b64decode(m.group(1)).decode("utf-8")), html)


# -- the site's shared assets ----------------------------------------------------------------------------------------
# Every profile uses the same four fonts and the same stylesheet. Embedded, they were 185 kB of each HTML file; shared,
# a profile's HTML holds only its own content and links two files of report/_output/assets/: fonts.css (written from
# the @font-face rules of report/styles.css, the one place they are declared) and profile-<checksum>.css (the style
# rules the renderer wrote into the page, named by their content: a profile built before a style change keeps the
# rules it was built with, and a reader's cached copy is never stale). The charts stay in each page (they are its
# content). Opened without the assets folder (a file mailed on its own), a profile shows its text, tables and charts
# in the browser's plain layout.

ASSETS = "assets"
_EMBEDDED_FONT = re.compile(r"@font-face\s*\{[^}]*url\(\s*[\"']?data:font/[^)]*\)[^}]*\}\s*")
_FONT_RULE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_URL = re.compile(r'url\("webfonts/([A-Za-z0-9-]+\.woff2)"\)')
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.S)


def share_fonts(html: str) -> str:
    """``html`` without the fonts the renderer embedded, linking the site's shared font stylesheet instead."""
    after = _EMBEDDED_FONT.sub("", html)
    if after == html:
        return html
    return after.replace("</head>", f'<link rel="stylesheet" href="{ASSETS}/fonts.css">\n</head>', 1)


def share_styles(html: str, output_dir: Path) -> str:
    """``html`` with its style elements (those of its head) moved into one shared stylesheet named by its content,
    written into ``output_dir``/assets/ unless a profile wrote the same rules before."""
    from pipeline.domain.files import replace_atomically

    head, sep, body = html.partition("</head>")
    rules = "\n".join(m.group(1).strip() for m in _STYLE.finditer(head))
    if not sep or not rules:
        return html
    name = f"profile-{hashlib.sha256(rules.encode()).hexdigest()[:12]}.css"
    target = output_dir / ASSETS / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, rules + "\n")
    head = _STYLE.sub("", head)
    return head + f'<link rel="stylesheet" href="{ASSETS}/{name}">\n' + sep + body


def for_the_site(html: Path, output_dir: Path) -> int:
    """Rewrite the rendered ``html`` as the site publishes it: charts as text, fonts and styles from the shared
    assets. One read and one write; the bytes saved."""
    before = html.read_text(encoding="utf-8")
    after = share_styles(share_fonts(charts_as_text(before)), output_dir)
    if after != before:
        html.write_text(after, encoding="utf-8")
    return len(before.encode()) - len(after.encode())


def write_assets(output_dir: Path, stylesheet: Path, fonts: Path) -> Path:
    """report/_output/assets/: fonts.css (the stylesheet's @font-face rules, pointing into assets/fonts/) and the
    fonts; a file is rewritten only where its content differs (a reader's cached copy stays valid)."""
    from pipeline.domain.files import replace_atomically

    folder = output_dir / ASSETS
    (folder / "fonts").mkdir(parents=True, exist_ok=True)
    rules = _FONT_RULE.findall(stylesheet.read_text(encoding="utf-8"))
    css = "\n".join(_FONT_URL.sub(r'url("fonts/\1")', r) for r in rules) + "\n"
    if not (folder / "fonts.css").exists() or (folder / "fonts.css").read_text(encoding="utf-8") != css:
        replace_atomically(folder / "fonts.css", css)
    for name in [name for rule in rules for name in _FONT_URL.findall(rule)]:
        target, source = folder / "fonts" / name, fonts / name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            replace_atomically(target, source.read_bytes())
    return folder
