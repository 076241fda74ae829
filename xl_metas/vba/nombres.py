"""Names in a workbook's VBA project: the codeName of a sheet we add.

A sheet's codeName is the name of its document module, so it lives among the project's
module names: Excel repairs a workbook (removing its VBA project) when a codeName collides
with another module, case-insensitively. The codeNames we make start with «Hoja», which no
VBA keyword, VBA function or Excel global (Range, Format, Application…) does, so a sheet
never shadows a name the modules call; they also avoid every name the caller says is taken
(the project's modules, its name and references, the other codeNames).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


PREFIJO = "Hoja"
LARGO_MAXIMO = 31  # a VBA module name
_IDENTIFICADOR = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


def valido(name: str) -> bool:
    """A module name Excel accepts: ASCII letter first, letters, digits or underscores,
    at most 31 characters, not a VBA keyword."""
    return bool(_IDENTIFICADOR.match(name)) and name.casefold() not in RESERVADAS


def libre(base: str, taken: Iterable[str]) -> str:
    """``base`` (a valid identifier), or ``base2``, ``base3``…: the first that is valid and
    not taken, case-insensitively, cut to 31 characters."""
    ocupados = {t.casefold() for t in taken}
    name, counter = base[:LARGO_MAXIMO], 2
    while name.casefold() in ocupados or not valido(name):
        suffix = str(counter)
        name, counter = base[: LARGO_MAXIMO - len(suffix)] + suffix, counter + 1
    return name


def code_name(sheet: str, taken: Iterable[str]) -> str:
    """The codeName of a sheet we add: «Hoja» and the sheet's name in ASCII title case
    («Validación» → HojaValidacion, «_colores_Avance» → Hoja_Colores_Avance), free among
    ``taken``."""
    base = re.sub(r"\W", "", fold(sheet).title().replace(" ", ""), flags=re.ASCII)
    return libre(base if base.startswith(PREFIJO) else PREFIJO + base, taken)
