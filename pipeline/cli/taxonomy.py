"""``zhpolicy taxonomy …``: show and validate goal taxonomies."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import fail

app = typer.Typer(help="Show and validate the rule-of-law goal taxonomy (configs/taxonomy.yaml or your own).",
                  no_args_is_help=True)
FILE_ARGUMENT = typer.Argument(None, help="Taxonomy YAML file (default: configs/taxonomy.yaml).")


@app.command("show")
def show_command(
    path: Path = FILE_ARGUMENT,
    keywords: bool = typer.Option(False, "--keywords", "-k", help="Also list each goal's keywords."),
) -> None:
    """Print the taxonomy as a tree: level-1 goals with their level-2 goals."""
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    from ..taxonomy import TaxonomyError, load_taxonomy

    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as err:
        fail(str(err).splitlines()[0], 1)
    tree = Tree(f"[bold]{escape(taxonomy.name)}[/bold]  ({len(taxonomy.roots)} goals, {len(taxonomy.leaves)} sub-goals)")
    for root in taxonomy.roots:
        branch = tree.add(f"[bold cyan]{root.id}[/] {escape(root.name)}")
        for child in taxonomy.children(root.id):
            label = f"[cyan]{child.id}[/] {escape(child.name)}"
            if keywords and child.keywords:
                label += f"\n[dim]{escape('、'.join(child.keywords))}[/dim]"
            branch.add(label)
    Console().print(tree)


@app.command("validate")
def validate_command(path: Path = FILE_ARGUMENT) -> None:
    """Check a taxonomy file: unique ids, names, existing level-1 parents, keyword lists. Exit 1 on problems."""
    from ..taxonomy import TaxonomyError, load_taxonomy

    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as err:
        for line in str(err).splitlines():
            typer.echo(line, err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {taxonomy.source}: {len(taxonomy.roots)} goals, {len(taxonomy.leaves)} sub-goals")
