"""The pieces of the code source: the tree walk, Lambda handler analysis, Apps Script/JS web
endpoints, infrastructure-as-code rules, roles and flags, and the stack inventory.

Each module is pure: it takes text (or a parsed tree) and a file's display path and returns plain
dataclasses; ``execbrief.sources.code`` turns them into records with provenance.
"""
