"""Names in a workbook's VBA project: the codeName of a sheet we add."""

from __future__ import annotations

import re

from ..text import fold

# MS-VBAL §3.3.5.2: identifiers reserved by the language (statement and marker keywords,
# operators, special forms, reserved names and types, literals, Rem, the names reserved
# for the implementation and for future use). Case-insensitive, like every VBA name.
_KEYWORDS = """
Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt DefLng DefLngLng
DefLngPtr DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase Event Exit For
Friend Function Get Global GoSub GoTo If Implements Input Let Lock Loop LSet Next On Open
Option Print Private Public Put RaiseEvent ReDim Resume Return RSet Seek Select Set Static
Stop Sub Type Unlock Wend While With Write
Any As ByRef ByVal Each In New Shared Until WithEvents Optional ParamArray Preserve Spc Tab
Then To
AddressOf And Eqv Imp Is Like Mod Not Or TypeOf Xor
Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr CSng CStr CVar CVErr Date
Debug DoEvents Fix Int Len LenB Me PSet Scale Sgn String
Array Circle InputB LBound UBound
Boolean Byte Currency Double Integer Long LongLong LongPtr Single Variant
True False Nothing Empty Null
Rem
Attribute LINEINPUT VB_Base VB_Control VB_Creatable VB_Customizable VB_Description
VB_Exposed VB_Ext_KEY VB_GlobalNameSpace VB_HelpID VB_Invoke_Func VB_Invoke_Property
VB_Invoke_PropertyPut VB_Invoke_PropertyPutRef VB_MemberFlags VB_Name VB_PredeclaredId
VB_ProcData VB_TemplateDerived VB_UserMemId VB_VarDescription VB_VarHelpID
VB_VarMemberFlags VB_VarProcData VB_VarUserMemId
CDecl Decimal DefDec
"""
RESERVADAS = frozenset(word.casefold() for word in _KEYWORDS.split())


def code_name(sheet: str, taken: set[str]) -> str:
    """A VBA-valid codeName for a sheet we add (ASCII letters, digits, underscore)."""
    base = re.sub(r"\W", "", fold(sheet).title().replace(" ", ""), flags=re.ASCII)
    base = "Hoja" + base if not base or not base[0].isalpha() else base
    name, counter = base[:28], 2
    while name.casefold() in {t.casefold() for t in taken}:
        name, counter = f"{base[:26]}{counter}", counter + 1
    return name
