"""Demo firms: a few dozen per partnership pair, generated deterministically from name parts. Idempotent."""

import random
from decimal import Decimal

from sqlalchemy import select

from planner.extensions import db
from planner.firms.models import Firm
from planner.firms.normalise import name_key
from planner.firms.operations import ContactData, FirmData, add_contact, create_firm
from planner.firms.size import CRORE, MILLION
from planner.regions.models import Sector
from planner.regions.operations import region_by_code

FIRMS_PER_REGION = 15
# beside the generated ones: the firms of people in the delegations demo (see _featured_firms)
FEATURED_FIRMS = {"IN-GJ": "Shah Precision Components Pvt Ltd", "JP-22": "Enshu Seimitsu Kogyo K.K."}

# place (romaji, kanji, kana) per prefecture
JAPANESE_PLACES = {
    "JP-22": [("Hamamatsu", "浜松", "はままつ"), ("Iwata", "磐田", "いわた"), ("Fuji", "富士", "ふじ"),
              ("Numazu", "沼津", "ぬまづ"), ("Kakegawa", "掛川", "かけがわ"), ("Suruga", "駿河", "するが"),
              ("Enshu", "遠州", "えんしゅう")],
    "JP-19": [("Kofu", "甲府", "こうふ"), ("Fujiyoshida", "富士吉田", "ふじよしだ"), ("Nirasaki", "韮崎", "にらさき"),
              ("Kai", "甲斐", "かい"), ("Yatsugatake", "八ヶ岳", "やつがたけ"), ("Fuefuki", "笛吹", "ふえふき")],
    "JP-30": [("Kishu", "紀州", "きしゅう"), ("Arida", "有田", "ありだ"), ("Kainan", "海南", "かいなん"),
              ("Tanabe", "田辺", "たなべ"), ("Hashimoto", "橋本", "はしもと"), ("Shingu", "新宮", "しんぐう")],
    "JP-16": [("Takaoka", "高岡", "たかおか"), ("Tonami", "砺波", "となみ"), ("Himi", "氷見", "ひみ"),
              ("Kurobe", "黒部", "くろべ"), ("Uozu", "魚津", "うおづ"), ("Etchu", "越中", "えっちゅう")],
    "JP-38": [("Imabari", "今治", "いまばり"), ("Niihama", "新居浜", "にいはま"), ("Saijo", "西条", "さいじょう"),
              ("Uwajima", "宇和島", "うわじま"), ("Iyo", "伊予", "いよ"), ("Shikoku Chuo", "四国中央", "しこくちゅうおう")],
}
# word (romaji, kanji, kana), sectors, SME industry, what the firm does
JAPANESE_TRADES = [
    ("Seiki", "精機", "せいき", ["machinery", "automotive"], "manufacturing", "Precision machined parts and jigs."),
    ("Denki", "電機", "でんき", ["semiconductors"], "manufacturing", "Power electronics and control boards."),
    ("Kogyo", "工業", "こうぎょう", ["steel", "automotive"], "manufacturing", "Stamping, forging and heat treatment."),
    ("Shokuhin", "食品", "しょくひん", ["food"], "manufacturing", "Processed foods, pickles and sauces for export."),
    ("Seiyaku", "製薬", "せいやく", ["pharma"], "manufacturing", "Generic drugs and traditional medicines."),
    ("Seni", "繊維", "せんい", ["textiles"], "manufacturing", "Technical textiles and towels."),
    ("Buhin", "部品", "ぶひん", ["automotive"], "manufacturing", "Two-wheeler and outboard engine components."),
    ("Suiso Energy", "水素エネルギー", "すいそえねるぎー", ["clean-energy"], "manufacturing",
     "Hydrogen electrolysers and power-to-gas systems."),
    ("Robotics", "ロボティクス", "ろぼてぃくす", ["robotics-ai", "machinery"], "manufacturing",
     "Factory automation cells and collaborative robots."),
    ("Soft", "ソフト", "そふと", ["it"], "services", "Embedded and factory IT software."),
    ("Butsuryu", "物流", "ぶつりゅう", ["logistics"], "services", "Cold-chain logistics and warehousing."),
    ("Kensetsu", "建設", "けんせつ", ["infrastructure"], "manufacturing", "Civil works, bridges and ports."),
    ("Shoji", "商事", "しょうじ", ["machinery", "food"], "wholesale", "Trading house for machinery and food."),
    ("Noen", "農園", "のうえん", ["natural-products", "food"], "retail", "Tea, citrus and ume orchards."),
    ("Chuzo", "鋳造", "ちゅうぞう", ["steel"], "manufacturing", "Grey and ductile iron castings."),
]
INDIAN_PLACES = {
    "IN-GJ": (["Sabarmati", "Sanand", "Rajkot", "Vadodara", "Surat", "Mehsana", "Kutch"], ["Patel", "Shah", "Desai"]),
    "IN-UP": (["Ganga", "Kanpur", "Noida", "Awadh", "Agra", "Kashi"], ["Srivastava", "Agarwal", "Mishra"]),
    "IN-MH": (["Sahyadri", "Pune", "Nashik", "Konkan", "Deccan", "Vidarbha"], ["Deshmukh", "Kulkarni", "Patil"]),
    "IN-AP": (["Krishna", "Godavari", "Vizag", "Nellore", "Tirupati", "Amaravati"], ["Reddy", "Naidu", "Rao"]),
    "IN-TN": (["Kaveri", "Tiruppur", "Kovai", "Hosur", "Madurai", "Salem"], ["Subramanian", "Iyer", "Pillai"]),
}
INDIAN_TRADES = [
    ("Auto Components", ["automotive"], "Pressed and machined parts for two- and four-wheeler OEMs."),
    ("Precision Engineering", ["machinery"], "CNC machining and special-purpose machines."),
    ("Pharma", ["pharma"], "APIs and formulations, WHO-GMP plant."),
    ("Agro Foods", ["food"], "Fruit pulp, spices and ready-to-eat foods."),
    ("Textiles", ["textiles"], "Knitted garments and home textiles."),
    ("Steel Castings", ["steel"], "Alloy steel castings for pumps and valves."),
    ("Green Energy", ["clean-energy"], "Biogas plants and green hydrogen projects."),
    ("Infotech", ["it"], "IT services and Japanese-language support desk."),
    ("Electronics", ["semiconductors"], "PCB assembly and OSAT services."),
    ("Logistics", ["logistics"], "Port logistics and container freight station."),
    ("Leather Exports", ["leather"], "Finished leather and safety shoes."),
    ("Infra Projects", ["infrastructure"], "Industrial parks and EPC contracting."),
    ("Robotics", ["robotics-ai"], "Vision inspection and welding robots."),
    ("Defence Systems", ["defence", "semiconductors"], "Ruggedised electronics for defence."),
    ("Minerals", ["critical-minerals"], "Rare-earth processing and recycling."),
    ("Bamboo Crafts", ["natural-products"], "Bamboo boards and tea packaging."),
]
INDIAN_SUFFIXES = ["Pvt Ltd", "Private Limited", "LLP", "Limited"]
JAPANESE_PEOPLE = ["Suzuki Hiroshi", "Tanaka Yuki", "Watanabe Kenji", "Ito Aiko", "Yamamoto Takeshi", "Kato Emi"]
INDIAN_PEOPLE = ["Amit", "Sneha", "Rohan", "Kavya", "Vikram", "Lakshmi"]
INTERESTS = ["technology_partner", "joint_venture", "supplier", "buyer", "distributor", "investor", "licensing"]
CERTIFICATIONS = ["ISO 9001", "ISO 14001", "IATF 16949", "ISO 45001"]
INDIAN_SIZES = ["micro", "small", "medium", "large", "unknown"]
JAPANESE_SIZES = ["sme", "sme", "mid_sized", "large", "unknown"]


