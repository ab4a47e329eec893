"""Arguments and results of the Facebook tools; descriptions are written for the model calling them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from mcp_servers.core.models import ToolResult
from mcp_servers.graph.insights import DroppedMetric


class GetPageArgs(BaseModel):
    pass


class ListPostsArgs(BaseModel):
    limit: int = Field(default=10, ge=1, le=100, description="How many of the newest posts to return")


class ListCommentsArgs(BaseModel):
    post_id: str = Field(description="The post id from list_posts, e.g. 102030405060708_900000000000001")
    limit: int = Field(default=25, ge=1, le=100, description="How many comments, newest first")


class PageInsightsArgs(BaseModel):
    metrics: list[str] | None = Field(
        default=None,
        description="Page metrics to read; omit for page_media_view, page_total_media_view_unique, "
        "page_post_engagements, page_follows. Removed metrics (page_impressions, page_fans, …) are dropped "
        "and reported with their replacement.",
    )
    days: int = Field(default=28, ge=1, le=90, description="How many days back from today")


class CreatePostArgs(BaseModel):
    message: str = Field(description="The post text (may be empty only when a link or image is given)")
    link: str | None = Field(default=None, description="A public http(s) link to attach")
    image_url: str | None = Field(
        default=None, description="A public https URL of an image; Facebook downloads it. No local files."
    )
    scheduled_for: datetime | None = Field(
        default=None,
        description="When to publish, with a time zone, at least 1 minute and at most the approval period (7 days by "
        "default) ahead; the orchestrator publishes it then. Posts scheduled 60 minutes or more ahead are "
        "auto-approved (the owner can still cancel them); omit to publish on approval",
    )


class ReplyToCommentArgs(BaseModel):
    comment_id: str = Field(description="The comment id from list_comments")
    message: str = Field(description="The reply text, as the Page")


class DeletePostArgs(BaseModel):
    post_id: str = Field(description="The post id from list_posts")


class PageInfo(ToolResult):
    id: str
    name: str
    category: str | None = None
    link: str | None = None
    about: str | None = None
    website: str | None = None
    followers: int | None = Field(default=None, description="followers_count")
    fans: int | None = Field(default=None, description="fan_count (Page likes)")


class PostSummary(BaseModel):
    id: str
    message: str
    created_time: datetime
    permalink_url: str | None = None
    reactions: int = 0
    comments: int = 0
    shares: int = 0
    image_url: str | None = None


class PostList(ToolResult):
    page_id: str
    posts: list[PostSummary]


class Comment(BaseModel):
    id: str
    message: str
    author: str | None = None
    created_time: datetime | None = None


class CommentList(ToolResult):
    object_id: str
    comments: list[Comment]


class DailyValue(BaseModel):
    date: date
    value: float


class MetricSeries(BaseModel):
    name: str
    total: float = Field(description="Sum over the days (for page_follows: the latest value)")
    values: list[DailyValue]


class PageInsights(ToolResult):
    since: date
    until: date
    metrics: list[MetricSeries]
    dropped: list[DroppedMetric] = Field(default_factory=list, description="Metrics Facebook rejected")
