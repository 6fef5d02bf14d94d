from flask import Blueprint

from planner.firms import import_views, views

bp = Blueprint("firms", __name__, url_prefix="/firms")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/export.csv", "export", views.export)
bp.add_url_rule("/new", "new", views.new, methods=("GET", "POST"))
bp.add_url_rule("/<int:firm_id>", "view", views.view)
bp.add_url_rule("/<int:firm_id>/edit", "edit", views.edit, methods=("GET", "POST"))
bp.add_url_rule("/<int:firm_id>/merge", "merge", views.merge, methods=("GET", "POST"))
bp.add_url_rule("/<int:firm_id>/contacts/new", "new_contact", views.new_contact, methods=("GET", "POST"))
bp.add_url_rule("/<int:firm_id>/contacts/<int:contact_id>/edit", "edit_contact", views.edit_contact,
                methods=("GET", "POST"))
bp.add_url_rule("/<int:firm_id>/contacts/<int:contact_id>/delete", "delete_contact", views.delete_contact,
                methods=("GET", "POST"))

bp.add_url_rule("/import", "import_upload", import_views.upload, methods=("GET", "POST"))
bp.add_url_rule("/import/template.csv", "import_template_csv", import_views.template_as_csv)
bp.add_url_rule("/import/template.xlsx", "import_template_xlsx", import_views.template_as_xlsx)
bp.add_url_rule("/imports/<int:import_id>", "import_preview", import_views.preview)
bp.add_url_rule("/imports/<int:import_id>/confirm", "import_confirm", import_views.confirm, methods=("GET", "POST"))
bp.add_url_rule("/imports/<int:import_id>/errors.csv", "import_errors", import_views.error_rows)
