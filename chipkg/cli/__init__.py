"""The ``chipkg`` command line: one Typer app, commands registered from small modules.

Every user-facing failure is a :class:`chipkg.errors.ChipkgError`; :func:`main`
prints it as one line and exits non-zero, with the traceback only under ``--debug``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.text import Text

from chipkg.cli import ask_cmd, check_cmd, core, export_cmd, extract_cmd, viz_cmd
from chipkg.cli.common import err_console
from chipkg.cli.synth_cmd import synth
from chipkg.errors import ChipkgError, input_failure

app = typer.Typer(
    name="chipkg",
    help="Semiconductor supply-chain knowledge graph: load, query and export with provenance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
STATE = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    STATE["debug"] = debug


app.command()(core.demo)
app.command()(core.stats)
app.command()(core.load)
app.command()(synth)
app.command(name="viz")(viz_cmd.viz)
app.command(name="export")(export_cmd.export)
app.command(name="validate")(export_cmd.validate)
app.command(name="import")(export_cmd.import_rdf)
app.command(name="ask")(ask_cmd.ask)
app.command(name="extract")(extract_cmd.extract)
app.command(name="check-data")(check_cmd.check_data)


def _register_optional() -> None:
    """Sub-apps that live in their own modules (one module per idea)."""
    import importlib

    for module, name, help_text in SUBAPPS:
        try:
            sub = importlib.import_module(f"chipkg.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"chipkg.cli.{module}":
                raise
            continue
        app.add_typer(sub.app, name=name, help=help_text)


SUBAPPS = [
    ("neo4j_cmd", "neo4j", "Run and manage Neo4j for chipkg."),
    ("viz_cmd", "plot", "Draw matplotlib plots (PNG): sanctions-timeline, chokepoints."),
]
_register_optional()


def main() -> None:
    """Console-script entry point: one line per user error, traceback only with --debug."""
    debug = "--debug" in sys.argv[1:]
    try:
        app()
    except ChipkgError as exc:
        if debug:
            raise
        err_console.print(Text.assemble(("error: ", "bold red"), str(exc)), highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        error = input_failure(exc)  # a too-deep input or a full disk is not a bug
        if error is not None:
            err_console.print(Text.assemble(("error: ", "bold red"), str(error)), highlight=False)
            sys.exit(error.exit_code)
        err_console.print(
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)", markup=False
        )
        sys.exit(70)
