"""Renderers turn a Document into text, markdown, JSON or HTML. They know nothing of sources."""
