"""Deterministic, original wire-style news articles for the batch benchmark.

    .venv/bin/python -m bench.articles OUT_DIR [--count 50] [--seed 2026]

Each article is a headline, a dateline paragraph and 3 to 5 more paragraphs, 10 to 16
sentences (about 250-400 words), written from templates and word lists in this file: the
same count and seed always give the same files. The stories are invented: the places,
people and organisations are made up.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_CITIES = (
    "Valmora", "Brenhaven", "Oskarport", "Tirelli", "Marendal", "Kestova", "Lunegard",
    "Dravik", "Sel Amar", "Port Idris", "Halvorn", "Questa",
)  # fmt: skip
_PEOPLE = (
    "Marta Jelinek", "Tomas Verhoef", "Ana Lukic", "Pieter Osei", "Leila Haddad",
    "Jonas Brandt", "Sofia Marchetti", "Yusuf Demir", "Clara Novak", "Emil Sorensen",
    "Irina Petrova", "Daniel Okafor",
)  # fmt: skip
_ROLES = (
    "Transport Minister", "Mayor", "union chair", "company spokesperson",
    "Health Minister", "regional governor", "chief economist", "police commissioner",
)  # fmt: skip
_TOPICS = (
    {
        "headline": "{city} {group} strike ends after {days}-day dispute over pay",
        "group": ("dock workers", "bus drivers", "nurses", "rail staff", "teachers"),
        "facts": (
            "The agreement raises wages by {pct} percent this year and by a further {pct2} "
            "percent next year.",
            "About {num},{num3:03d} {group} took part in the walkout, the union said.",
            "The {days}-day strike halted most services in and around {city}.",
            "Talks broke down twice before a mediator brought both sides back to the table.",
            "Employers said the deal would add {num} million euros to their costs each year.",
        ),
    },
    {
        "headline": "Heavy rain floods parts of {city}; {num} homes evacuated",
        "group": ("residents", "farmers", "shop owners", "commuters"),
        "facts": (
            "Rivers rose by {pct} metres overnight after {days} days of continuous rain.",
            "Emergency crews moved {num} families to schools and sports halls.",
            "Several roads into {city} remain closed and trains are running with long delays.",
            "Forecasters expect the rain to ease by the weekend but warned of more storms.",
            "Local {group} said the water had reached the first floor of some buildings.",
        ),
    },
    {
        "headline": "{city} council approves new tram line after {days} months of debate",
        "group": ("commuters", "residents", "business owners", "students"),
        "facts": (
            "The line will run {num} kilometres from the central station to the airport.",
            "Construction is due to start next spring and cost about {num}0 million euros.",
            "Supporters say the tram will take {num},{num3:03d} cars off the roads each day.",
            "Critics argued that buses would serve the same {group} at a fraction of the cost.",
            "The council vote passed by {pct} votes after a long evening session.",
        ),
    },
    {
        "headline": "Central bank in {city} holds interest rates at {pct} percent",
        "group": ("savers", "home buyers", "exporters", "investors"),
        "facts": (
            "Inflation slowed to {pct2} percent last month, the lowest level in {days} months.",
            "The bank said it would keep rates unchanged until prices settled further.",
            "Mortgage lenders expect {group} to wait for cheaper loans before buying.",
            "The currency rose slightly against the euro after the announcement.",
            "Economists had expected the decision, according to a survey of {num} analysts.",
        ),
    },
    {
        "headline": "New hospital wing opens in {city} with {num} extra beds",
        "group": ("patients", "doctors", "nurses", "families"),
        "facts": (
            "The wing took {days} months to build and cost {num} million euros.",
            "It includes a children's ward, {pct} operating theatres and a new maternity unit.",
            "Waiting times for routine surgery should fall by a third, officials said.",
            "Hospital managers are still recruiting about {num}0 staff for the new wards.",
            "Local {group} had campaigned for the extension for more than a decade.",
        ),
    },
)  # fmt: skip
_QUOTES = (
    "\u201cThis is a fair result for everyone involved,\u201d {person} told reporters.",
    "\u201cWe listened to {group} and we acted,\u201d said {person}, the {role}.",
    "{person}, the {role}, said the next weeks would show whether the plan works.",
    "\u201cNobody wanted it to come to this,\u201d {person} said on Tuesday.",
    "The {role}, {person}, promised a full report before the end of the year.",
)
_CLOSERS = (
    "Opposition parties called for an inquiry into how the situation was handled.",
    "The regional chamber of commerce said it would publish its own estimate next month.",
    "Further talks are planned for {weekday}, when both sides will review progress.",
    "Residents of {city} were advised to check official channels for updates.",
    "The government said it would set aside extra funds if the costs keep rising.",
)
_BACKGROUND = (
    "{city} has a population of about {num}0,000 and is the largest town in its region.",
    "A similar dispute {days} years ago was settled only after a court ruling.",
    "Figures from the statistics office show that costs in {city} rose faster than wages.",
    "The issue has dominated local politics since the spring.",
    "Neighbouring towns are watching the outcome closely, officials said.",
    "Local newspapers reported long queues outside public offices on {weekday}.",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def article(index: int, seed: int = 2026) -> tuple[str, str]:
    """The (file name, text) of article number `index`."""
    rng = random.Random(f"{seed}:{index}")
    topic = _TOPICS[index % len(_TOPICS)]
    values = {
        "city": rng.choice(_CITIES),
        "group": rng.choice(topic["group"]),
        "days": rng.randint(3, 19),
        "pct": rng.randint(2, 9),
        "pct2": rng.randint(1, 5),
        "num": rng.randint(12, 95),
        "num3": rng.randint(0, 999),
        "weekday": rng.choice(_WEEKDAYS),
    }

    def fill(template: str) -> str:
        return template.format(person=rng.choice(_PEOPLE), role=rng.choice(_ROLES), **values)

    headline = fill(topic["headline"])
    headline = headline[0].upper() + headline[1:]
    facts = list(topic["facts"])
    rng.shuffle(facts)
    quotes = rng.sample(_QUOTES, 2)
    closers = rng.sample(_CLOSERS, rng.randint(1, 2))
    sentences = [fill(s) for s in facts[:2]]
    paragraphs = [f"{values['city'].upper()} \u2014 " + " ".join(sentences)]
    rest = [fill(s) for s in facts[2:]] + [fill(q) for q in quotes]
    rest += [fill(c) for c in closers]
    rng.shuffle(rest)
    rest += [fill(s) for s in rng.sample(_BACKGROUND, rng.randint(1, 3))]
    while rest:
        take = rng.randint(2, 3)
        paragraphs.append(" ".join(rest[:take]))
        rest = rest[take:]
    name = f"wire-{index + 1:03d}.txt"
    return name, headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_articles(folder: Path, count: int = 50, seed: int = 2026) -> list[Path]:
    """Write `count` articles into `folder` and return their paths, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        name, text = article(index, seed)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    for path in write_articles(args.out_dir, args.count, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
