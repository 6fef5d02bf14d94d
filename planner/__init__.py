"""The delegation planner: India–Japan state–prefecture exchanges, B2B meetings, invites and follow-ups."""

import os
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Application factory. `config` overrides the settings read from the environment (tests use it)."""
    from planner import app_setup
    from planner.config import check_production_safety, from_environment

    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=os.environ.get("PLANNER_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
    )
    app.config.update(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    check_production_safety(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app_setup.register_extensions(app)
    app_setup.register_url_converters(app)
    app_setup.register_blueprints(app)
    app_setup.register_error_handlers(app)
    app_setup.register_template_helpers(app)
    app_setup.register_request_hooks(app)
    app_setup.register_commands(app)
    return app