def _indian_figures(rng: random.Random, size: str) -> dict:
    ranges = {"micro": ((0.3, 2.4), (1, 9.5)), "small": ((3, 24), (12, 95)), "medium": ((30, 120), (110, 480)),
              "large": ((150, 900), (600, 5000))}
    if size == "unknown":
        return {"employees": rng.randint(10, 200)}
    (inv_lo, inv_hi), (turn_lo, turn_hi) = ranges[size]
    crore = lambda lo, hi: (Decimal(str(round(rng.uniform(lo, hi), 2))) * CRORE)  # noqa: E731
    return {"investment_amount": crore(inv_lo, inv_hi), "investment_currency": "INR",
            "turnover_amount": crore(turn_lo, turn_hi), "turnover_currency": "INR",
            "employees": rng.randint(8, 60) * {"micro": 1, "small": 3, "medium": 10, "large": 40}[size]}


def _japanese_figures(rng: random.Random, size: str, industry: str) -> dict:
    if size == "unknown":
        return {}
    if size == "sme":
        capital, employees = rng.randint(10, 45) * MILLION, rng.randint(12, 95)
    elif size == "mid_sized":
        capital, employees = rng.randint(400, 4000) * MILLION, rng.randint(320, 1900)
    else:
        capital, employees = rng.randint(8000, 90000) * MILLION, rng.randint(2400, 18000)
    return {"capital_amount": Decimal(capital), "capital_currency": "JPY", "employees": employees,
            "turnover_amount": Decimal(capital * rng.randint(3, 12)), "turnover_currency": "JPY",
            "industry": industry}


