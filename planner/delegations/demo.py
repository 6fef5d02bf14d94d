"""Demo delegations 2023–2026 with people, venues and itineraries that look real. Idempotent (keyed by title).

Calendar years: 2023 meets the target (3 states, 3 prefectures completed), 2024 misses it (2 and 2), 2025 meets
it, 2026 is on track (2 and 2 completed, a third of each confirmed for December). The demo delegate account
(delegate@demo.planner) is Mehul Shah, member of the Gujarat delegation to Shizuoka in December 2026.
"""

from datetime import date, datetime

from sqlalchemy import select

from planner.accounts.models import User
from planner.delegations.models import Delegation, Person
from planner.delegations.operations import (
    DelegationData,
    PersonData,
    add_member,
    change_status,
    create_delegation,
    create_person,
)
from planner.extensions import db
from planner.itinerary.models import Venue
from planner.itinerary.operations import EventData, VenueData, create_venue, save_event
from planner.regions.models import Sector
from planner.regions.operations import region_by_code

VENUES = {
    # key: name, address, city, country, owning region, capacity
    "sz-office": ("Shizuoka Prefectural Government, East Building", "9-6 Otemachi, Aoi-ku", "Shizuoka", "JP",
                  "JP-22", 80),
    "granship": ("Shizuoka Convention & Arts Center GRANSHIP", "2-3-1 Higashi-Shizuoka, Suruga-ku", "Shizuoka",
                 "JP", "JP-22", 400),
    "hamamatsu-plant": ("Enshu Seimitsu auto-parts plant", "Miyakoda-cho, Kita-ku", "Hamamatsu", "JP", "JP-22",
                        30),
    "act-city": ("Act City Hamamatsu, Congress Center", "111-1 Itaya-machi, Naka-ku", "Hamamatsu", "JP",
                 "JP-22", 200),
    "associa": ("Hotel Associa Shizuoka, Banquet Hall", "56 Kurogane-cho, Aoi-ku", "Shizuoka", "JP", "JP-22",
                250),
    "associa-rooms": ("Hotel Associa Shizuoka", "56 Kurogane-cho, Aoi-ku", "Shizuoka", "JP", "JP-22", 250),
    "mahatma-mandir": ("Mahatma Mandir Convention Centre", "Sector 13 C", "Gandhinagar", "IN", "IN-GJ", 1000),
    "gift-city": ("GIFT City, GIFT One Tower", "Block 12, Road 1-D, Zone 1", "Gandhinagar", "IN", "IN-GJ", 60),
    "mandal": ("Mandal-Becharaji Japanese Industrial Park", "Mandal, Ahmedabad district", "Ahmedabad", "IN",
               "IN-GJ", 40),
    "itc-narmada": ("ITC Narmada, Banquet Hall", "Judges Bungalow Road, Vastrapur", "Ahmedabad", "IN", "IN-GJ",
                    300),
    "yn-office": ("Yamanashi Prefectural Government", "1-6-1 Marunouchi", "Kofu", "JP", "JP-19", 60),
    "komekurayama": ("Komekurayama power-to-gas (P2G) hydrogen plant", "Kamimukoyama-machi", "Kofu", "JP",
                     "JP-19", 40),
    "kofu-reception": ("Hotel Kofu, Hall Fuji", "1-1 Chuo", "Kofu", "JP", "JP-19", 150),
    "lucknow": ("Invest UP, Picup Bhawan", "Vibhuti Khand, Gomti Nagar", "Lucknow", "IN", "IN-UP", 120),
}

# The names Japanese readers get (pages in Japanese, their invites); the Indian venues keep one name.
VENUES_JA = {
    "sz-office": "静岡県庁 東館", "granship": "静岡県コンベンションアーツセンター グランシップ",
    "hamamatsu-plant": "遠州精密工業 自動車部品工場", "act-city": "アクトシティ浜松 コングレスセンター",
    "associa": "ホテルアソシア静岡 宴会場", "associa-rooms": "ホテルアソシア静岡", "yn-office": "山梨県庁",
    "komekurayama": "米倉山 P2G水素製造施設", "kofu-reception": "ホテル甲府 富士の間",
}

