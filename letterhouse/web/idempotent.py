"""Idempotency-Key on the API's POSTs: the same key and request get the first answer again, for 24 hours.

After the IETF draft "The Idempotency-Key HTTP Header Field": a key sent with a different request is a 422,
a key whose first request is still being answered a 409. An answer given again carries `Idempotent-Replayed: true`.
"""

import functools

from flask import current_app, request

from letterhouse.batch.idempotency import KEY, IdempotencyKeys, KeyInUse, KeyReused, request_hash
from letterhouse.web.clients import requesting_client
from letterhouse.web.jobs import job_store
from letterhouse.web.problems import ApiError

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
NOT_KEPT = {"content-length", "date", "set-cookie", "ratelimit", "ratelimit-policy", "retry-after"}


def idempotent(max_content_length=None):
    """Decorate a POST view so that a request with an Idempotency-Key is answered once, then from the kept answer.

    :param max_content_length: the setting naming the largest body the view takes (its body is read here first)
    """

    def decorator(view):
        @functools.wraps(view)
        def answer(*args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            if max_content_length:
                request.max_content_length = current_app.config[max_content_length]
            owner, keys = requesting_client(), IdempotencyKeys(job_store().engine)
            kept = begin(keys, owner, key)
            if kept is not None:
                return replayed(kept)
            return answered(keys, owner, key, lambda: view(*args, **kwargs))

        return answer

    return decorator


def begin(keys, owner, key):
    """Return the answer kept for this key and request, or None once the key is reserved for it; or refuse."""
    if not KEY.fullmatch(key):
        raise ApiError("invalid-header", f"{HEADER} must be 1 to 255 visible ASCII characters, like a UUID.",
                       header=HEADER)
    fingerprint = request_hash(request.method, request.path, request.query_string.decode("latin-1"),
                               request.content_type or "", request.get_data())
    try:
        return keys.begin(owner, key, fingerprint)
    except KeyReused:
        raise ApiError("idempotency-key-reused", f"The {HEADER} “{key}” was first sent with another request; "
                                                 "use a new key for a new request.", header=HEADER) from None
    except KeyInUse:
        raise ApiError("idempotency-key-in-use", f"The first request with the {HEADER} “{key}” is still being "
                                                 "answered; send this one again in a moment.", header=HEADER) from None


def answered(keys, owner, key, view):
    """Answer the request and keep the answer if it did something (2xx); otherwise let the key go."""
    try:
        response = current_app.make_response(view())
    except BaseException:
        keys.forget(owner, key)
        raise
    if 200 <= response.status_code < 300:
        headers = [(name, value) for name, value in response.headers.items() if name.lower() not in NOT_KEPT]
        keys.answer(owner, key, response.status_code, headers, response.get_data())
    else:
        keys.forget(owner, key)
    return response


def replayed(kept):
    """Return the kept answer as a response, marked as given again."""
    response = current_app.response_class(kept.body, status=kept.status, headers=[tuple(h) for h in kept.headers])
    response.headers[REPLAYED] = "true"
    return response
