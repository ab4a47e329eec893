"""X (Twitter) service: own posts and metrics through tweepy, writes gated by approval."""
