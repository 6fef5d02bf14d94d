"""Demo data for `make run`: accounts for every role and the five known partnerships. Idempotent."""

from datetime import date

from sqlalchemy import select

from planner.accounts.models import User
from planner.accounts.operations import create_user
from planner.extensions import db
from planner.partnerships.models import Partnership
from planner.partnerships.operations import PartnershipData, create_partnership
from planner.regions.models import Sector
from planner.regions.operations import region_by_code, seed_reference_data

DEMO_PASSWORD = "demo-password-2026"

DEMO_USERS = [
    # email, name, role, region
    ("admin@demo.planner", "Asha Rao (administrator)", "admin", None),
    ("gujarat@demo.planner", "Kiran Patel, iNDEXTb Gujarat", "state", "IN-GJ"),
    ("up@demo.planner", "Neha Srivastava, Invest UP", "state", "IN-UP"),
    ("maharashtra@demo.planner", "Rahul Deshmukh, MIDC Maharashtra", "state", "IN-MH"),
    ("andhra@demo.planner", "Srinivas Reddy, APEDB Andhra Pradesh", "state", "IN-AP"),
    ("tamilnadu@demo.planner", "Priya Subramanian, Guidance Tamil Nadu", "state", "IN-TN"),
    ("shizuoka@demo.planner", "Yuki Suzuki, Shizuoka Prefecture", "prefecture", "JP-22"),
    ("yamanashi@demo.planner", "Takeshi Watanabe, Yamanashi Prefecture", "prefecture", "JP-19"),
    ("wakayama@demo.planner", "Haruka Yamamoto, Wakayama Prefecture", "prefecture", "JP-30"),
    ("toyama@demo.planner", "Kenji Nakamura, Toyama Prefecture", "prefecture", "JP-16"),
    ("ehime@demo.planner", "Aiko Kobayashi, Ehime Prefecture", "prefecture", "JP-38"),
    ("delegate@demo.planner", "Mehul Shah (delegate)", "delegate", None),
]

DEMO_PARTNERSHIPS = [
    # state, prefecture, status, since, agreement title, signed, reference, sectors, notes
    ("IN-GJ", "JP-22", "active", date(2023, 5, 16),
     "Memorandum of Cooperation on economic and industrial exchange", date(2023, 5, 16), "GJ-SZ/MoC/2023-01",
     ["automotive", "semiconductors", "clean-energy", "food"],
     "Annual delegations since 2023; Shizuoka's auto-parts suppliers around Hamamatsu meet Sanand and Mandal "
     "OEM clusters. Green hydrogen working group started 2025."),
    ("IN-UP", "JP-19", "active", date(2022, 7, 20),
     "Memorandum of Understanding on hydrogen and clean-energy cooperation", date(2022, 7, 20), "UP-YN/MoU/2022-07",
     ["clean-energy", "food", "natural-products"],
     "Yamanashi's power-to-gas know-how (P2G system) and UP's green hydrogen policy; fruit processing exchange."),
    ("IN-MH", "JP-30", "active", date(2013, 10, 18),
     "Memorandum of Understanding on friendship and cooperation", date(2013, 10, 18), "MH-WK/MoU/2013",
     ["food", "logistics", "infrastructure", "pharma"],
     "One of the oldest pairs; Wakayama fruit and food processing, Maharashtra ports and logistics."),
    ("IN-AP", "JP-16", "active", date(2022, 11, 1),
     "Memorandum of Cooperation on industrial exchange", date(2022, 11, 1), "AP-TY/MoC/2022-11",
     ["pharma", "machinery", "steel"],
     "Toyama's pharmaceutical tradition (Toyama medicine) and machining SMEs; AP industrial corridors."),
    ("IN-TN", "JP-38", "proposed", None,
     "Draft Memorandum of Cooperation", None, "",
     ["textiles", "machinery", "food"],
     "Ehime towel makers (Imabari) and Tamil Nadu textile clusters (Tiruppur, Coimbatore); draft under review."),
]


def _ensure_users() -> int:
    added = 0
    existing = set(db.session.scalars(select(User.email)))
    for email, name, role, region_code in DEMO_USERS:
        if email in existing:
            continue
        create_user(email=email, name=name, role=role, password=DEMO_PASSWORD,
                    region=region_by_code(region_code) if region_code else None)
        added += 1
    return added


def _ensure_partnerships() -> int:
    added = 0
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.planner"))
    sectors = {sector.code: sector.id for sector in db.session.scalars(select(Sector))}
    for state, prefecture, status, since, title, signed, reference, sector_codes, notes in DEMO_PARTNERSHIPS:
        state_region, prefecture_region = region_by_code(state), region_by_code(prefecture)
        exists = db.session.scalar(select(Partnership.id).where(
            Partnership.state_id == state_region.id, Partnership.prefecture_id == prefecture_region.id))
        if exists:
            continue
        create_partnership(PartnershipData(
            state_id=state_region.id, prefecture_id=prefecture_region.id, status=status, since=since,
            agreement_title=title, agreement_date=signed, agreement_reference=reference,
            focus_sector_ids=[sectors[code] for code in sector_codes], notes=notes), admin)
        added += 1
    return added


def load_demo_data() -> dict[str, int]:
    seed_reference_data()
    summary = {"users added": _ensure_users(), "partnerships added": _ensure_partnerships()}
    from planner.delegations.demo import load_delegations_demo

    summary.update(load_delegations_demo())
    from planner.firms.demo import load_demo_firms

    admin = db.session.scalar(select(User).where(User.email == "admin@demo.planner"))
    summary["firms added"] = load_demo_firms(admin, [code for pair in DEMO_PARTNERSHIPS for code in pair[:2]])
    db.session.flush()
    from planner.matchmaking.demo import load_matchmaking_demo

    summary.update(load_matchmaking_demo())
    from planner.followups.demo import load_followups_demo

    summary.update(load_followups_demo())
    from planner.invites.demo import load_invites_demo

    summary.update(load_invites_demo())
    return summary
