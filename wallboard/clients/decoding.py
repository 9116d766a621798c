"""Decoding a compressed answer ourselves: only what we asked for, never past the cap.

httpx decodes ``Content-Encoding`` as it reads, with no bound and on the event loop: a
1.8 KB ``gzip, gzip`` body grew to gigabytes before our size cap saw it. The clients ask
for gzip or deflate only, read the raw body, and feed it here (in a worker thread, see
:func:`wallboard.clients.http.fetch`): each step produces at most :data:`DECODE_STEP`
bytes and the running total is checked after every step, so a decompression bomb stops
at the cap having produced little more than the cap. An encoding we did not ask for, or
two stacked, is refused with a one-line reason: no real server needs either.
"""

from __future__ import annotations

import zlib

from wallboard.core.text import clean_text
from wallboard.errors import BadPayloadError, ResponseTooLargeError

ACCEPTED_ENCODINGS = ("gzip", "deflate")
ACCEPT_ENCODING = ", ".join(ACCEPTED_ENCODINGS)
DECODE_STEP = 256 * 1024
"""Most bytes one decompression step may produce before the running total is checked."""


def too_large(what: str, max_body: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the answer for {what} is larger than {max_body // (1024 * 1024)} MiB; refused"
    )


def decoder_for(header: str, max_body: int, what: str) -> "Decoder | None":
    """The decoder for a ``Content-Encoding`` value; ``None`` for none or identity."""
    codings = [coding.strip().lower() for coding in header.split(",") if coding.strip()]
    codings = [coding for coding in codings if coding != "identity"]
    if not codings:
        return None
    shown = clean_text(header, 60)
    if len(codings) > 1:
        raise BadPayloadError(
            f"the answer for {what} could not be read: it is compressed more than once ({shown}); refused"
        )
    if codings[0] not in ACCEPTED_ENCODINGS:
        raise BadPayloadError(
            f"the answer for {what} could not be read: it is compressed as {shown!r}, which we did not ask for; refused"
        )
    return Decoder(codings[0], max_body, what)


class Decoder:
    """Incremental gzip / deflate decoding that never produces much more than the cap.

    Each :meth:`feed` decodes in steps of at most :data:`DECODE_STEP` output bytes and
    checks the running total after each, so a small body that would expand to gigabytes
    costs at most the cap. Concatenated gzip members are read one after another; a
    ``deflate`` body may be zlib-wrapped (as the standard says) or raw (as some servers send).
    """

    def __init__(self, coding: str, max_body: int, what: str) -> None:
        self.coding = coding
        self.max_body = max_body
        self.what = what
        self.size = 0
        self._fed = False
        self._members = 1
        self._raw_deflate = False
        self._inner = self._new()

    def _new(self):
        if self.coding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> list[bytes]:
        out: list[bytes] = []
        self._fed = True
        if not self._members:  # past the end: what follows the last member is ignored
            return out
        while data:
            if self._inner.eof:  # another gzip member follows (or junk after the end)
                if self.coding != "gzip":
                    break
                self._inner = self._new()
                self._members += 1
            try:
                piece = self._inner.decompress(data, DECODE_STEP)
            except zlib.error:
                if self.coding == "deflate" and not self._raw_deflate and self.size == 0:
                    self._raw_deflate = True  # not zlib-wrapped: try raw deflate
                    self._inner = self._new()
                    continue
                if self._members > 1 and not self._inner.eof:  # padding after the last member: ignored
                    self._members = 0
                    break
                raise BadPayloadError(
                    f"the answer for {self.what} could not be read: its {self.coding} compression is damaged"
                ) from None
            self._count(piece)
            out.append(piece)
            data = self._inner.unconsumed_tail or (self._inner.unused_data if self._inner.eof else b"")
        return out

    def finish(self) -> list[bytes]:
        if self._fed and self._members and not self._inner.eof:
            raise BadPayloadError(
                f"the answer for {self.what} could not be read: its {self.coding} compression ends early (cut short)"
            )
        return []

    def _count(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.max_body:
            raise too_large(self.what, self.max_body)
