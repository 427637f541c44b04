"""The pure content core: course Markdown files to immutable course objects.

No Flask, Werkzeug or SQLAlchemy here: only the standard library, PyYAML,
Python-Markdown and nh3. The web app loads a courses folder with
`load_library`, polls `fingerprint` to know when to reload, and passes its own
`Links` to the `Renderer` it keeps between reloads.
"""

from induction.content.check import check_tree, summary_line
from induction.content.fmt import FormatError, format_text, format_tree
from induction.content.loader import load_library
from induction.content.render import Renderer
from induction.content.tree import fingerprint
from induction.content.urls import DefaultLinks, Links

__all__ = [
    "DefaultLinks",
    "FormatError",
    "Links",
    "Renderer",
    "check_tree",
    "fingerprint",
    "format_text",
    "format_tree",
    "load_library",
    "summary_line",
]
