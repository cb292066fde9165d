"""The HTML profile's charts as text: pandoc (and Quarto through it) embeds each SVG chart as a base64 data URI,
a third larger than the SVG itself. Here each becomes a UTF-8 data URI that percent-encodes only what a URI in a
double-quoted attribute must not hold raw (the technique of mini-svg-data-uri): the same image, about a quarter
smaller. Applied to the rendered HTML of either route before it is published."""

from __future__ import annotations

import base64
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


def svg_as_text(html: Path) -> int:
    """Rewrite every base64 SVG data URI of ``html`` as text; the bytes saved."""
    before = html.read_text(encoding="utf-8")
    after = _SVG_URI.sub(lambda m: svg_uri(base64.b64decode(m.group(1)).decode("utf-8")), before)
    if after != before:
        html.write_text(after, encoding="utf-8")
    return len(before.encode()) - len(after.encode())


# -- the site's shared assets ----------------------------------------------------------------------------------------
# Every profile uses the same four fonts. Embedded, they are 180 kB of each HTML file; shared, a profile's HTML holds
# only its own content and links report/_output/assets/fonts.css (written beside the profiles, from the @font-face
# rules of report/styles.css, the one place they are declared). Opened without the assets folder (a file mailed on its
# own), the profile shows in the reader's sans-serif font; nothing else is missing.

ASSETS = "assets"
_EMBEDDED_FONT = re.compile(r"@font-face\s*\{[^}]*url\(\s*[\"']?data:font/[^)]*\)[^}]*\}\s*")
_FONT_RULE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_URL = re.compile(r'url\("webfonts/([A-Za-z0-9-]+\.woff2)"\)')


def share_fonts(html: Path) -> int:
    """Replace the fonts the renderer embedded in ``html`` with a link to the site's shared font stylesheet; the bytes
    saved."""
    before = html.read_text(encoding="utf-8")
    after = _EMBEDDED_FONT.sub("", before)
    if after == before:
        return 0
    after = after.replace("</head>", f'<link rel="stylesheet" href="{ASSETS}/fonts.css">\n</head>', 1)
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
