Attribute VB_Name = "PruebaRunPython"
' Test-only stand-in for xlwings' RunPython (LibreOffice cannot compile xlwings.bas):
' it writes the command it receives into Inicio!Z1, so a test can read what a button calls.
Option Explicit

Public Sub RunPython(ByVal comando As String)
    ThisWorkbook.Worksheets("Inicio").Range("Z1").Value = comando
End Sub