def _common(rng: random.Random, index: int) -> dict:
    offers, seeks = rng.sample(INTERESTS, 2), rng.sample(INTERESTS, rng.randint(1, 3))
    return {"offers": offers, "seeks": seeks, "year_founded": rng.randint(1948, 2021),
            "certifications": rng.sample(CERTIFICATIONS, rng.randint(0, 2)),
            "status": "draft" if index == FIRMS_PER_REGION - 1 else "active"}


def _japanese_firms(code: str, sectors: dict) -> list[tuple[FirmData, ContactData]]:
    rng = random.Random(f"firms-{code}")
    region = region_by_code(code)
    pairs = rng.sample([(p, t) for p in JAPANESE_PLACES[code] for t in JAPANESE_TRADES], FIRMS_PER_REGION)
    firms = []
    for index, ((place, place_ja, place_kana), (word, word_ja, word_kana, codes, industry, what)) in enumerate(pairs):
        size = JAPANESE_SIZES[index % len(JAPANESE_SIZES)]
        name_ja = f"株式会社{place_ja}{word_ja}" if index % 3 else f"{place_ja}{word_ja}株式会社"
        slug = f"{place}-{word}".lower().replace(" ", "-")
        data = FirmData(name=f"{place} {word} Co., Ltd.", region_id=region.id, name_ja=name_ja,
                        name_kana=place_kana + word_kana, city=place, sector_ids=[sectors[c] for c in codes],
                        description=what, website=f"https://www.{slug}.example.jp",
                        **_common(rng, index), **_japanese_figures(rng, size, industry))
        person = JAPANESE_PEOPLE[index % len(JAPANESE_PEOPLE)]
        contact = ContactData(name=person, title=rng.choice(["Overseas Sales Manager", "President", "Director"]),
                              email=f"{person.split()[0].lower()}@{slug}.example.jp", phone="+81 50 0000 0000",
                              language="ja" if index % 2 else "en")
        firms.append((data, contact))
    return firms


