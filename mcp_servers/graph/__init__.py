"""The Graph API client and emulator shared by the Facebook and Instagram servers (no facebook-sdk)."""
