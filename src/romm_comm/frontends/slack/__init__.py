"""The Slack front end: slack-bolt (asyncio) in Socket Mode, replies in Block Kit."""