def _indian_firms(code: str, sectors: dict) -> list[tuple[FirmData, ContactData]]:
    rng = random.Random(f"firms-{code}")
    region = region_by_code(code)
    places, families = INDIAN_PLACES[code]
    pairs = rng.sample([(p, t) for p in places for t in INDIAN_TRADES], FIRMS_PER_REGION)
    firms = []
    for index, (place, (trade, codes, what)) in enumerate(pairs):
        size = INDIAN_SIZES[index % len(INDIAN_SIZES)]
        suffix = INDIAN_SUFFIXES[index % len(INDIAN_SUFFIXES)]
        slug = f"{place}-{trade}".lower().replace(" ", "-")
        data = FirmData(name=f"{place} {trade} {suffix}", region_id=region.id, city=place,
                        sector_ids=[sectors[c] for c in codes], description=what,
                        website=f"https://{slug}.example.in", **_common(rng, index), **_indian_figures(rng, size))
        person = f"{INDIAN_PEOPLE[index % len(INDIAN_PEOPLE)]} {families[index % len(families)]}"
        contact = ContactData(name=person, title=rng.choice(["Managing Director", "CEO", "Head of Exports"]),
                              email=f"{person.split()[0].lower()}@{slug}.example.in", phone="+91 90000 00000")
        firms.append((data, contact))
    return firms


def _featured_firms(code: str, sectors: dict) -> list[tuple[FirmData, ContactData]]:
    """The firms of the delegations demo's people (Mehul Shah's in Rajkot, Kenta Ito's in Hamamatsu, whose plant
    the delegation visits): the B2B demo seats them at its first table with their own representative."""
    region = region_by_code(code)
    if code == "IN-GJ":
        return [(FirmData(
            name=FEATURED_FIRMS[code], region_id=region.id, city="Rajkot",
            sector_ids=[sectors["automotive"], sectors["machinery"]],
            description="CNC-machined housings and shafts for two-wheeler and EV motor makers.",
            website="https://shah-precision.example.in", offers=["supplier"],
            seeks=["technology_partner", "joint_venture"], year_founded=1996, certifications=["IATF 16949"],
            investment_amount=Decimal("18.5") * CRORE, investment_currency="INR",
            turnover_amount=Decimal("62") * CRORE, turnover_currency="INR", employees=140),
            ContactData(name="Mehul Shah", title="Managing Director", email="mehul.shah@example.in",
                        phone="+91 98250 00000"))]
    if code == "JP-22":
        return [(FirmData(
            name=FEATURED_FIRMS[code], region_id=region.id, name_ja="遠州精密工業株式会社",
            name_kana="えんしゅうせいみつこうぎょう", city="Hamamatsu",
            sector_ids=[sectors["automotive"], sectors["machinery"]],
            description="Die-cast and machined auto parts; a plant in Hamamatsu open to partner visits.",
            website="https://www.enshu-seimitsu.example.jp", offers=["technology_partner", "licensing"],
            seeks=["supplier", "joint_venture"], year_founded=1962, certifications=["ISO 9001", "IATF 16949"],
            capital_amount=Decimal(90 * MILLION), capital_currency="JPY", employees=210,
            industry="manufacturing"),
            ContactData(name="Kenta Ito", title="Plant Manager", email="k.ito@example.jp",
                        phone="+81 53 000 0000", language="ja"))]
    return []


def load_demo_firms(actor, region_codes) -> int:
    """Register the demo firms of the given regions that are not there yet; returns how many were added."""
    sectors = {sector.code: sector.id for sector in db.session.scalars(select(Sector))}
    added = 0
    for code in region_codes:
        build = _japanese_firms if code.startswith("JP-") else _indian_firms
        region = region_by_code(code)
        existing = set(db.session.scalars(select(Firm.name_key).where(Firm.region_id == region.id)))
        for data, contact in _featured_firms(code, sectors) + build(code, sectors):
            if name_key(data.name) in existing:
                continue
            firm = create_firm(data, actor, confirm_duplicate=True)  # the demo's own list, look-alikes and all
            add_contact(firm, contact)
            added += 1
    return added
