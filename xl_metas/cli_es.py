"""Spanish for the command line's own texts (help, usage, errors).

Typer's bundled click ships no translation catalog, so the few texts a user meets are
replaced here, in one place, when the CLI is imported: the help's titles and usage line,
and every error message (an unknown command or option, an option without its value, an
argument too many…), translated where click formats it. A message not in the table is
left as it is; ``tests/test_entrada.py`` runs the ones a user meets.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

from typer import _click, core
from typer._click import exceptions, formatting
from typer.exceptions import TyperException

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


def _citas(texto: str) -> str:
    """'validar', 'vencidos' -> «validar», «vencidos»."""
    return re.sub(r"'([^']*)'", r"«\1»", texto)


def _sobrantes(m: re.Match[str]) -> str:
    args = m.group(1).split()
    if len(args) == 1:
        return f"Sobra el argumento «{args[0]}»: el comando no lo espera."
    lista = ", ".join(f"«{a}»" for a in args)
    return f"Sobran los argumentos {lista}: el comando no los espera."


_MENSAJES: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(patron, re.S), reemplazo)
    for patron, reemplazo in (
        (
            r"No such command '(.*?)'\.?(?:\s*Did you mean (.+?)\?)?",
            lambda m: (
                f"No existe el comando «{m.group(1)}»."
                + (f" ¿Quiso decir {_citas(m.group(2))}?" if m.group(2) else "")
            ),
        ),
        (r"Missing command\.?", lambda m: "Falta el comando."),
        (
            r"Option '(.*?)' requires an argument\.",
            lambda m: f"La opción «{m.group(1)}» necesita un valor.",
        ),
        (
            r"Option '(.*?)' requires (\d+) arguments\.",
            lambda m: f"La opción «{m.group(1)}» necesita {m.group(2)} valores.",
        ),
        (
            r"Option '(.*?)' does not take a value\.",
            lambda m: f"La opción «{m.group(1)}» no lleva valor.",
        ),
        (
            r"Argument '(.*?)' takes (\d+) values\.",
            lambda m: f"El argumento «{m.group(1)}» lleva {m.group(2)} valores.",
        ),
        (r"Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)", _sobrantes),
        (
            r"(No existe la opción: .*?) \(Possible options: (.*)\)",
            lambda m: f"{m.group(1)} (¿quiso decir {m.group(2)}?)",
        ),
        (
            r"Invalid value for (.*?): (.*)",
            lambda m: f"Valor inválido para {_citas(m.group(1))}: {traducir(m.group(2))}",
        ),
        (r"Invalid value: (.*)", lambda m: f"Valor inválido: {traducir(m.group(1))}"),
        (r"Value '(.*?)' is not a valid (\w+)\.", lambda m: f"«{m.group(1)}» no es válido."),
        (
            r"'(.*?)' is not one of (.*)\.",
            lambda m: f"«{m.group(1)}» no es ninguna de estas opciones: {_citas(m.group(2))}.",
        ),
    )
)


def traducir(texto: str) -> str:
    """Click's English error message in Spanish (unchanged when not in the table)."""
    for patron, reemplazo in _MENSAJES:
        m = patron.fullmatch(texto.strip())
        if m:
            return str(reemplazo(m))
    return texto


def _en_espanol(clase: type) -> None:
    formato = clase.__dict__["format_message"]

    def format_message(self: Any) -> str:
        return traducir(formato(self))

    clase.format_message = format_message  # type: ignore[attr-defined]


def _titulos(rich_utils: ModuleType) -> None:
    for name, text in _TITLES.items():
        setattr(rich_utils, name, text)


class _AlCargarRichUtils(importlib.abc.MetaPathFinder):
    """Puts the Spanish titles into ``typer.rich_utils`` when Typer first imports it, to
    show help or an error: importing it with the CLI (rich.markdown, markdown_it) cost
    every command 50 ms, a button press included."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)  # once; and the search below must not find us again
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        ejecutar = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            ejecutar(module)
            _titulos(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    if "typer.rich_utils" in sys.modules:
        _titulos(sys.modules["typer.rich_utils"])
    elif not any(isinstance(f, _AlCargarRichUtils) for f in sys.meta_path):
        sys.meta_path.insert(0, _AlCargarRichUtils())

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

    # Every error class that formats its own message says it in Spanish.
    clases: list[type] = [TyperException]
    while clases:
        clase = clases.pop()
        clases += clase.__subclasses__()
        if "format_message" in clase.__dict__:
            _en_espanol(clase)