TITLES_JA = {  # delegations' and events' titles for Japanese readers; those not here have none
    "Gujarat delegation to Shizuoka 2026": "グジャラート州経済ミッション 静岡訪問 2026",
    "Shizuoka delegation to Ahmedabad and GIFT City 2026": "静岡県経済ミッション アーメダバード・GIFTシティ訪問 2026",
    "Yamanashi delegation to Lucknow 2026": "山梨県訪問団 ラクナウ訪問 2026",
    "Uttar Pradesh hydrogen delegation to Yamanashi 2025": "ウッタル・プラデーシュ州 水素訪問団 山梨訪問 2025",
    "Maharashtra delegation to Wakayama 2026": "マハーラーシュトラ州訪問団 和歌山訪問 2026",
    "Tamil Nadu textile delegation to Ehime 2027": "タミル・ナードゥ州 繊維訪問団 愛媛訪問 2027",
    "Courtesy call on the Governor of Shizuoka": "静岡県知事表敬訪問",
    "Courtesy call on the Governor of Yamanashi": "山梨県知事表敬訪問",
    "Invest Gujarat seminar": "グジャラート州投資セミナー",
    "Plant visit: Enshu Seimitsu, Hamamatsu": "工場視察:遠州精密工業(浜松)",
    "B2B session with Hamamatsu suppliers": "浜松サプライヤー商談会",
    "Reception hosted by Shizuoka Prefecture": "静岡県主催レセプション",
    "Hotel Associa Shizuoka (4 nights)": "ホテルアソシア静岡(4泊)",
    "Shinkansen Tokyo → Shizuoka (Hikari 505)": "新幹線 東京 → 静岡(ひかり505号)",
    "Komekurayama P2G hydrogen plant": "米倉山 P2G水素製造施設 視察",
    "UP–Yamanashi hydrogen seminar": "UP・山梨 水素セミナー",
    "Welcome reception": "歓迎レセプション",
    "Meeting with the Industries Commissioner": "グジャラート州産業長官との会談",
    "Japan–Gujarat auto components forum": "日本・グジャラート 自動車部品フォーラム",
    "Dinner hosted by iNDEXTb": "iNDEXTb主催夕食会",
    "GIFT City: IFSC and yen-denominated financing": "GIFTシティ:IFSCと円建て金融",
    "Mandal-Becharaji Japanese Industrial Park": "マンダル・ベチャラジ日本工業団地",
}

PEOPLE = {
    # key: name, name_ja, organisation, title, email, language, interpreter, diet, home region
    "mehul": ("Mehul Shah", "", "Shah Precision Components Pvt Ltd, Rajkot", "Managing Director",
              "mehul.shah@example.in", "en", True, "vegetarian", "IN-GJ"),
    "anjali": ("Anjali Mehta", "", "Industries & Mines Department, Government of Gujarat",
               "Principal Secretary (Industries)", "anjali.mehta@example.in", "en", True, "jain", "IN-GJ"),
    "rakesh": ("Rakesh Desai", "", "iNDEXTb Gujarat", "Deputy General Manager", "rakesh.desai@example.in", "en",
               False, "", "IN-GJ"),
    "priti": ("Priti Joshi", "", "Sanand Auto Components Cluster", "President", "priti.joshi@example.in", "en",
              True, "vegetarian_egg", "IN-GJ"),
    "suzuki": ("Ichiro Suzuki", "鈴木 一郎", "Shizuoka Prefecture, International Affairs Division", "Director",
               "i.suzuki@example.jp", "ja", True, "", "JP-22"),
    "tanaka": ("Yoko Tanaka", "田中 陽子", "Shizuoka Prefecture, Industrial Promotion", "Interpreter (EN–JA)",
               "y.tanaka@example.jp", "en", False, "", "JP-22"),
    "ito": ("Kenta Ito", "伊藤 健太", "Enshu Seimitsu Kogyo K.K.", "Plant Manager", "k.ito@example.jp", "ja", True,
            "", "JP-22"),
    "neha": ("Alok Verma", "", "Uttar Pradesh New & Renewable Energy Development Agency", "Director",
             "alok.verma@example.in", "en", True, "no_beef", "IN-UP"),
    "watanabe": ("Hiroshi Watanabe", "渡辺 浩", "Yamanashi Prefecture, Hydrogen Strategy Office", "Chief",
                 "h.watanabe@example.jp", "ja", True, "", "JP-19"),
    "mori": ("Sachiko Mori", "森 幸子", "Yamanashi Hydrogen Company", "General Manager", "s.mori@example.jp",
             "ja", True, "", "JP-19"),
}

