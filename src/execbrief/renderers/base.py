"""What a renderer plugin is."""

from __future__ import annotations

from typing import ClassVar, Protocol

from execbrief.document import Document


class Renderer(Protocol):
    """A renderer plugin: ``name`` is the ``--format`` value."""

    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]

    def render(self, document: Document) -> str:
        """The document as text in this format (deterministic)."""
        ...
