"""What a person eats, as the kitchens of a visit need it: one of a few diets (each with what it rules out,
written for a kitchen in English and in Japanese), beside the free text for allergies and anything else.

Indian visitors in Japan are often vegetarian or Jain, and Japanese cooking puts fish stock (dashi) into
nearly everything: a restaurant told only 'vegetarian' serves miso soup. So each diet says what it excludes,
and the dietary sheet of an event (planner/itinerary/dietary_sheet.py) prints it in both languages whatever
the page's language, as the stay schedule prints the consulate's captions: a kitchen in Shizuoka reads the
Japanese, one in Ahmedabad the English. Pure data, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diet:
    key: str
    label: str  # short, for lists: 'Jain'
    label_ja: str
    rules_out: str  # for a kitchen: what not to serve
    rules_out_ja: str
    vegetarian: bool = False  # fish stock (dashi) counts as fish


DIETS = (
    Diet("vegetarian", "Vegetarian", "ベジタリアン",
         "No meat, fish, seafood or egg. Dairy is fine.",
         "肉・魚介類・卵は不可。乳製品は可。", True),
    Diet("vegetarian_egg", "Vegetarian (eats egg)", "ベジタリアン（卵可）",
         "No meat, fish or seafood. Egg and dairy are fine.",
         "肉・魚介類は不可。卵・乳製品は可。", True),
    Diet("jain", "Jain", "ジャイナ教徒の菜食",
         "No meat, fish, seafood or egg, and no root vegetables: onion, garlic, potato, carrot, ginger, radish. "
         "Dairy is fine; no honey.",
         "肉・魚介類・卵は不可。根菜類（玉ねぎ、にんにく、じゃがいも、にんじん、しょうが、大根など）も不可。乳製品は可、はちみつは不可。",
         True),
    Diet("vegan", "Vegan", "ヴィーガン",
         "No animal products at all: no meat, fish, egg, dairy or honey.",
         "動物性の食品はすべて不可（肉・魚介類・卵・乳製品・はちみつ）。", True),
    Diet("halal", "Halal", "ハラール",
         "No pork or alcohol, also in sauces and seasonings (mirin, sake); meat only if halal.",
         "豚肉・アルコールは不可（調味料のみりん・酒を含む）。肉はハラール認証のもののみ。"),
    Diet("no_beef", "No beef", "牛肉不可",
         "No beef, also in stock and sauces.",
         "牛肉は不可（だし・ソースを含む）。"),
)
BY_KEY = {diet.key: diet for diet in DIETS}
KEYS = tuple(BY_KEY)

# Said once on a sheet with any vegetarian diner.
DASHI_NOTE = ("Fish stock (dashi: katsuobushi, niboshi) and fish sauce count as fish: use kombu or shiitake "
              "stock for vegetarian, Jain and vegan guests.")
DASHI_NOTE_JA = ("かつお節・煮干しのだしや魚醤も魚介類に含まれます。ベジタリアン・ジャイナ教徒・ヴィーガンの方には"
                 "昆布・しいたけのだしをお使いください。")


def label(key: str, language: str = "en") -> str:
    """The diet's short name in ``language`` ('' for none or an unknown key)."""
    diet = BY_KEY.get(key)
    if diet is None:
        return ""
    return diet.label_ja if language == "ja" else diet.label


def choices(language: str = "en", none_label: str = "") -> list[tuple[str, str]]:
    """For a select: no particular diet first, then each diet in ``language``."""
    return [("", none_label)] + [(diet.key, label(diet.key, language)) for diet in DIETS]


def summary(key: str, notes: str, language: str = "en") -> str:
    """'Vegetarian · allergic to peanuts': the diet's name in ``language`` and the notes as typed ('' for
    neither)."""
    return " · ".join(part for part in (label(key, language), (notes or "").strip()) if part)


# How lists from either side write the diets (compared lower-cased, spaces and hyphens as one space)
WRITTEN = {
    "vegetarian": "vegetarian", "veg": "vegetarian", "pure veg": "vegetarian", "pure vegetarian": "vegetarian",
    "lacto vegetarian": "vegetarian", "vegetarian no egg": "vegetarian", "veg no egg": "vegetarian",
    "eggetarian": "vegetarian_egg", "vegetarian eats egg": "vegetarian_egg", "ovo lacto vegetarian": "vegetarian_egg",
    "vegetarian with egg": "vegetarian_egg", "veg with egg": "vegetarian_egg", "jain": "jain", "jain food": "jain",
    "jain vegetarian": "jain", "vegan": "vegan", "halal": "halal", "no beef": "no_beef", "beef free": "no_beef",
    "菜食": "vegetarian", "菜食主義": "vegetarian", "ジャイナ教": "jain", "ジャイナ教食": "jain", "ビーガン": "vegan",
    "ハラル": "halal",
}


def _written(text: str) -> str:
    """Lower-cased, with brackets, hyphens, stops and list signs as spaces: 'Vegetarian, eats egg' and
    'ベジタリアン・卵可' read as the diets they name."""
    for sign in "-().（）,、・/;":
        text = text.replace(sign, " ")
    return " ".join(text.lower().split())


WRITTEN.update({_written(diet.label): diet.key for diet in DIETS})
WRITTEN.update({_written(diet.label_ja): diet.key for diet in DIETS})
WRITTEN.update({diet.key.replace("_", " "): diet.key for diet in DIETS})


def split_diet(text: str) -> tuple[str, str]:
    """A list's dietary cell read as (diet key, the rest as notes): 'Jain' → ('jain', ''); 'Vegetarian, allergic
    to nuts' → ('vegetarian', 'allergic to nuts'); 'Jain - no onion' → ('jain', 'no onion'); anything else, and
    'Veg/Non-veg', → ('', text as typed)."""
    text = (text or "").strip()
    if "non veg" in _written(text):  # 'Veg/Non-veg', a list that did not choose: no diet to tell a kitchen
        return "", text
    key = WRITTEN.get(_written(text))
    if key:
        return key, ""
    for separator in (",", ";", "、", "/", "・", "(", "（", " - ", " – "):
        head, found, rest = text.partition(separator)
        if found and (key := WRITTEN.get(_written(head))):
            return key, rest.strip().strip("()（）").strip()
    return "", text
