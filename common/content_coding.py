"""Which compression a request accepts: one rule for the compression middleware, which
applies it, and the public cache, which keeps each coding's answer apart."""

BROTLI, GZIP, IDENTITY = "br", "gzip", "identity"


def accepted_codings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header accepts (`br;q=0` refuses brotli)."""
    accepted = set()
    for part in header.split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        weight = next((p[2:] for p in parameters if p.lower().startswith("q=")), "1")
        try:
            refused = float(weight) <= 0
        except ValueError:
            refused = True
        if coding and not refused:
            accepted.add(coding.lower())
    return accepted


def chosen_coding(request) -> str:
    """brotli when accepted (smaller), else gzip, else none."""
    accepted = accepted_codings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if BROTLI in accepted:
        return BROTLI
    return GZIP if GZIP in accepted else IDENTITY