# allergies and other needs beside the diet, as an organiser would type them
DIETARY_NOTES = {"priti": "Allergic to cashew nuts", "suzuki": "No raw fish"}
# The readings (フリガナ) of the Japanese people's names, family name first: Japanese pages list people by them.
READINGS = {"suzuki": "スズキ イチロウ", "tanaka": "タナカ ヨウコ", "ito": "イトウ ケンタ", "watanabe": "ワタナベ ヒロシ",
            "mori": "モリ サチコ"}

DELEGATIONS = [
    # title, direction, states, prefectures, start, end, status (or (status, reason)), sectors, purpose,
    # members [(person, role, precedence)], events [(kind, title, venue or zone, local start, local end, attendees)]
    ("Gujarat delegation to Shizuoka 2023", "IN_JP", ["IN-GJ"], ["JP-22"], date(2023, 10, 16), date(2023, 10, 20),
     "completed", ["automotive"], "First delegation under the Memorandum of Cooperation.",
     [("anjali", "head", 1), ("mehul", "member", 10), ("suzuki", "host", 50)], []),
    ("Yamanashi delegation to Uttar Pradesh 2023", "JP_IN", ["IN-UP"], ["JP-19"], date(2023, 11, 6),
     date(2023, 11, 9), "completed", ["clean-energy"], "Green hydrogen policy dialogue in Lucknow.",
     [("watanabe", "head", 1), ("neha", "host", 50)],
     [("meeting", "Policy dialogue on green hydrogen", "lucknow", datetime(2023, 11, 7, 10), datetime(2023, 11, 7, 13),
       ["watanabe", "neha"])]),
    ("Maharashtra delegation to Wakayama 2023", "IN_JP", ["IN-MH"], ["JP-30"], date(2023, 8, 21), date(2023, 8, 24),
     "completed", ["food", "logistics"], "Fruit processing and port logistics.", [], []),
    ("Shizuoka delegation to Ahmedabad 2024", "JP_IN", ["IN-GJ"], ["JP-22"], date(2024, 2, 12), date(2024, 2, 15),
     "completed", ["automotive", "semiconductors"], "Vibrant Gujarat follow-up; suppliers for Mandal-Becharaji.",
     [("suzuki", "head", 1), ("ito", "member", 10), ("rakesh", "host", 50)], []),
    ("Uttar Pradesh delegation to Yamanashi 2024", "IN_JP", ["IN-UP"], ["JP-19"], date(2024, 7, 8),
     date(2024, 7, 11), "completed", ["clean-energy", "food"], "Fruit processing and hydrogen.",
     [("neha", "head", 1)], []),
    ("Andhra Pradesh delegation to Toyama 2024", "IN_JP", ["IN-AP"], ["JP-16"], date(2024, 9, 2), date(2024, 9, 5),
     ("cancelled", "Postponed after the August floods in Vijayawada."), ["pharma"], "Pharma manufacturing.", [],
     []),
    ("Wakayama delegation to Mumbai 2025", "JP_IN", ["IN-MH"], ["JP-30"], date(2025, 3, 3), date(2025, 3, 6),
     "completed", ["food"], "Food processing buyers' meet.", [], []),
    ("Gujarat delegation to Shizuoka 2025", "IN_JP", ["IN-GJ"], ["JP-22"], date(2025, 5, 19), date(2025, 5, 23),
     "completed", ["automotive", "clean-energy"], "EV components and green hydrogen working group.",
     [("anjali", "head", 1), ("mehul", "member", 10), ("priti", "member", 11), ("suzuki", "host", 50)], []),
    ("Uttar Pradesh hydrogen delegation to Yamanashi 2025", "IN_JP", ["IN-UP"], ["JP-19"], date(2025, 9, 15),
     date(2025, 9, 18), "completed", ["clean-energy"],
     "Study of Yamanashi's power-to-gas system for UP's Green Hydrogen Policy 2024.",
     [("neha", "head", 1), ("watanabe", "host", 50), ("mori", "host", 51)],
     [("travel", "Flight DEL → HND (JL 740)", "Asia/Kolkata>Asia/Tokyo", datetime(2025, 9, 14, 19, 45),
       datetime(2025, 9, 15, 6, 0), ["neha"]),
      ("meeting", "Courtesy call on the Governor of Yamanashi", "yn-office", datetime(2025, 9, 15, 14),
       datetime(2025, 9, 15, 15), ["neha", "watanabe"]),
      ("site_visit", "Komekurayama P2G hydrogen plant", "komekurayama", datetime(2025, 9, 16, 9, 30),
       datetime(2025, 9, 16, 12), ["neha", "watanabe", "mori"]),
      ("seminar", "UP–Yamanashi hydrogen seminar", "yn-office", datetime(2025, 9, 16, 14),
       datetime(2025, 9, 16, 17), ["neha", "watanabe", "mori"]),
      ("reception", "Welcome reception", "kofu-reception", datetime(2025, 9, 16, 18, 30), datetime(2025, 9, 16, 20, 30),
       ["neha", "watanabe", "mori"])]),
    ("Toyama delegation to Andhra Pradesh 2025", "JP_IN", ["IN-AP"], ["JP-16"], date(2025, 11, 10),
     date(2025, 11, 13), "completed", ["pharma", "machinery"], "Pharma parks in Visakhapatnam.", [], []),
    ("Shizuoka delegation to Ahmedabad and GIFT City 2026", "JP_IN", ["IN-GJ"], ["JP-22"], date(2026, 1, 19),
     date(2026, 1, 22), "completed", ["automotive", "finance"],
     "Shizuoka SMEs meet Gujarat OEM clusters; GIFT City for yen financing.",
     [("suzuki", "head", 1), ("ito", "member", 10), ("tanaka", "staff", 20), ("rakesh", "host", 50)],
     [("travel", "Flight NRT → DEL → AMD", "Asia/Tokyo>Asia/Kolkata", datetime(2026, 1, 19, 11),
       datetime(2026, 1, 19, 20), ["suzuki", "ito", "tanaka"]),
      ("meeting", "Meeting with the Industries Commissioner", "mahatma-mandir", datetime(2026, 1, 20, 10),
       datetime(2026, 1, 20, 11, 30), ["suzuki", "rakesh", "tanaka"]),
      ("site_visit", "GIFT City: IFSC and yen-denominated financing", "gift-city", datetime(2026, 1, 20, 14),
       datetime(2026, 1, 20, 16, 30), ["suzuki", "ito", "tanaka", "rakesh"]),
      ("site_visit", "Mandal-Becharaji Japanese Industrial Park", "mandal", datetime(2026, 1, 21, 9),
       datetime(2026, 1, 21, 13), ["suzuki", "ito", "tanaka", "rakesh"]),
      ("seminar", "Japan–Gujarat auto components forum", "mahatma-mandir", datetime(2026, 1, 21, 15, 30),
       datetime(2026, 1, 21, 18), ["suzuki", "ito", "tanaka", "rakesh"]),
      ("reception", "Dinner hosted by iNDEXTb", "itc-narmada", datetime(2026, 1, 21, 19, 30),
       datetime(2026, 1, 21, 22), ["suzuki", "ito", "tanaka", "rakesh"])]),
    ("Yamanashi delegation to Lucknow 2026", "JP_IN", ["IN-UP"], ["JP-19"], date(2026, 4, 13), date(2026, 4, 16),
     "completed", ["clean-energy"], "Hydrogen valley site selection.", [("watanabe", "head", 1)], []),
    ("Gujarat delegation to Shizuoka 2026", "IN_JP", ["IN-GJ"], ["JP-22"], date(2026, 12, 7), date(2026, 12, 11),
     "confirmed", ["automotive", "semiconductors", "clean-energy"],
     "Auto-parts suppliers around Hamamatsu meet Gujarat MSMEs; B2B session at Act City.",
     [("anjali", "head", 1), ("mehul", "member", 10), ("priti", "member", 11), ("rakesh", "staff", 20),
      ("suzuki", "host", 50), ("tanaka", "host", 51), ("ito", "host", 52)],
     [("travel", "Flight AMD → BOM → NRT (AI 306)", "Asia/Kolkata>Asia/Tokyo", datetime(2026, 12, 6, 20, 30),
       datetime(2026, 12, 7, 7), ["anjali", "mehul", "priti", "rakesh"]),
      ("travel", "Shinkansen Tokyo → Shizuoka (Hikari 505)", "Asia/Tokyo", datetime(2026, 12, 7, 11, 3),
       datetime(2026, 12, 7, 12, 2), ["anjali", "mehul", "priti", "rakesh"]),
      ("stay", "Hotel Associa Shizuoka (4 nights)", "associa-rooms", datetime(2026, 12, 7, 14),
       datetime(2026, 12, 11, 7), ["anjali", "mehul", "priti", "rakesh"]),
      ("meeting", "Courtesy call on the Governor of Shizuoka", "sz-office", datetime(2026, 12, 7, 15),
       datetime(2026, 12, 7, 16), ["anjali", "rakesh", "suzuki", "tanaka"]),
      ("seminar", "Invest Gujarat seminar", "granship", datetime(2026, 12, 8, 10), datetime(2026, 12, 8, 12, 30),
       ["anjali", "mehul", "priti", "rakesh", "suzuki", "tanaka"]),
      ("site_visit", "Plant visit: Enshu Seimitsu, Hamamatsu", "hamamatsu-plant", datetime(2026, 12, 9, 9, 30),
       datetime(2026, 12, 9, 12), ["mehul", "priti", "ito", "tanaka"]),
      ("b2b", "B2B session with Hamamatsu suppliers", "act-city", datetime(2026, 12, 9, 14),
       datetime(2026, 12, 9, 17, 30), ["mehul", "priti", "rakesh", "ito", "tanaka"]),
      ("reception", "Reception hosted by Shizuoka Prefecture", "associa", datetime(2026, 12, 10, 18, 30),
       datetime(2026, 12, 10, 20, 30), ["anjali", "mehul", "priti", "rakesh", "suzuki", "tanaka"]),
      ("travel", "Flight NRT → BOM → AMD", "Asia/Tokyo>Asia/Kolkata", datetime(2026, 12, 11, 11),
       datetime(2026, 12, 11, 18, 30), ["anjali", "mehul", "priti", "rakesh"])]),
    ("Maharashtra delegation to Wakayama 2026", "IN_JP", ["IN-MH"], ["JP-30"], date(2026, 12, 14),
     date(2026, 12, 17), "confirmed", ["food", "logistics"], "Port of Wakayama and fruit processing.", [], []),
    ("Tamil Nadu textile delegation to Ehime 2027", "IN_JP", ["IN-TN"], ["JP-38"], date(2027, 2, 8),
     date(2027, 2, 11), "planning", ["textiles"], "Imabari towel makers and Tiruppur knitwear.", [], []),
]


