"""The only module that speaks the X API: tweepy `Client` (OAuth 1.0a user context) over our session.

tweepy is imported on first use (start-up speed). The session rewrites tweepy's hard-coded
`https://api.twitter.com` to the configured host, adds a timeout (tweepy sets none), and can carry a
mounted transport adapter: the sandbox mounts its in-process X emulator there, so the same code runs
in both modes. Reads retry on `Unavailable`; writes never retry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from mcp_servers.core.errors import ServiceError
from mcp_servers.core.resilience import retry_read
from mcp_servers.twitter.apierrors import translate_http, translate_transport
from mcp_servers.twitter.const import EMULATED_HOSTS, TWEEPY_HOST, TWEET_FIELDS, USER_FIELDS

log = logging.getLogger(__name__)
RateHook = Callable[[str, dict[str, str]], None]


def _make_session(api_host: str, timeout_s: float, adapter: Any | None, on_headers: RateHook | None) -> Any:
    import requests

    class XSession(requests.Session):
        """Rewrites the host tweepy hard-codes before OAuth signs the URL, and never waits forever."""

        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
            text = url.decode() if isinstance(url, bytes) else url
            if text.startswith(TWEEPY_HOST):
                text = api_host.rstrip("/") + text[len(TWEEPY_HOST) :]
            kwargs.setdefault("timeout", timeout_s)
            return super().request(method, text, *args, **kwargs)

    session = XSession()
    if adapter is not None:
        for host in EMULATED_HOSTS:
            session.mount(host, adapter)
        session.mount(api_host, adapter)
    if on_headers is not None:

        def _hook(response: Any, *args: Any, **kwargs: Any) -> Any:
            on_headers(response.request.method or "GET", dict(response.headers))
            return response

        session.hooks["response"].append(_hook)
    return session


class TwitterClient:
    """X API v2 for one account: profile, own posts with public metrics, create and delete."""

    def __init__(
        self,
        *,
        api_key: str,
        api_secret: str,
        access_token: str,
        access_token_secret: str,
        api_host: str,
        timeout_s: float = 15.0,
        adapter: Any | None = None,
        on_headers: RateHook | None = None,
    ) -> None:
        self._credentials = (api_key, api_secret, access_token, access_token_secret)
        self._api_host = api_host
        self._timeout_s = timeout_s
        self._adapter = adapter
        self._on_headers = on_headers
        self._tweepy: Any | None = None
        self._me: dict[str, Any] | None = None

    def __repr__(self) -> str:  # never print the credentials
        return f"TwitterClient(api_host={self._api_host!r})"

    def _api(self) -> Any:
        if self._tweepy is None:
            import tweepy

            # oauthlib and tweepy log signed parameters (the access token) at DEBUG: keep them quiet.
            for name in ("tweepy", "oauthlib", "requests_oauthlib", "urllib3"):
                logging.getLogger(name).setLevel(logging.WARNING)
            key, secret, token, token_secret = self._credentials
            api = tweepy.Client(
                consumer_key=key,
                consumer_secret=secret,
                access_token=token,
                access_token_secret=token_secret,
                return_type=dict,
                wait_on_rate_limit=False,  # never sleep inside a tool: report retry-after instead
            )
            api.session = _make_session(self._api_host, self._timeout_s, self._adapter, self._on_headers)
            self._tweepy = api
        return self._tweepy

    def _call(self, fn: Callable[[Any], Any], *, write: bool) -> Any:
        """Run one tweepy call, turning every failure into a core error."""
        import requests
        import tweepy

        try:
            return fn(self._api())
        except tweepy.TooManyRequests as exc:
            raise translate_http(429, exc.response, write=write) from None
        except tweepy.HTTPException as exc:
            raise translate_http(exc.response.status_code, exc.response, write=write) from None
        except requests.RequestException as exc:
            raise translate_transport(exc, write=write) from None
        except ServiceError:
            raise
        except ValueError as exc:  # a 2xx whose body is not JSON
            raise translate_transport(exc, write=write) from None

    # Reads --------------------------------------------------------------------------------------

    @retry_read()
    def get_me(self) -> dict[str, Any]:
        """The authenticated account: id, name, username, public_metrics."""
        if self._me is None:
            body = self._call(lambda api: api.get_me(user_fields=USER_FIELDS, user_auth=True), write=False)
            self._me = dict(body.get("data") or {})
        return self._me

    @retry_read()
    def list_posts(self, max_results: int = 20, exclude_replies: bool = False) -> list[dict[str, Any]]:
        """The account's own recent posts, newest first, with public metrics (an owned read)."""
        user_id = self.get_me()["id"]
        params: dict[str, Any] = {"max_results": max(5, min(100, max_results)), "tweet_fields": TWEET_FIELDS}
        if exclude_replies:
            params["exclude"] = ["replies"]
        body = self._call(lambda api: api.get_users_tweets(user_id, user_auth=True, **params), write=False)
        return list(body.get("data") or [])[:max_results]

    @retry_read()
    def get_post(self, post_id: str) -> dict[str, Any]:
        body = self._call(lambda api: api.get_tweet(post_id, tweet_fields=TWEET_FIELDS, user_auth=True), write=False)
        return dict(body.get("data") or {})

    # Reads for the social inbox (issue 16): only what is new, owned reads charged per post returned --------

    @retry_read()
    def mentions_since(self, since_id: str | None, max_results: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Posts mentioning the account (replies to it included) after `since_id`, newest first, and
        their authors by id."""
        user_id = self.get_me()["id"]
        fields = [*TWEET_FIELDS, "author_id"]  # named, as X returns only the fields asked for
        params: dict[str, Any] = {"max_results": max(5, min(100, max_results)), "tweet_fields": fields}
        params.update(expansions=["author_id"], user_fields=["username", "name"])
        if since_id:
            params["since_id"] = since_id
        body = self._call(lambda api: api.get_users_mentions(user_id, user_auth=True, **params), write=False)
        users = {u["id"]: u for u in (body.get("includes") or {}).get("users", [])}
        return list(body.get("data") or [])[:max_results], users

    @retry_read()
    def posts_since(self, since_id: str | None, max_results: int) -> list[dict[str, Any]]:
        """The account's own posts (replies included) after `since_id`, newest first."""
        user_id = self.get_me()["id"]
        params: dict[str, Any] = {"max_results": max(5, min(100, max_results)), "tweet_fields": TWEET_FIELDS}
        if since_id:
            params["since_id"] = since_id
        body = self._call(lambda api: api.get_users_tweets(user_id, user_auth=True, **params), write=False)
        rows = [r for r in body.get("data") or [] if not since_id or int(r["id"]) > int(since_id)]
        return rows[:max_results]

    # Writes (never retried) -----------------------------------------------------------------------

    def create_post(
        self, text: str, reply_to_id: str | None = None, media_ids: list[str] | None = None
    ) -> dict[str, Any]:
        """POST /2/tweets; returns {"id", "text"}. A reply sends {"reply": {"in_reply_to_tweet_id"}}, images
        {"media": {"media_ids": [...]}} (ids from `upload_image`)."""
        started = time.monotonic()
        body = self._call(
            lambda api: api.create_tweet(
                text=text, in_reply_to_tweet_id=reply_to_id, media_ids=media_ids or None, user_auth=True
            ),
            write=True,
        )
        log.info("X post created in %.0f ms", (time.monotonic() - started) * 1000)
        return dict(body.get("data") or {})

    def delete_post(self, post_id: str) -> bool:
        """DELETE /2/tweets/:id; True when X reports it deleted."""
        body = self._call(lambda api: api.delete_tweet(post_id, user_auth=True), write=True)
        return bool((body.get("data") or {}).get("deleted"))

    # Media (tweepy 4.17 has only the retired v1.1 upload: these are signed requests of our own) --------

    def upload_image(self, data: bytes, mime: str, category: str) -> dict[str, Any]:
        """`POST /2/media/upload`, the one-shot upload X documents for images (multipart `media` +
        `media_category`); returns `data`: {"id", "media_key", "size", "expires_after_secs"}. An upload is
        not a post: a lost answer only leaves an unused upload that expires, so it is never `Ambiguous`."""
        response = self._signed(
            "POST", "/2/media/upload", files={"media": ("image", data, mime)}, data={"media_category": category}
        )
        found = dict((response.json() or {}).get("data") or {})
        state = (found.get("processing_info") or {}).get("state")
        if not found.get("id") or state == "failed":
            raise ServiceError(f"X did not accept the image upload ({state or 'no media id in the answer'}).")
        return found

    def set_alt_text(self, media_id: str, text: str) -> None:
        """`POST /2/media/metadata` with {"id", "metadata": {"alt_text": {"text"}}}."""
        self._signed("POST", "/2/media/metadata", json={"id": media_id, "metadata": {"alt_text": {"text": text}}})

    def _signed(self, method: str, path: str, **kwargs: Any) -> Any:
        """One OAuth 1.0a-signed request on our session (host rewrite, timeout, emulator adapter)."""
        import requests
        import tweepy

        api = self._api()
        key, secret, token, token_secret = self._credentials
        auth = tweepy.OAuth1UserHandler(key, secret, token, token_secret).apply_auth()
        try:
            response = api.session.request(method, TWEEPY_HOST + path, auth=auth, **kwargs)
        except requests.RequestException as exc:
            raise translate_transport(exc, write=False) from None
        if not 200 <= response.status_code < 300:
            raise translate_http(response.status_code, response, write=False)
        return response
