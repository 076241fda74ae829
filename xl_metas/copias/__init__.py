"""E-mailed copies: one workbook per programa goes out, the returned copies come back into
the master's Avance without overwriting anything silently.

Export starts from a byte copy of the master (VBA, buttons, instructions and configuration
come along untouched) and removes what is not the programa's. Each copy carries a stamp
in its custom document properties (``docProps/custom.xml``): Excel and LibreOffice keep
them on every save, also when the copy is saved as .xlsx, and users do not see or edit
them by accident as they could a hidden sheet. The master keeps its own identifier in a
small hidden sheet, because the master is read through the ``Libro`` port (a file or a
live Excel book) and that port sees sheets only.

The file side (copying, the stamp, reading a returned copy) is ``copias_archivo``; this
module decides. Consolidation gets each returned copy already read and merges realizado
and justificación into the master's Avance: an empty master cell takes the copy's value,
equal values change nothing, two different values are a conflict (master kept unless
``preferir_copia``). Plan changes are proposals only. Every outcome is logged in the
``Consolidación`` sheet, a log that only grows with new entries, so consolidating the same
copy twice changes nothing the second time.
"""

from __future__ import annotations

from .envio import CopiaPlaneada, Envio, Exportacion, LibroRecortable, planear_envio, recortar_copia
from .fusion import consolidacion, fusionar, iguales
from .informe import Aviso, Celda, CopiaLeida, Informe, Propuesta, ResultadoCopia
from .maestro import (
    anio_del_libro,
    asegurar_id,
    asegurar_registro,
    carpeta_copias,
    carpeta_envio,
    copias_en_carpeta,
    id_del_libro,
)
from .registro import ENCABEZADOS_LOG, entradas, escrituras_registro, hoja_consolidacion
from .sello import (
    EXTENSIONES_COPIA,
    HOJA_CONSOLIDACION,
    HOJA_IDENTIDAD,
    PROP_ANIO,
    PROP_LIBRO,
    PROP_PROGRAMA,
    SUBCARPETA_ENVIO,
    Sello,
    huella_plan,
    metas_de,
    nombre_copia,
)

__all__ = [
    "ENCABEZADOS_LOG",
    "EXTENSIONES_COPIA",
    "HOJA_CONSOLIDACION",
    "HOJA_IDENTIDAD",
    "PROP_ANIO",
    "PROP_LIBRO",
    "PROP_PROGRAMA",
    "SUBCARPETA_ENVIO",
    "Aviso",
    "Celda",
    "CopiaLeida",
    "CopiaPlaneada",
    "Envio",
    "Exportacion",
    "Informe",
    "LibroRecortable",
    "Propuesta",
    "ResultadoCopia",
    "Sello",
    "anio_del_libro",
    "asegurar_id",
    "asegurar_registro",
    "carpeta_copias",
    "carpeta_envio",
    "consolidacion",
    "copias_en_carpeta",
    "entradas",
    "escrituras_registro",
    "fusionar",
    "hoja_consolidacion",
    "huella_plan",
    "id_del_libro",
    "iguales",
    "metas_de",
    "nombre_copia",
    "planear_envio",
    "recortar_copia",
]
