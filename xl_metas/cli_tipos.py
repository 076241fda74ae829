"""The command line's options converted without pydantic.

Typer (0.29) converts every option and argument through a pydantic ``TypeAdapter``, and
importing pydantic costs about 0.1 s of every command — as much as validating the demo
workbook. Our options are few kinds (a path, a text, a whole number, a flag, a list of
paths, each maybe absent): those are converted here, as pydantic would convert them; any other
kind, and any value this does not take for sure (an empty text, a number written
otherwise), goes through Typer's own conversion, so its checks and error messages stay
exactly Typer's.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from typer import core

try:  # Typer's conversion internals (0.29): with another Typer, its own conversion stays
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
except ImportError:  # pragma: no cover - depends on the installed Typer
    RuntimeParam = None  # type: ignore[assignment,misc]

_ENTERO = re.compile(r"[0-9]{1,9}")
# ParameterInfo settings that ask Typer for a check of its own (bounds, paths that must
# exist, a parser): such a parameter keeps Typer's conversion.
_AJUSTES = ("parser", "click_type", "min", "max", "path_type")
_AJUSTES_VERDADEROS = ("exists", "resolve_path", "clamp", "writable", "allow_dash")


def _tipo(annotation: Any) -> tuple[type, bool] | None:
    """(the type, whether it is a list) for ``X`` (Path, str, int, bool), ``X | None`` and
    ``list[X]`` (Path, str, int); None for anything else."""
    if annotation in (Path, str, int, bool):
        return annotation, False
    origen = get_origin(annotation)
    args = get_args(annotation)
    if origen in (Union, types.UnionType):
        resto = [a for a in args if a is not type(None)]
        if len(resto) == 1 and resto[0] in (Path, str, int):
            return resto[0], False
    if origen is list and args and args[0] in (Path, str):
        return args[0], True
    return None


def _uno(tipo: type, value: Any) -> Any:
    """The value converted, or ``_NO`` when Typer's conversion must decide."""
    if tipo is bool:
        return value if isinstance(value, bool) else _NO
    if not isinstance(value, str):
        return value if isinstance(value, tipo) and not isinstance(value, bool) else _NO
    if tipo is str:
        return value
    if tipo is Path:
        return Path(value) if value else _NO
    return int(value) if _ENTERO.fullmatch(value) else _NO


_NO = object()


@dataclass(frozen=True)
class _Directo(RuntimeParam or object):  # type: ignore[misc]
    descriptor: TypeDescriptor | None = None
    tipo: type = str
    lista: bool = False

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.lista and isinstance(value, list | tuple):
            hechos = [_uno(self.tipo, v) for v in value]
            if all(h is not _NO for h in hechos):
                return hechos
        elif not self.lista:
            hecho = _uno(self.tipo, value)
            if hecho is not _NO:
                return hecho
        assert self.descriptor is not None
        typer_param = build_runtime_param(self.descriptor)
        return typer_param._coerce_value(value, param=param, ctx=ctx)


def install() -> None:
    """Use the direct conversion for the kinds above (once per parameter, when parsed).
    Nothing with a Typer whose internals are not the ones this was written for."""
    original = getattr(getattr(core, "_TyperParameter", None), "get_runtime_param", None)
    if RuntimeParam is None or original is None:
        return

    def get_runtime_param(self: Any) -> RuntimeParam:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            conocido = _tipo(descriptor.annotation)
            info = descriptor.parameter_info
            propio = (
                any(getattr(info, a, None) is not None for a in _AJUSTES)
                or any(getattr(info, a, False) for a in _AJUSTES_VERDADEROS)
                or not (getattr(info, "file_okay", True) and getattr(info, "dir_okay", True))
            )
            if conocido is None or descriptor.file_annotation is not None or propio:
                return original(self)
            self._runtime_param = _Directo(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
                tipo=conocido[0],
                lista=conocido[1],
            )
        return self._runtime_param  # type: ignore[no-any-return]

    core._TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
