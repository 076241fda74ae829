"""Spanish for the command line's own texts (help, usage, errors).

Typer's bundled click ships no translation catalog, so the few texts a user meets are
replaced here, in one place, when the CLI is imported.
"""

from __future__ import annotations

import re
from typing import Any

from typer import _click, core, rich_utils
from typer._click import exceptions, formatting

_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "Argumentos",
    "OPTIONS_PANEL_TITLE": "Opciones",
    "COMMANDS_PANEL_TITLE": "Comandos",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Cancelado.",
    "RICH_HELP": "Pruebe [blue]'{command_path} {help_option}'[/] para ver la ayuda.",
    "DEFAULT_STRING": "[por omisión: {}]",
    "REQUIRED_LONG_STRING": "[obligatorio]",
    "DEPRECATED_STRING": "(obsoleto) ",
}
_TYPES = {
    "<path>": "<ruta>",
    "<list[Path]>": "<rutas>",
    "<str>": "<texto>",
    "<int>": "<entero>",
    "<float>": "<número>",
    "<bool>": None,  # a flag: its name says it all
}
_KINDS = {"argument": "el argumento", "option": "la opción", "parameter": "el parámetro"}


def install() -> None:
    for name, text in _TITLES.items():
        setattr(rich_utils, name, text)

    get_help_option = _click.core.Command.get_help_option

    def spanish_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = "Muestra esta ayuda y termina."
        return option

    _click.core.Command.get_help_option = spanish_help_option  # type: ignore[method-assign]

    write_usage = formatting.HelpFormatter.write_usage

    def spanish_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[OPCIONES]").replace(
            "COMMAND [ARGS]...", "COMANDO [ARGUMENTOS]..."
        )
        write_usage(self, prog, args, "Uso: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = spanish_usage  # type: ignore[method-assign]

    missing = exceptions.MissingParameter.format_message

    def spanish_missing(self: Any) -> str:
        text = missing(self)
        match = re.match(r"Missing (\w+) (.*?)\.?$", text)
        if not match:
            return text
        return f"Falta {_KINDS.get(match.group(1), match.group(1))} {match.group(2)}."

    exceptions.MissingParameter.format_message = spanish_missing  # type: ignore[method-assign]

    display_type = core._TyperParameter.display_type

    def spanish_type(self: Any, ctx: Any) -> str | None:
        label = display_type(self, ctx)
        return _TYPES.get(label, label)

    core._TyperParameter.display_type = spanish_type  # type: ignore[method-assign,assignment]

    no_such = exceptions.NoSuchOption.__init__

    def spanish_no_such(self: Any, option_name: str, *args: Any, **kwargs: Any) -> None:
        no_such(self, option_name, *args, **kwargs)
        self.message = f"No existe la opción: {option_name}"

    exceptions.NoSuchOption.__init__ = spanish_no_such  # type: ignore[method-assign]