def _venues(admin) -> dict[str, Venue]:
    found = {}
    for key, (name, address, city, country, region_code, capacity) in VENUES.items():
        venue = db.session.scalar(select(Venue).where(Venue.name == name))
        if venue is None:
            owner = type("Owner", (), {"region_id": region_by_code(region_code).id})()
            venue = create_venue(VenueData(name=name, name_ja=VENUES_JA.get(key, ""), country=country,
                                           address=address, city=city, capacity=capacity), owner)
        found[key] = venue
    return found


def _people() -> dict[str, Person]:
    found = {}
    for key, (name, name_ja, organisation, title, email, language, interpreter, diet, region_code) in \
            PEOPLE.items():
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None:
            region = region_by_code(region_code)
            owner = type("Owner", (), {"region_id": region.id})()
            person = create_person(PersonData(
                name=name, name_ja=name_ja, name_kana=READINGS.get(key, ""), organisation=organisation,
                title=title, email=email, preferred_language=language, needs_interpreter=interpreter, diet=diet,
                dietary=DIETARY_NOTES.get(key, ""),
                home_region_id=region.id), owner)
        elif not person.name_kana and key in READINGS:  # a demo database made before people had readings
            person.name_kana = READINGS[key]
        found[key] = person
    delegate = db.session.scalar(select(User).where(User.email == "delegate@demo.planner"))
    if delegate is not None and found["mehul"].user_id is None:
        found["mehul"].user_id = delegate.id
    return found


