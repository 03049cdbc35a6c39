"""Transports send one rendered message and return the provider's message id."""
