"""Arguments and results of the Instagram tools; descriptions are written for the model calling them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from mcp_servers.core.models import ToolResult
from mcp_servers.graph.insights import DroppedMetric


class GetAccountArgs(BaseModel):
    pass


class PublishingQuotaArgs(BaseModel):
    pass


class ListMediaArgs(BaseModel):
    limit: int = Field(default=10, ge=1, le=50, description="How many of the newest posts to return")


class ListCommentsArgs(BaseModel):
    media_id: str = Field(description="The media id from list_media")


class AccountInsightsArgs(BaseModel):
    metrics: list[str] | None = Field(
        default=None,
        description="Account metrics (total over the period); omit for views, reach, accounts_engaged, "
        "total_interactions, likes, comments. Removed metrics (impressions, plays, …) are dropped and reported.",
    )
    days: int = Field(default=7, ge=1, le=30, description="How many days back from today")


class CreatePostArgs(BaseModel):
    caption: str = Field(default="", description="The caption: at most 2,200 characters, 30 hashtags, 20 @-tags")
    image_url: str | None = Field(
        default=None, description="One public https JPEG URL (Instagram downloads it). No local files."
    )
    image_urls: list[str] | None = Field(
        default=None, description="A carousel: 2 to 10 public https JPEG URLs, in order (instead of image_url)"
    )
    alt_text: str | None = Field(default=None, description="Alternative text for the image(s), for accessibility")
    scheduled_for: datetime | None = Field(
        default=None,
        description="When to publish, with a time zone, at least 1 minute and at most the approval period (7 days by "
        "default) ahead; the orchestrator publishes it then. Posts scheduled 60 minutes or more ahead are "
        "auto-approved (the owner can still cancel them); omit to publish on approval",
    )


class ReplyToCommentArgs(BaseModel):
    comment_id: str = Field(description="The comment id from list_comments")
    message: str = Field(description="The reply text")


class AccountInfo(ToolResult):
    id: str
    username: str
    name: str | None = None
    biography: str | None = None
    website: str | None = None
    followers: int | None = None
    follows: int | None = None
    media_count: int | None = None


class PublishingQuota(ToolResult):
    used: int = Field(description="API-published posts in the current window (a carousel counts once)")
    total: int | None = Field(
        description="The limit Instagram reports for this account right now; null when its answer had no config "
        "(unknown, not zero)"
    )
    remaining: int | None = Field(description="total - used; null when the limit is unknown")
    window_hours: float
    note: str = ""


class MediaSummary(BaseModel):
    id: str
    caption: str
    media_type: str
    timestamp: datetime
    permalink: str | None = None
    likes: int = 0
    comments: int = 0
    views: int | None = Field(default=None, description="Current 'views' metric (replaces impressions/plays)")


class MissingViews(BaseModel):
    media_id: str
    reason: str = Field(description="Why Instagram gave no views for this item (its own words)")


class MediaList(ToolResult):
    account_id: str
    media: list[MediaSummary]
    views_missing: list[MissingViews] = Field(
        default_factory=list, description="Items whose views Instagram refused to report; the rest are complete"
    )


class Comment(BaseModel):
    id: str
    text: str
    username: str | None = None
    timestamp: datetime | None = None


class CommentList(ToolResult):
    media_id: str
    comments: list[Comment]


class MetricTotal(BaseModel):
    name: str
    value: float


class AccountInsights(ToolResult):
    since: date
    until: date
    metrics: list[MetricTotal]
    dropped: list[DroppedMetric] = Field(default_factory=list, description="Metrics Instagram rejected")
