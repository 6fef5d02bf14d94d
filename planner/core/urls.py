"""Absolute links for mail and feeds, built from PUBLIC_BASE_URL: the CLI, the worker and the demo write mail
too, with no request to take a host from, and a mail must not carry whatever host a request came in on."""

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    adapter = current_app.extensions.get("planner.url_adapter")
    if adapter is None:  # bound once per app: a mail has half a dozen links, a confirmation hundreds of mails
        adapter = current_app.extensions["planner.url_adapter"] = current_app.url_map.bind("localhost")
    return base + adapter.build(endpoint, values)
