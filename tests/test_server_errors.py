"""The server's own explanation of a refusal, shown beside our advice (issue 13 #8).

The bodies are 8x8's documented error answers (API-NOTES.md section 4), verbatim; the
requests are real HTTP to a loopback server that answers them.
"""

import gzip
import json

import pytest

from wallboard.clients.http import Timeouts, fetch, make_client, read_server_says
from wallboard.errors import ApiError, AuthError, BadRequestError, ServerBusyError
from wallboard.sim.server import Response, SimServer

PATIENT = Timeouts(connect=10.0, read=20.0, total=30.0)  # no answer here is slow: long, so a busy machine is never a timeout

BAD_KEY = '{"status":400,"message":"Invalid 8x8-apikey","code":"SHA001","details":[{"type":"x","location":"header","path":"8x8-apikey","hint":"h"}]}'
NO_USER = '{"error":"invalid_grant","error_description":"USER_NOTFOUND_ERROR"}'
NO_PBX = '{"timestamp":"2023-01-05T12:04:59.100+0000","status":403,"messages":["user [u] does not have access to pbxId [X]"],"path":"/analytics/work/v2/pbxes"}'
EXPIRED = '{"error":"invalid_token","error_description":"Access token expired: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl"}'


@pytest.mark.parametrize(
    "body, message, code",
    [
        (BAD_KEY, "Invalid 8x8-apikey", "SHA001"),
        (NO_USER, "USER_NOTFOUND_ERROR", "invalid_grant"),
        (NO_PBX, "user [u] does not have access to pbxId [X]", ""),
        (EXPIRED, "Access token expired: …", "invalid_token"),  # the token itself is cut out
        ('{"error":"injected"}', "", "injected"),  # a bare code is kept, not shown
        ('{"detail":"Bearer abc.def.ghi was refused"}', "… was refused", ""),
        ('{"message":"key test_key_kjdfidj238jf9123df221 unknown"}', "key … unknown", ""),  # the seeds' example key
        ('{"message":"\\u001b]0;pwned\\u0007evil\\nline \\"quoted\\""}', "evil line 'quoted'", ""),
    ],
)
def test_documented_bodies_give_their_message_and_code(body, message, code):
    said = read_server_says(body)
    assert (said.message, said.code) == (message, code)


@pytest.mark.parametrize("body", ["<html><body>Bad Request</body></html>", "[]", "", '{"status":400}', "{" * 100000])
def test_bodies_without_an_explanation_give_none(body):
    assert read_server_says(body) is None


def test_a_long_explanation_is_one_short_line():
    said = read_server_says(json.dumps({"messages": ["x" * 500, "second", "third", "fourth"]}))
    assert len(said.message) == 160 and said.message.endswith("…")


def serving(status: int, body: bytes, headers: dict[str, str] | None = None) -> SimServer:
    server = SimServer()
    server.add_route("GET", r"/x", "x", lambda request: Response(status, body, headers=headers or {}))
    return server


async def ask(server: SimServer):
    async with make_client(PATIENT) as client:
        return await fetch(client, "GET", f"{server.url}/x", timeouts=PATIENT, what="the thing", auth_message="Check the key")


async def test_the_servers_words_are_shown_beside_our_advice():
    with serving(400, BAD_KEY.encode()) as server:
        with pytest.raises(BadRequestError) as caught:
            await ask(server)
    assert str(caught.value) == (
        'the server called the request for the thing malformed (HTTP 400): check the URL; '
        'the server said: "Invalid 8x8-apikey" (SHA001)'
    )
    assert (caught.value.server_message, caught.value.server_code) == ("Invalid 8x8-apikey", "SHA001")


async def test_a_refusal_keeps_our_advice_first():
    with serving(403, NO_PBX.encode()) as server:
        with pytest.raises(AuthError) as caught:
            await ask(server)
    assert str(caught.value) == 'Check the key (HTTP 403); the server said: "user [u] does not have access to pbxId [X]"'


async def test_a_busy_server_still_says_when_we_retry():
    with serving(503, b'{"message":"maintenance"}', {"Retry-After": "7"}) as server:
        with pytest.raises(ServerBusyError) as caught:
            await ask(server)
    assert str(caught.value).endswith('retrying in 7s; the server said: "maintenance"')
    assert caught.value.retry_after == 7


async def test_a_compressed_error_body_is_read_within_its_cap():
    small = gzip.compress(BAD_KEY.encode())
    with serving(400, small, {"Content-Encoding": "gzip"}) as server:
        with pytest.raises(ApiError) as caught:
            await ask(server)
    assert caught.value.server_code == "SHA001"
    bomb = gzip.compress(b'{"message":"' + b"a" * 50_000_000 + b'"}')  # 50 MB when unpacked
    with serving(400, bomb, {"Content-Encoding": "gzip"}) as server:
        with pytest.raises(ApiError) as caught:
            await ask(server)
    assert caught.value.server_message == "" and str(caught.value).endswith("check the URL")
