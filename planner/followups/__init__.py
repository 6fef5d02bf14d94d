"""Outcomes: follow-ups of meetings and visits, feedback requests, agreements, the dashboard and its exports."""
