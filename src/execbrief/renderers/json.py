"""The JSON renderer: the document model as data (lossless; ``Document.from_dict`` reads it back)."""

from __future__ import annotations

import json
from typing import ClassVar

from execbrief.document import Document
from execbrief.hookspecs import hookimpl
from execbrief.renderers.base import Renderer


class JsonRenderer:
    """Renders a Document as indented JSON."""

    name: ClassVar[str] = "json"
    extension: ClassVar[str] = "json"
    media_type: ClassVar[str] = "application/json"

    def render(self, document: Document) -> str:
        """The document as JSON text (deterministic key order)."""
        return json.dumps(document.to_dict(), indent=2, ensure_ascii=False) + "\n"


@hookimpl
def register_renderers() -> list[Renderer]:
    """The JSON renderer."""
    return [JsonRenderer()]
