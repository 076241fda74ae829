Attribute VB_Name = "Metas"
' Buttons of the entry sheet (Inicio): one Sub per button, each a single RunPython call.
' The Python side lives in xl_metas.botones; xlwings.bas (standalone mode) provides RunPython.
' CombinarRangos and AltosDeFila are not buttons: Python calls them (book.macro, i.e.
' Application.Run) so that many small range operations cost one cross-process call.
' AplicarLote goes further: a whole press's writes (new and deleted sheets, values, styles,
' widths, heights, merges, freeze panes, charts, page set-up) as one call, so a press costs
' the same few calls whatever the number of metas or programas.
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

' Applies a batch of writes described by Python (xl_metas.workbook_xlwings.Lote): orden has
' one operation per line (vbLf), its fields separated by vbTab, the sheet name second. The
' values were written first into sheet hoja (the staging area given by the "K" line), text
' with one extra leading apostrophe, so copying .Value keeps text as text and a "=" text
' becomes a formula only where Python wrote one (links). The staging area is cleared, alerts
' and the active sheet restored at the end, even on error; the error then goes to the caller.
Public Sub AplicarLote(ByVal hoja As String, ByVal orden As String)
    Dim lineas() As String, f() As String, i As Long, alertas As Boolean
    Dim activa As Object, lote As Object, ws As Object, limpiar As String
    Set activa = ActiveSheet
    Set lote = ThisWorkbook.Worksheets(hoja)
    alertas = Application.DisplayAlerts
    Application.DisplayAlerts = False
    On Error GoTo Fallo
    lineas = Split(orden, vbLf)
    For i = LBound(lineas) To UBound(lineas)
        If Len(lineas(i)) > 0 Then
            f = Split(lineas(i), vbTab)
            If f(0) = "K" Then
                limpiar = f(1)
            ElseIf f(0) = "N" Then
                If Len(f(2)) > 0 Then
                    Set ws = ThisWorkbook.Worksheets.Add(After:=ThisWorkbook.Sheets(f(2)))
                Else
                    Set ws = ThisWorkbook.Worksheets.Add(Before:=ThisWorkbook.Sheets(f(3)))
                End If
                ws.Name = f(1)
            ElseIf f(0) = "Q" Then
                ThisWorkbook.Sheets(f(1)).Delete
            Else
                Set ws = ThisWorkbook.Sheets(f(1))
                AplicarOperacion ws, lote, f
            End If
        End If
    Next i
    TerminarLote lote, limpiar, activa, alertas
    Exit Sub
Fallo:
    Dim numero As Long, descripcion As String
    numero = Err.Number
    descripcion = Err.Description
    TerminarLote lote, limpiar, activa, alertas
    Err.Raise numero, "AplicarLote", descripcion
End Sub

Private Sub TerminarLote(ByVal lote As Object, ByVal limpiar As String, ByVal activa As Object, _
                         ByVal alertas As Boolean)
    On Error Resume Next  ' clean-up: an error here must not hide the one being reported
    If Len(limpiar) > 0 Then lote.Range(limpiar).Clear
    activa.Activate
    Application.DisplayAlerts = alertas
End Sub

' One operation of AplicarLote on sheet ws: f(0) says which, f(2)... are its arguments.
Private Sub AplicarOperacion(ByVal ws As Object, ByVal lote As Object, f() As String)
    Dim partes() As String, k As Long, igual As Long, r As Object, grafica As Object
    Select Case f(0)
    Case "V"  ' values: destination top-left cell, staging range
        Set r = lote.Range(f(3))
        ws.Range(f(2)).Resize(r.Rows.Count, r.Columns.Count).Value = r.Value
    Case "W"  ' column widths: "A:A=46;G:R=5.5"
        partes = Split(f(2), ";")
        For k = LBound(partes) To UBound(partes)
            igual = InStr(partes(k), "=")
            ws.Range(Left(partes(k), igual - 1)).ColumnWidth = Val(Mid(partes(k), igual + 1))
        Next k
    Case "F"  ' one style facet: facet, value, ranges ";"-separated
        partes = Split(f(4), ";")
        For k = LBound(partes) To UBound(partes)
            PonerFaceta ws.Range(partes(k)), f(2), f(3)
        Next k
    Case "C"  ' no fill on ranges ";"-separated
        partes = Split(f(2), ";")
        For k = LBound(partes) To UBound(partes)
            ws.Range(partes(k)).Interior.ColorIndex = -4142
        Next k
    Case "A"  ' row autofit: "7:26"
        ws.Range(f(2)).Rows.AutoFit
    Case "H"
        AltosDeFila ws.Name, f(2)
    Case "M"
        CombinarRangos ws.Name, f(2)
    Case "Z"  ' freeze panes with f(2) as the first scrolling cell
        ws.Activate
        ActiveWindow.FreezePanes = False
        ActiveWindow.ScrollRow = 1
        ActiveWindow.ScrollColumn = 1
        ws.Range(f(2)).Select
        ActiveWindow.FreezePanes = True
    Case "O"
        ws.Visible = 0  ' xlSheetHidden
    Case "P"
        ws.Protect Password:=f(2)
    Case "U"
        ws.Unprotect f(2)
    Case "G"  ' chart: type, source, 1 rows / 2 columns, categories, anchor, width, height,
              ' title, value axis title
        Set r = ws.Range(f(6))
        Set grafica = ws.ChartObjects.Add(r.Left, r.Top, Val(f(7)), Val(f(8))).Chart
        grafica.ChartType = CLng(f(2))
        grafica.SetSourceData ws.Range(f(3)), CLng(f(4))
        For k = 1 To grafica.SeriesCollection.Count
            grafica.SeriesCollection(k).XValues = ws.Range(f(5))
        Next k
        grafica.HasTitle = True
        grafica.ChartTitle.Text = f(9)
        If Len(f(10)) > 0 Then
            grafica.Axes(2).HasTitle = True
            grafica.Axes(2).AxisTitle.Text = f(10)
        End If
    Case "I"  ' page set-up: orientation, letter paper, one page wide, title rows, breaks
        With ws.PageSetup
            .Orientation = CLng(f(2))
            If f(3) = "1" Then .PaperSize = 1
            If f(4) = "1" Then
                .Zoom = False
                .FitToPagesWide = 1
                .FitToPagesTall = False
            End If
            If Len(f(5)) > 0 Then .PrintTitleRows = f(5)
        End With
        If Len(f(6)) > 0 Then
            partes = Split(f(6), ";")
            For k = LBound(partes) To UBound(partes)
                ws.HPageBreaks.Add Before:=ws.Range("A" & partes(k))
            Next k
        End If
    Case Else
        Err.Raise 5, "AplicarLote", "Unknown operation " & f(0)
    End Select
End Sub

Private Sub PonerFaceta(ByVal r As Object, ByVal faceta As String, ByVal valor As String)
    Select Case faceta
    Case "negrita": r.Font.Bold = True
    Case "color_fuente": r.Font.Color = ColorRGB(valor)
    Case "tamano": r.Font.Size = Val(valor)
    Case "relleno": r.Interior.Color = ColorRGB(valor)
    Case "formato": r.NumberFormat = valor
    Case "ajustar": r.WrapText = True
    Case "horizontal": r.HorizontalAlignment = CLng(valor)
    Case "vertical": r.VerticalAlignment = CLng(valor)
    Case "borde"
        r.Borders.LineStyle = 1  ' xlContinuous
        r.Borders.Weight = 2  ' xlThin
        r.Borders.Color = RGB(128, 128, 128)
    End Select
End Sub

' "RRGGBB" -> the Long Excel takes (BGR).
Private Function ColorRGB(ByVal codigo As String) As Long
    ColorRGB = RGB(CLng("&H" & Mid(codigo, 1, 2)), CLng("&H" & Mid(codigo, 3, 2)), _
                   CLng("&H" & Mid(codigo, 5, 2)))
End Function
