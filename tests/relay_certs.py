"""A private CA and a server certificate for it (localhost, 127.0.0.1), made with the
``openssl`` command as the README tells a floor to do; tests that need them skip without it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def make_ca_and_server_cert(directory: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) in ``directory``."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, request, cert = directory / "relay.key", directory / "relay.csr", directory / "relay.pem"
    extensions = directory / "relay.ext"
    extensions.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca_cert),
            "-days", "2", "-subj", "/CN=wallboard test floor CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(request), "-subj", "/CN=localhost")
    openssl("x509", "-req", "-in", str(request), "-CA", str(ca_cert), "-CAkey", str(ca_key), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(extensions))
    return ca_cert, cert, key
