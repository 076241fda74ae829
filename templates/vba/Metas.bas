Attribute VB_Name = "Metas"
' Buttons of the entry sheet (Inicio): one Sub per button, each a single RunPython call.
' The Python side lives in xl_metas.botones; xlwings.bas (standalone mode) provides RunPython.
' CombinarRangos and AltosDeFila are not buttons: Python calls them (book.macro, i.e.
' Application.Run) so that many small range operations cost one cross-process call.
' The build announces them with the defined name XlMetasMacros ('xlwings.conf'!D1 lists
' them); a workbook without that name gets the per-range operations instead.
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

Public Sub InformeTrimestral()
    RunPython "import xl_metas.botones as b; b.informe_trimestral()"
End Sub

' Merges each range of rangos, separated by ";" (e.g. "A10:A12;A15:A18"), on sheet hoja of
' this workbook. Alerts stay off while merging (Excel asks before dropping the values of the
' other cells) and are restored afterwards, even on error; the error then goes to the caller.
Public Sub CombinarRangos(ByVal hoja As String, ByVal rangos As String)
    Dim hojaDestino As Object, partes() As String, i As Long, alertas As Boolean
    Set hojaDestino = ThisWorkbook.Worksheets(hoja)
    alertas = Application.DisplayAlerts
    Application.DisplayAlerts = False
    On Error GoTo Fallo
    partes = Split(rangos, ";")
    For i = LBound(partes) To UBound(partes)
        If Len(Trim(partes(i))) > 0 Then hojaDestino.Range(Trim(partes(i))).Merge
    Next i
    Application.DisplayAlerts = alertas
    Exit Sub
Fallo:
    Application.DisplayAlerts = alertas
    Err.Raise Err.Number, "CombinarRangos", Err.Description
End Sub

' Sets row heights on sheet hoja of this workbook: alturas is "filas=alto" pairs separated
' by ";", filas one row or a run "5:7", alto in points with "." as decimal separator
' (Val ignores the user's locale), e.g. "5:7=30;9=45.75".
Public Sub AltosDeFila(ByVal hoja As String, ByVal alturas As String)
    Dim hojaDestino As Object, partes() As String, i As Long, igual As Long, filas As String
    Set hojaDestino = ThisWorkbook.Worksheets(hoja)
    partes = Split(alturas, ";")
    For i = LBound(partes) To UBound(partes)
        igual = InStr(partes(i), "=")
        If igual > 0 Then
            filas = Trim(Left(partes(i), igual - 1))
            If InStr(filas, ":") = 0 Then filas = filas & ":" & filas
            hojaDestino.Rows(filas).RowHeight = Val(Mid(partes(i), igual + 1))
        End If
    Next i
End Sub
