"""Demostración: el plan 2011 del Instituto, de punta a punta, en una carpeta de salida.

Crea el libro con macros a partir del documento original, le pone un avance de muestra
(claramente marcado como ficticio) y ejecuta los comandos que hay detrás de los botones,
mostrando cada uno como lo escribiría una persona en la terminal.

Uso: python scripts/demo.py --salida salida
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
DOCUMENTO = RAIZ / "templates" / "programa-metas-2011.txt"
XL_METAS = Path(sys.executable).with_name("xl-metas")


def paso(titulo: str) -> None:
    print(f"\n\033[1m== {titulo} ==\033[0m", flush=True)


def xl_metas(*args: object, errores_esperados: bool = False) -> int:
    """Run the real command line, as a user would."""
    texto = " ".join(str(a) if " " not in str(a) else f'"{a}"' for a in args)
    print(f"$ xl-metas {texto}", flush=True)
    code = subprocess.run([str(XL_METAS), *map(str, args)], check=False).returncode
    if code != 0 and not (errores_esperados and code == 1):
        raise SystemExit(f"«xl-metas {texto}» terminó con código {code}.")
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--salida", type=Path, default=RAIZ / "salida")
    args = parser.parse_args()
    salida: Path = args.salida
    if salida.exists():
        shutil.rmtree(salida)
    salida.mkdir(parents=True)
    libro = salida / "Metas2011.xlsm"

    paso("1. Importar el documento original del Instituto al libro con macros")
    xl_metas("importar", DOCUMENTO, "-o", libro)

    paso("2. Avance de muestra (ficticio, marcado como tal en la hoja Avance)")
    from xl_metas import archivos, muestra
    from xl_metas.lectura import leer

    archivo = archivos.abrir(libro)
    plan = leer(archivo).plan
    corte = muestra.aplicar_muestra(archivo, plan)
    archivo.guardar(respaldo=False)
    print(f"Avance de muestra con fecha de corte {corte:%d/%m/%Y} en «{libro.name}».")

    paso("3. Recalcular (botón «Recalcular»)")
    xl_metas("recalcular", libro)

    paso("4. Validar (botón «Validar»): el plan 2011 trae dos errores reales")
    xl_metas("validar", libro, errores_esperados=True)

    paso("5. Marcar vencidos (botón «Marcar vencidos»)")
    xl_metas("vencidos", libro)

    paso("6. Generar hojas por área (botón «Generar hojas por área»)")
    xl_metas("generar-hojas", libro)

    paso("7. Resumen de totales")
    xl_metas("resumen", libro)

    paso("8. Ejecutar todo otra vez no cambia nada")
    antes = libro.read_bytes()
    xl_metas("recalcular", libro)
    xl_metas("vencidos", libro)
    xl_metas("generar-hojas", libro)
    print("Sin cambios." if libro.read_bytes() == antes else "¡El libro cambió!")

    paso("9. Año nuevo: el libro 2012 a partir del de 2011 (que no cambia)")
    xl_metas("nuevo-anio", libro)

    imagenes = salida / "imagenes"
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        paso("10. Imágenes de las hojas (LibreOffice)")
        from tests.support.lo import render_png

        paginas = render_png(libro, imagenes)
        print(f"{len(paginas)} páginas en «{imagenes}».")
    else:
        print("\n(Sin LibreOffice: no se dibujan las hojas en PNG.)")
    print(f"\nListo. Abra «{libro}» en Excel para ver el resultado.")


if __name__ == "__main__":
    sys.path.insert(0, str(RAIZ))
    main()