# The day the demo's story is told as of: visits over before it take their status without mail.  Fixed, so
# that the demo does not change with the calendar (the December 2026 visits keep their invites, which the
# browser journeys read, whenever the demo is loaded).
DEMO_TODAY = date(2026, 11, 25)


def _advance(delegation: Delegation, status) -> None:
    """The visit's status through the planner's transitions, which send the invites; a visit over before
    the demo's day is recorded as it ended, without mailing invites for events years past."""
    status, reason = status if isinstance(status, tuple) else (status, "")
    if delegation.end_date < DEMO_TODAY and status != "planning":
        delegation.status, delegation.cancel_reason = status, reason if status == "cancelled" else ""
        return
    steps = {"planning": [], "confirmed": ["confirm"], "completed": ["confirm", "complete"],
             "cancelled": ["cancel"]}[status]
    for action in steps:
        change_status(delegation, action, reason=reason, today=max(delegation.start_date, date.today()))


def load_delegations_demo() -> dict[str, int]:
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.planner"))
    venues, people = _venues(admin), _people()
    sectors = {sector.code: sector.id for sector in db.session.scalars(select(Sector))}
    added = 0
    for (title, direction, states, prefectures, start, end, status, sector_codes, purpose, members,
         events) in DELEGATIONS:
        if db.session.scalar(select(Delegation.id).where(Delegation.title == title)) is not None:
            continue
        delegation = create_delegation(DelegationData(
            title=title, title_ja=TITLES_JA.get(title, ""), direction=direction, start_date=start, end_date=end,
            purpose=purpose,
            indian_region_ids=[region_by_code(code).id for code in states],
            japanese_region_ids=[region_by_code(code).id for code in prefectures],
            focus_sector_ids=[sectors[code] for code in sector_codes if code in sectors]), admin)
        for key, role, precedence in members:
            add_member(delegation, people[key], role, precedence)
        for kind, event_title, where, local_start, local_end, attendees in events:
            venue = venues.get(where)
            # no venue: the zone, or a flight's "departure zone>arrival zone" (the end on the arrival's clock)
            zone, _sep, end_zone = ("" if venue else where).partition(">")
            save_event(delegation, EventData(
                kind=kind, title=event_title, title_ja=TITLES_JA.get(event_title, ""), local_start=local_start,
                local_end=local_end,
                venue_id=venue.id if venue else None, timezone=zone, end_timezone=end_zone,
                attendee_ids=[people[key].id for key in attendees], confirm_overlap=True), admin)
        _advance(delegation, status)
        added += 1
    db.session.flush()
    return {"delegations added": added}
