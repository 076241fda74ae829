"""Dibuja las hojas de un libro en PNG con LibreOffice (PDF → pdftoppm).

Uso:
    python scripts/render_png.py LIBRO.xlsx --salida DIR [--hojas Plan,Avance] [--ppp 80]

No modifica el libro de entrada: para elegir hojas oculta las demás en una copia temporal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
if str(RAIZ) not in sys.path:
    sys.path.insert(0, str(RAIZ))

from tests.support.lo import LibreOfficeError, render_png  # noqa: E402


def construir_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="render_png.py",
        description=(
            "Convierte un libro de Excel (.xlsx, .xlsm, .ods) en imágenes PNG, una por "
            "página, con LibreOffice y pdftoppm. El libro de entrada no se modifica."
        ),
    )
    p.add_argument("libro", type=Path, help="libro a dibujar (.xlsx, .xlsm, .ods)")
    p.add_argument(
        "--salida",
        type=Path,
        required=True,
        help="carpeta donde se escriben el PDF y las páginas PNG (se crea si no existe)",
    )
    p.add_argument(
        "--hojas",
        default=None,
        help="hojas a dibujar, separadas por comas (p. ej. Plan,Avance); por omisión todas "
        "las visibles. Solo para .xlsx/.xlsm",
    )
    p.add_argument(
        "--ppp", type=int, default=80, help="resolución en puntos por pulgada (por omisión 80)"
    )
    p.add_argument(
        "--tiempo",
        type=float,
        default=180.0,
        help="tiempo máximo en segundos para LibreOffice (por omisión 180)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = construir_parser().parse_args(argv)
    hojas = None
    if args.hojas is not None:
        hojas = [h.strip() for h in args.hojas.split(",") if h.strip()]
        if not hojas:
            print("Error: --hojas no nombra ninguna hoja.", file=sys.stderr)
            return 2
    if not args.libro.is_file():
        print(f"Error: no existe el libro {args.libro}.", file=sys.stderr)
        return 2
    try:
        paginas = render_png(args.libro, args.salida, hojas, dpi=args.ppp, timeout=args.tiempo)
    except (LibreOfficeError, ValueError, OSError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    print(f"{len(paginas)} página(s) de {args.libro.name} en {args.salida}:")
    for p in paginas:
        print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
