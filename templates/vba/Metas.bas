Attribute VB_Name = "Metas"
' Buttons of the entry sheet (Inicio): one Sub per button, each a single RunPython call.
' The Python side lives in xl_metas.botones; xlwings.bas (standalone mode) provides RunPython.
Option Explicit

Public Sub Recalcular()
    RunPython "import xl_metas.botones as b; b.recalcular()"
End Sub

Public Sub Validar()
    RunPython "import xl_metas.botones as b; b.validar()"
End Sub

Public Sub MarcarVencidos()
    RunPython "import xl_metas.botones as b; b.marcar_vencidos()"
End Sub

Public Sub GenerarHojas()
    RunPython "import xl_metas.botones as b; b.generar_hojas()"
End Sub

Public Sub ExportarCopias()
    RunPython "import xl_metas.botones as b; b.exportar_copias()"
End Sub

Public Sub ConsolidarCopias()
    RunPython "import xl_metas.botones as b; b.consolidar()"
End Sub
