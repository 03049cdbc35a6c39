"""execbrief: executive reports for a small portfolio, computed from its own files and mailed out."""

__version__ = "0.1.0"
