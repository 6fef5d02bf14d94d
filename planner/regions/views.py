from flask import abort, render_template, request

from planner.core.roles import staff_required
from planner.partnerships.forms import STATUS_LABELS
from planner.partnerships.operations import partnerships_of_region
from planner.regions.operations import region_by_code, regions_of


@staff_required
def index():
    country = request.args.get("country", "")
    return render_template("regions/index.html", country=country,
                           indian=regions_of("IN") if country != "JP" else [],
                           japanese=sorted(regions_of("JP"), key=lambda r: r.code) if country != "IN" else [])


@staff_required
def view(code: str):
    region = region_by_code(code)
    if region is None:
        abort(404)
    return render_template("regions/view.html", region=region, partnerships=partnerships_of_region(region.id),
                           status_labels=STATUS_LABELS)
