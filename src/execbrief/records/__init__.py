"""Typed records, one module per source family. Sources write them, analyses read them."""
