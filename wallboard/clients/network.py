"""How the clients reach a server: which proxy, and which certificates to trust.

* Proxies: the standard variables (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``,
  ``NO_PROXY``, any case, read as the standard library reads them), never for loopback
  URLs; ``http://`` and ``https://`` proxies only.
* Certificates: always verified, against the public CAs (certifi) plus the ``ca_bundle``
  config key, or else ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` (a private CA, TLS inspection).

httpx's own ``trust_env`` stays off. In httpx 0.28 it reads the proxy variables (and the
system proxy settings on macOS and Windows) and ``SSL_CERT_FILE`` *instead of* the public
CAs (not ``.netrc`` in 0.28, which earlier versions read for credentials). Doing it here means exactly
these and nothing else: no credentials from anywhere but wallboard's own secrets.
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from wallboard.errors import ConfigError
from wallboard.urls import is_loopback

_default_ca_bundle = ""


def default_ca_bundle() -> str:
    return _default_ca_bundle


def set_default_ca_bundle(path: str) -> None:
    """The ``ca_bundle`` setting for every client made afterwards (set once from the config)."""
    global _default_ca_bundle
    _default_ca_bundle = path


def proxy_for(url: str, env: Mapping[str, str] | None = None) -> str | None:
    """The proxy URL the standard variables name for ``url``, or ``None`` to connect directly.

    Loopback hosts (the simulator, a local relay) are never proxied, whatever NO_PROXY says.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_loopback(host):
        return None
    proxies = _environment_proxies(os.environ if env is None else env)
    if not proxies or urllib.request.proxy_bypass_environment(host, proxies):
        return None
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    scheme = urlsplit(proxy).scheme
    if scheme not in ("http", "https"):
        raise ConfigError(f"the proxy for {host} is a {scheme}:// proxy; only http:// and https:// proxies are supported")
    return proxy


def _environment_proxies(env: Mapping[str, str]) -> dict[str, str]:
    """``urllib.request.getproxies_environment`` over ``env`` instead of ``os.environ``."""
    proxies: dict[str, str] = {}
    for name, value in env.items():  # lower case wins, as in the standard library
        lower = name.lower()
        if value and lower.endswith("_proxy") and (name == lower or lower[:-6] not in proxies):
            proxies[lower[:-6]] = value
    return proxies


def tls_context(ca_bundle: str = "", env: Mapping[str, str] | None = None) -> ssl.SSLContext:
    """Verification against the public CAs (certifi), plus ``ca_bundle`` (a file or a
    directory of PEM certificates) or else ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``."""
    import certifi

    env = os.environ if env is None else env
    context = ssl.create_default_context(cafile=certifi.where())
    extra, origin = (ca_bundle, "ca_bundle") if ca_bundle else (env.get("SSL_CERT_FILE") or env.get("SSL_CERT_DIR") or "", "SSL_CERT_FILE")
    if extra:
        path = Path(extra).expanduser()
        try:
            if path.is_dir():
                context.load_verify_locations(capath=str(path))
            else:
                context.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as error:
            reason = "no such file" if isinstance(error, FileNotFoundError) else (getattr(error, "reason", None) or type(error).__name__)
            raise ConfigError(f"{origin}: cannot use {str(path)!r} as CA certificates ({reason}); give a PEM file or directory") from None
    return context
