"""Constants of the X service: names, hosts, text rules and pay-per-use prices (reference §7)."""

from __future__ import annotations

from decimal import Decimal

SERVICE = "twitter"
PLATFORM = "twitter"

# tweepy 4.17 hard-codes api.twitter.com; X documents api.x.com. Our session rewrites the prefix.
TWEEPY_HOST = "https://api.twitter.com"
DEFAULT_API_HOST = "https://api.x.com"
EMULATED_HOSTS = ("https://api.x.com", "https://api.twitter.com")

# twitter-text v3 configuration (the rules X applies to the `text` of POST /2/tweets).
MAX_WEIGHTED_LENGTH = 280
URL_WEIGHT = 23
MAX_CASHTAGS = 1
MAX_MENTIONS = 10  # more reads as bulk mentioning, which X's automation rules forbid
HASHTAG_WARNING = 3
MAX_HANDLE_LENGTH = 15
MAX_THREAD_PARTS = 25

# Pay-per-use write prices in USD from 2026-04-20 (reference §7); overridable in settings.
PRICE_POST = Decimal("0.015")
PRICE_POST_WITH_URL = Decimal("0.20")
PRICE_REPLY = Decimal("0.010")  # a summoned reply
PRICE_DELETE = Decimal("0.010")
PRICE_MEDIA_METADATA = Decimal("0.005")  # alt text (POST /2/media/metadata)

DEFAULT_POST_LIMIT = 50
RATE_KEY_POSTS = "twitter.posts"

TWEET_FIELDS = ["created_at", "public_metrics", "conversation_id", "in_reply_to_user_id", "referenced_tweets"]
USER_FIELDS = ["created_at", "description", "public_metrics", "username", "name", "verified"]

REGENERATE_ADVICE = (
    "In the X developer console set the app's permissions to 'Read and write', then regenerate the "
    "access token and secret (tokens made before the change keep the old permissions) and update "
    "TWITTER_ACCESS_TOKEN and TWITTER_ACCESS_TOKEN_SECRET."
)
