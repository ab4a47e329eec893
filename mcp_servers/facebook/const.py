"""Names and limits of the Facebook service (facts: shared/reference/social_apis.md §3–§5)."""

from __future__ import annotations

SERVICE = "facebook"
TAG = "fb"
LABEL = "Facebook"
SANDBOX_PAGE_ID = "102030405060708"
SANDBOX_TOKEN = "sandbox-page-token"  # the emulator accepts any token; this one is not a secret

MAX_MESSAGE = 63_206  # Facebook's post length limit
MAX_COMMENT = 8_000
DEFAULT_CALLS_PER_HOUR = 200

POST_FIELDS = (
    "id,message,created_time,permalink_url,full_picture,shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)
PAGE_FIELDS = "id,name,category,link,about,website,fan_count,followers_count"

# Page metrics that still exist in 2026; everything else was removed (see REMOVED_PAGE_METRICS).
CURRENT_PAGE_METRICS = (
    "page_media_view",
    "page_total_media_view_unique",
    "page_follows",
    "page_daily_follows_unique",
    "page_daily_unfollows_unique",
    "page_post_engagements",
    "page_video_views",
)
DEFAULT_PAGE_METRICS = ("page_media_view", "page_total_media_view_unique", "page_post_engagements", "page_follows")
REMOVED_PAGE_METRICS = {
    "page_impressions": "page_media_view",
    "page_impressions_unique": "page_total_media_view_unique",
    "page_impressions_paid": "page_media_view (is_from_ads breakdown)",
    "page_fans": "page_follows",
    "page_fan_adds": None,
    "page_fan_removes": None,
    "page_engaged_users": None,
    "page_consumptions": None,
    "page_posts_impressions": "page_total_media_view_unique",
    "page_video_views_unique": "page_total_media_view_unique",
}
