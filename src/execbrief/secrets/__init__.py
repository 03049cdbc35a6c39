"""Secrets: the scanner, the detect-secrets adaptor, redaction and the outgoing guard."""
