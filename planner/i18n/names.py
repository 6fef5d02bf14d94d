"""Names in the interface's script: prefectures and firms in Japanese script on Japanese pages.

Indian states and sectors have no Japanese name in the reference data; the usual Japanese renderings (as used
by MOFA and JETRO) are kept here, keyed by code, so the data stays one-language and the display bilingual.
"""

from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from planner.core.timefmt import display_language

INDIAN_REGIONS_JA = {
    "IN-AP": "アーンドラ・プラデーシュ州", "IN-AR": "アルナーチャル・プラデーシュ州", "IN-AS": "アッサム州",
    "IN-BR": "ビハール州", "IN-CG": "チャッティースガル州", "IN-GA": "ゴア州", "IN-GJ": "グジャラート州",
    "IN-HR": "ハリヤーナー州", "IN-HP": "ヒマーチャル・プラデーシュ州", "IN-JH": "ジャールカンド州",
    "IN-KA": "カルナータカ州", "IN-KL": "ケーララ州", "IN-MP": "マディヤ・プラデーシュ州",
    "IN-MH": "マハーラーシュトラ州", "IN-MN": "マニプル州", "IN-ML": "メーガーラヤ州", "IN-MZ": "ミゾラム州",
    "IN-NL": "ナガランド州", "IN-OD": "オディシャ州", "IN-PB": "パンジャーブ州", "IN-RJ": "ラージャスターン州",
    "IN-SK": "シッキム州", "IN-TN": "タミル・ナードゥ州", "IN-TS": "テランガーナ州", "IN-TR": "トリプラ州",
    "IN-UP": "ウッタル・プラデーシュ州", "IN-UK": "ウッタラーカンド州", "IN-WB": "西ベンガル州",
    "IN-AN": "アンダマン・ニコバル諸島", "IN-CH": "チャンディーガル", "IN-DH": "ダードラー・ナガル・ハヴェーリー及びダマン・ディーウ",
    "IN-DL": "デリー", "IN-JK": "ジャンムー・カシミール", "IN-LA": "ラダック", "IN-LD": "ラクシャドウィープ",
    "IN-PY": "プドゥチェリー",
}

SECTORS_JA = {
    "semiconductors": "半導体・エレクトロニクス(設計、OSAT/ATMP、金型・治工具)",
    "automotive": "自動車・モビリティ部品、EV",
    "pharma": "医薬品",
    "clean-energy": "クリーンエネルギー(グリーン水素・アンモニア、バイオガス)",
    "defence": "防衛",
    "steel": "鉄鋼",
    "machinery": "機械・アグリテック",
    "food": "食品加工・養鶏",
    "textiles": "繊維",
    "leather": "皮革",
    "it": "IT・デジタルサービス",
    "robotics-ai": "ロボット・AI",
    "logistics": "物流・運輸",
    "infrastructure": "建設・インフラ",
    "finance": "金融",
    "critical-minerals": "重要鉱物",
    "natural-products": "天然産品(竹、茶、園芸)",
}


def region_name(region) -> str:
    """'静岡県' / 'グジャラート州' on Japanese pages; 'Shizuoka (静岡県)' / 'Gujarat' on English ones."""
    if display_language() == "ja":
        return region.name_ja or INDIAN_REGIONS_JA.get(region.code, region.name)
    return f"{region.name} ({region.name_ja})" if region.name_ja else region.name


def partnership_title(partnership) -> str:
    if display_language() == "ja":
        return f"{region_name(partnership.state)}–{region_name(partnership.prefecture)}"
    return partnership.title


def sector_name(sector) -> str:
    if display_language() == "ja":
        return SECTORS_JA.get(sector.code, sector.name)
    return sector.name


def local_name(obj) -> str:
    """A firm's or person's name: the Japanese one on Japanese pages when it is given, the romanised one
    otherwise (and always on English pages)."""
    if obj is None:
        return ""
    name_ja = getattr(obj, "name_ja", "") or ""
    if name_ja and display_language() == "ja":
        return name_ja
    return obj.name


@pass_eval_context
def listed(context, items) -> str:
    """Items joined as the page's language lists them: 'Gujarat, Shizuoka' / 'グジャラート州、静岡県'. As Jinja's
    join: in HTML, names already marked up stay so and other text is escaped; in a text mail nothing is."""
    separator = "、" if display_language() == "ja" else ", "
    if context.autoescape:
        return Markup(separator).join(items)
    return separator.join(str(item) for item in items)


def affiliation(person) -> str:
    """Where a person works, as pages show it: the organisation as typed, else the registered firm they are
    linked to (in the page's script): a firm's representative recorded with the firm and no organisation
    showed an empty 所属. A firm the viewer may not see (another region's draft) is not named."""
    if person is None:
        return ""
    if person.organisation:
        return person.organisation
    if not person.firm_id or person.firm is None:
        return ""
    from planner.core.access import can_see

    return local_name(person.firm) if can_see(person.firm) else ""


def named(obj) -> Markup:
    """A region's, person's or firm's name for a page, each script marked with its language so that a screen
    reader reads 静岡県 with a Japanese voice on an English page (and 'Mehul Shah' with an English one on a
    Japanese page): 'Shizuoka <span lang="ja">(静岡県)</span>'.  The text is the same as ``display_name``
    (``local_name`` for what has none)."""
    if obj is None:
        return Markup("")
    text = obj.display_name if hasattr(obj, "display_name") else local_name(obj)
    name = getattr(obj, "name", "") or ""
    name_ja = getattr(obj, "name_ja", "") or ""
    if display_language() == "ja":
        if text == name and name.isascii():  # no Japanese name: the romanised one, in English
            return Markup('<span lang="en">{}</span>').format(name)
        return escape(text)
    if name_ja and text == f"{name} ({name_ja})":
        return Markup('{} <span lang="ja">({})</span>').format(name, name_ja)
    return escape(text)


def other_name(obj, muted: bool = True) -> Markup:
    """The name in the script the page does not use, marked with its language, when the record has both:
    '<span lang="en">Hiroshi Yamamoto</span>' on Japanese pages, '<span lang="ja">山本 博</span>' on English ones."""
    name, name_ja = getattr(obj, "name", "") or "", getattr(obj, "name_ja", "") or ""
    if obj is None or not name_ja or name_ja == name:
        return Markup("")
    css = Markup(' class="text-muted"') if muted else Markup("")
    if display_language() == "ja":
        return Markup('<span lang="en"{}>{}</span>').format(css, name)
    return Markup('<span lang="ja"{}>{}</span>').format(css, name_ja)


def both_names(obj, muted: bool = True) -> Markup:
    """The name in the page's script, then the other script's name after it when there is one: '山本 博
    <span lang="en">Hiroshi Yamamoto</span>' on Japanese pages, 'Hiroshi Yamamoto <span lang="ja">山本 博</span>'
    on English ones (a page that printed ``local_name`` and then ``name_ja`` showed '山本 博 山本 博')."""
    other = other_name(obj, muted)
    if not other:
        return named(obj)
    return Markup("{} {}").format(local_name(obj), other)
