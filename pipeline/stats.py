"""Corpus statistics: what ``zhpolicy corpus stats`` prints and the dataset card reports."""

from __future__ import annotations

from collections import Counter

FUNCTIONS = ("achievement", "shortcoming", "plan", "other")
ENTITY_LABELS = ("PLAN", "CAMPAIGN", "INSTITUTION", "LAW")


def corpus_stats(records_by_split: dict[str, list[dict]], min_goal_units: int = 5) -> dict:
    """Counts per split and overall; goals below ``min_goal_units`` units are listed as under-covered."""
    from .taxonomy import load_taxonomy

    goal_ids = [g.id for g in load_taxonomy().leaves]
    splits = {name: _counts(records) for name, records in records_by_split.items()}
    overall = _counts([r for records in records_by_split.values() for r in records])
    overall["goals_below_minimum"] = [g for g in goal_ids if overall["goals"].get(g, 0) < min_goal_units]
    return {"splits": splits, "overall": overall}


def _counts(records: list[dict]) -> dict:
    units = [u for r in records for u in r["units"]]
    entities = [e for r in records for e in r["entities"]]
    goals = Counter(g for u in units for g in u.get("goals", []))
    return {
        "documents": len(records),
        "characters": sum(len(r["text"]) for r in records),
        "units": len(units),
        "entities": len(entities),
        "indicators": sum(len(r.get("indicators", [])) for r in records),
        "functions": {f: sum(u["function"] == f for u in units) for f in FUNCTIONS},
        "entity_labels": {label: sum(e["label"] == label for e in entities) for label in ENTITY_LABELS},
        "kinds": dict(Counter(u["kind"] for u in units).most_common()),
        "units_with_goals": sum(bool(u.get("goals")) for u in units),
        "goals": dict(sorted(goals.items())),
    }


def print_stats(stats: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    names = list(stats["splits"]) + ["overall"]
    columns = {**stats["splits"], "overall": stats["overall"]}
    table = Table(title="Corpus")
    table.add_column("")
    for name in names:
        table.add_column(name, justify="right")
    rows = [("documents", "documents"), ("characters", "characters"), ("units", "units"),
            ("units with goals", "units_with_goals"), ("entities", "entities"), ("indicators", "indicators")]
    for label, key in rows:
        table.add_row(label, *[str(columns[n][key]) for n in names])
    for function in FUNCTIONS:
        table.add_row(f"  {function}", *[str(columns[n]["functions"][function]) for n in names])
    for label in ENTITY_LABELS:
        table.add_row(f"  {label}", *[str(columns[n]["entity_labels"][label]) for n in names])
    console.print(table)
    goals = Table(title="Units per goal (all splits)")
    goals.add_column("goal")
    goals.add_column("units", justify="right")
    for goal, n in stats["overall"]["goals"].items():
        goals.add_row(goal, str(n))
    console.print(goals)
    below = stats["overall"]["goals_below_minimum"]
    console.print("every goal has at least 5 units" if not below else f"goals with fewer than 5 units: {', '.join(below)}")
