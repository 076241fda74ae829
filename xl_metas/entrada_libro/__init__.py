"""Plans from other institutions' planning workbooks: whatever their layout.

The plan's sheet is found by its header labels (or named); its header band may span up
to four rows with merged cells; every column is recognised through one synonym table
(``sinonimos``); what cannot be recognised is said with the headers found, and a mapping
file (``mapeo``) says it once per layout. Pure: the file is read by
``xl_metas.libro_ajeno_archivo``.
"""

from __future__ import annotations

from .hoja import Combinada, Hoja
from .mapeo import Mapeo, leer_mapeo
from .plan import LeerHoja, PlanImportado, plan_de_hojas

__all__ = [
    "Combinada",
    "Hoja",
    "LeerHoja",
    "Mapeo",
    "PlanImportado",
    "leer_mapeo",
    "plan_de_hojas",
]
