"""Arguments and results of the X tools (descriptions are written for the model that calls them)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mcp_servers.core.models import ToolResult

PostId = Annotated[str, Field(pattern=r"^\d{1,19}$", description="An X post id (digits only)")]
WHEN = (
    "Optional time to publish, ISO 8601 with a UTC offset (e.g. 2026-12-01T09:00:00Z): at least 1 minute and "
    "at most the approval period (7 days by default) ahead. Posts scheduled 60 minutes or more ahead are "
    "auto-approved (never replies). Omit to post as soon as the owner approves."
)

IMAGE_URL = (
    "Optional public https URL of one image to attach: JPEG, PNG, GIF or WebP, at most 5 MB. The server "
    "downloads it and uploads it to X; the preview shows its type and size."
)
ALT_TEXT = "Optional description of the image for screen readers (at most 1,000 characters)"
MAX_ALT_TEXT = 1000
IMAGE_SHA256 = (
    "Optional SHA-256 of the image as previewed (the preview shows it). When given, the post is refused if the "
    "file at image_url has changed by the time it runs, so what is posted is what the owner approved."
)
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class GetMeArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Account(ToolResult):
    id: str
    username: str
    name: str
    description: str = ""
    followers: int = 0
    following: int = 0
    post_count: int = 0
    created_at: str | None = None
    profile_url: str


class ListPostsArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_results: int = Field(default=20, ge=1, le=100, description="How many recent posts, newest first (1-100)")
    exclude_replies: bool = Field(default=False, description="Leave out replies (thread parts stay out too)")


class PostMetrics(BaseModel):
    impressions: int = 0
    likes: int = 0
    reposts: int = Field(default=0, description="X's retweet_count / repost_count")
    replies: int = 0
    quotes: int = 0
    bookmarks: int = 0
    engagement_rate: float = Field(default=0.0, description="(likes+reposts+replies+quotes+bookmarks)/impressions")


class Post(BaseModel):
    id: str
    text: str
    created_at: str | None = None
    url: str
    in_reply_to_id: str | None = None
    conversation_id: str | None = None
    metrics: PostMetrics


class PostList(ToolResult):
    username: str
    posts: list[Post]
    totals: PostMetrics = Field(description="Sums over the listed posts; engagement_rate over their impressions")
    note: str = ""


class CreatePostArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        description="The post text. At most 280 weighted characters: each URL counts 23, emoji and CJK "
        "characters count 2. At most one $cashtag."
    )
    reply_to_id: PostId | None = Field(
        default=None,
        description="Reply to this post id. X lets the API reply only where the author mentioned or quoted "
        "this account (or to the account's own posts).",
    )
    scheduled_for: AwareDatetime | None = Field(default=None, description=WHEN)
    image_url: str | None = Field(default=None, description=IMAGE_URL)
    alt_text: str | None = Field(default=None, max_length=MAX_ALT_TEXT, description=ALT_TEXT)
    image_sha256: Sha256 | None = Field(default=None, description=IMAGE_SHA256)


class ThreadImage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    part: int = Field(ge=1, le=25, description="Which part carries the image (1 = the first post)")
    image_url: str = Field(description=IMAGE_URL)
    alt_text: str | None = Field(default=None, max_length=MAX_ALT_TEXT, description=ALT_TEXT)
    image_sha256: Sha256 | None = Field(default=None, description=IMAGE_SHA256)


class CreateThreadArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texts: list[str] = Field(
        min_length=2, max_length=25, description="The thread's posts in order; each follows the rules of create_post"
    )
    reply_to_id: PostId | None = Field(
        default=None,
        description="Continue under this post (e.g. the last posted part of a thread that stopped partway)",
    )
    scheduled_for: AwareDatetime | None = Field(default=None, description=WHEN)
    images: list[ThreadImage] | None = Field(default=None, description="At most one image per part")


class DeletePostArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    post_id: PostId
