"""Delivery: compose a message, guard it, send it once per recipient and period, and track it."""
