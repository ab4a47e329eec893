"""Names and limits of the Instagram service (facts: shared/reference/social_apis.md §6)."""

from __future__ import annotations

SERVICE = "instagram"
TAG = "ig"
LABEL = "Instagram"
SANDBOX_ACCOUNT_ID = "17841400000000001"
SANDBOX_TOKEN = "sandbox-instagram-token"  # the emulator accepts any token; this one is not a secret

MAX_CAPTION = 2_200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20
MAX_ALT_TEXT = 1_000
MAX_CAROUSEL = 10
DEFAULT_CALLS_PER_HOUR = 200
PUBLISH_WAIT_S = 30.0  # images are FINISHED at once; the bound only guards a stuck container

ACCOUNT_FIELDS = "id,username,name,biography,website,followers_count,follows_count,media_count"
# No `insights.metric(views)` expansion here: Graph fails the whole list when one item has no insights
# (code 100, subcode 2108006). Views are read per item instead (`InstagramClient.media_views`).
MEDIA_FIELDS = "id,caption,media_type,media_product_type,timestamp,permalink,like_count,comments_count"
CURRENT_ACCOUNT_METRICS = (
    "views",
    "reach",
    "accounts_engaged",
    "total_interactions",
    "likes",
    "comments",
    "shares",
    "saves",
    "replies",
    "follows_and_unfollows",
    "profile_links_taps",
)
DEFAULT_ACCOUNT_METRICS = ("views", "reach", "accounts_engaged", "total_interactions", "likes", "comments")
REMOVED_METRICS = {
    "impressions": "views",
    "plays": "views",
    "video_views": "views",
    "clips_replays_count": "views",
    "ig_reels_aggregated_all_plays_count": "views",
    "profile_views": None,
    "email_contacts": None,
    "website_clicks": "profile_links_taps",
}
