"""Which callback URLs may be called: only hosts CALLBACK_HOSTS lists, never an internal address it does not list.

An entry of CALLBACK_HOSTS is a host name (hooks.studio.example), its subdomains (*.studio.example), an IP
address (203.0.113.7, ::1) or a network (10.20.0.0/16). A URL is checked when a batch names it and again at
every attempt, after its name is resolved: each address it resolves to must be public, or itself listed as an
address or within a listed network, so a name that points at loopback, a private network or a cloud's metadata
address is refused unless an operator listed that address. The connection then goes to the address checked,
so the name cannot be resolved differently a moment later.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
SCHEMES = {"http": 80, "https": 443}


class CallbackRefused(ValueError):
    """A callback URL this server will not call, and why."""


@dataclass(frozen=True)
class AllowedHosts:
    """CALLBACK_HOSTS read: host names, subdomain suffixes (".studio.example"), and addresses or networks."""

    names: frozenset = frozenset()
    suffixes: tuple = ()
    networks: tuple = ()

    @classmethod
    def from_setting(cls, text):
        """Return the hosts a CALLBACK_HOSTS setting lists, comma-separated (empty: none)."""
        names, suffixes, networks = set(), [], []
        for entry in (item.strip().lower().rstrip(".") for item in str(text or "").split(",")):
            if entry.startswith("*."):
                suffixes.append(entry[1:])
            elif as_network(entry) is not None:
                networks.append(as_network(entry))
            elif entry:
                names.add(entry)
        return cls(frozenset(names), tuple(suffixes), tuple(networks))

    def __bool__(self):
        return bool(self.names or self.suffixes or self.networks)

    def lists_name(self, host):
        return host in self.names or any(host.endswith(suffix) for suffix in self.suffixes)

    def lists_address(self, address):
        return any(address in network for network in self.networks)


def as_network(text):
    """Return an IP address or network as a network (an address is a network of one), or None for a name."""
    try:
        return ipaddress.ip_network(text.strip("[]"), strict=False)
    except ValueError:
        return None


@dataclass(frozen=True)
class CallbackTarget:
    """Where a callback goes: the URL's scheme, host and port, the path to POST to, and the address checked."""

    scheme: str
    host: str
    port: int
    path: str
    address: str = ""


def read_callback_url(url, allowed):
    """Return the CallbackTarget of a URL whose host CALLBACK_HOSTS lists (not yet resolved), or raise CallbackRefused.

    :param allowed: AllowedHosts
    """
    if not allowed:
        raise CallbackRefused("This server sends no callbacks (its CALLBACK_HOSTS setting is empty), so a batch "
                              "cannot name a callback_url; poll the batch's status instead.")
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH or any(ord(c) <= 32 for c in url):
        raise CallbackRefused(f"callback_url must be an absolute http or https URL of at most {MAX_URL_LENGTH} "
                              "characters, without spaces.")
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise CallbackRefused("callback_url must be an absolute http:// or https:// URL.")
    if "@" in parts.netloc:
        raise CallbackRefused("callback_url may not carry a user name or password (user@host); "
                              "callbacks are signed instead.")
    host, port = url_host(parts)
    if not (allowed.lists_name(host) or (as_network(host) and allowed.lists_address(ipaddress.ip_address(host)))):
        raise CallbackRefused(f"Callbacks go only to the hosts this server allows (CALLBACK_HOSTS), and “{host}” "
                              "is not one of them.")
    return CallbackTarget(parts.scheme, host, port, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""))


def url_host(parts):
    """Return (host, port) of a split URL, the host lowercased, its brackets and any trailing dot removed."""
    try:
        port = parts.port or SCHEMES[parts.scheme]
        host = parts.hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError):
        raise CallbackRefused("callback_url has a host or port that cannot be read.") from None
    return host, port


def resolved_target(url, allowed, resolve=socket.getaddrinfo):
    """Return the CallbackTarget of a URL with the address to connect to, resolved now and checked, or raise.

    :param resolve: getaddrinfo, or a stand-in for tests
    """
    target = read_callback_url(url, allowed)
    try:
        found = resolve(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise CallbackRefused(f"The callback host “{target.host}” cannot be found (DNS).") from None
    addresses = [plain_address(item[4][0]) for item in found]
    refused = [a for a in addresses if not (a.is_global and not a.is_multicast) and not allowed.lists_address(a)]
    if refused or not addresses:
        raise CallbackRefused(f"The callback host “{target.host}” resolves to {refused[0] if refused else 'nothing'}, "
                              "an internal address; callbacks go there only when CALLBACK_HOSTS lists the address.")
    return CallbackTarget(target.scheme, target.host, target.port, target.path, str(addresses[0]))


def plain_address(text):
    """Return an address resolved, an IPv4 address mapped into IPv6 as the IPv4 address it is, zone removed."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    return address.ipv4_mapped if address.version == 6 and address.ipv4_mapped else address


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to the address checked, whatever the name resolves to by now."""

    def __init__(self, target, timeout):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to the address checked, its certificate verified for the URL's host name."""

    def __init__(self, target, timeout):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.address = target.address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def pinned_connection(target, timeout):
    """Return an unopened connection to a resolved CallbackTarget."""
    kind = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    return kind(target, timeout)
