"""A second opinion from Yelp's detect-secrets, when ``execbrief[detect-secrets]`` is installed.

``second_opinion(path, display, scanner)`` runs detect-secrets on one file and maps each of its
results to a :class:`~execbrief.secrets.scanner.Detection` fingerprinted with *our* key. The plaintext
detect-secrets holds (``secret_value``) is fingerprinted and dropped inside this call; its unsalted
SHA-1 ``secret_hash`` is never kept. Without the package the function returns ``[]``.
"""

from __future__ import annotations

from pathlib import Path

from execbrief.secrets.scanner import Detection, Scanner


def second_opinion(path: str | Path, display: str, scanner: Scanner) -> list[Detection]:
    """detect-secrets' findings for one file, as Detections with our keyed fingerprints."""
    try:
        from detect_secrets.core.scan import scan_file
        from detect_secrets.settings import default_settings
    except ImportError:
        return []
    out: list[Detection] = []
    with default_settings():
        for potential in scan_file(str(path)):
            value = potential.secret_value or ""
            if not value:
                continue
            fingerprint = scanner.fingerprint(value)
            out.append(
                Detection(
                    kind="detect-secrets:" + str(potential.type).lower().replace(" ", "-"),
                    file=display,
                    line=int(potential.line_number),
                    live=None,
                    length=len(value),
                    prefix_class=None,
                    fingerprint=fingerprint,
                    detector="detect-secrets",
                    allowlisted=scanner.allowlist_reason(fingerprint, display),
                )
            )
            potential.secret_value = None  # do not leave plaintext in detect-secrets' object
            del value
    return sorted(out, key=lambda d: (d.line, d.kind))
