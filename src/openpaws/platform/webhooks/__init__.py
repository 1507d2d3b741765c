"""Webhook delivery: endpoints, signing, the worker that posts each committed event to the
endpoints fixed for it, and the guard on where it may post. Knows no dialect: each dialect
registers a :class:`~openpaws.platform.webhooks.styles.WebhookStyle`."""
