"""One exception tree for trialgraph; library errors are wrapped once, at the boundary.

::

    TrialgraphError
    ├── ConfigError            bad settings or store string
    ├── InputError             a file or text we cannot read (empty, binary, undecodable, huge)
    │   └── UnsupportedFormat  an RDF or result format we do not know
    │       └── NotAcceptable  no offered format satisfies the client's Accept / ?format=
    ├── StoreError             anything the store reports
    │   ├── QuerySyntaxError   malformed SPARQL (carries the parser's message)
    │   ├── QueryTimeout       the query ran past its time limit and was stopped
    │   ├── ReadOnlyStore      a write was asked of a store without the ``writable`` capability
    │   ├── BackendUnavailable the remote endpoint cannot be reached
    │   └── ResultLimitExceeded a result has more rows than the configured cap allows
    ├── NotFound               an unknown graph, resource, named query or parameter
    └── ValidationFailed       SHACL rejected a graph (carries the report text)

The API maps these to HTTP status codes in one place (``api/errors.py``) and the CLI turns
them into one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

__all__ = [
    "BackendUnavailable",
    "ConfigError",
    "InputError",
    "NotAcceptable",
    "NotFound",
    "QuerySyntaxError",
    "QueryTimeout",
    "ReadOnlyStore",
    "ResultLimitExceeded",
    "StoreError",
    "TrialgraphError",
    "UnsupportedFormat",
    "ValidationFailed",
]


class TrialgraphError(Exception):
    """Base of every error trialgraph raises on purpose."""


class ConfigError(TrialgraphError):
    """Settings or a store string that cannot be used."""


class InputError(TrialgraphError):
    """Input that cannot be read as what it claims to be."""


class UnsupportedFormat(InputError):
    """An RDF serialisation or result format that is not supported."""


class NotAcceptable(UnsupportedFormat):
    """Content negotiation failed: none of the offered media types is acceptable."""


class StoreError(TrialgraphError):
    """An error reported by a store backend."""


class QuerySyntaxError(StoreError):
    """Malformed SPARQL; the message is the parser's."""


class QueryTimeout(StoreError):
    """The query exceeded its time limit and was stopped; no partial result is returned."""


class ReadOnlyStore(StoreError):
    """A write was requested from a store opened without write capability."""


class BackendUnavailable(StoreError):
    """The backend (a remote SPARQL endpoint) could not be reached."""


class ResultLimitExceeded(StoreError):
    """A result is larger than the configured row cap; reported instead of a short answer."""


class NotFound(TrialgraphError):
    """An unknown graph, resource, named query or parameter."""


class ValidationFailed(TrialgraphError):
    """SHACL validation rejected a graph; ``report`` holds the readable report."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report
