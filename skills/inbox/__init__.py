"""The social inbox (issue 16): new comments, replies and mentions from Facebook, Instagram and X are
collected by a scheduled job into one note per conversation in `Inbox/` (`collect.run_inbox`), and
reply drafts are filed as approval requests through the platforms' own reply tools (`drafts`)."""
