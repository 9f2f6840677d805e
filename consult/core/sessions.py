"""The session cookie, signed as Flask signs it, with less work per request."""

from __future__ import annotations

import hashlib

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class ConsultSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, the same cookies byte for byte.

    Flask builds a new serializer for every cookie it reads or writes (itsdangerous then
    serialises an empty dict to learn whether the serializer makes text), and its SHA-1 comes
    through a function of its own, which sends Python's HMAC down its pure-Python path. Here
    the serializer is built once per set of keys and SHA-1 is hashlib's own (OpenSSL's HMAC):
    the same signatures, a little less of every request.
    """

    digest_method = staticmethod(hashlib.sha1)

    def __init__(self) -> None:
        super().__init__()
        self._serializers: dict[tuple[object, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is None:
                return None
            self._serializers = {keys: serializer}  # only the current keys are kept
        return serializer
