"""The table of primitives: one row per elementary operation.

row.py is the row type; scalar.py holds the rows for operations on numbers, arrays.py
those for array operations (contractions.py the products among them, einsum.py the
subscripts of np.einsum), structured.py those for the IR's loops, calls and picks
and for custom rules (custom.py); table.py assembles them and maps each library's
spellings to them. Every other part of symdiff reads the table through the names
exported here.
"""

from .row import LAZY_MODULES, MODULES, Prim, library_module, resolve_attribute
from .table import CONSTANTS, LIBRARY, PRIMS, ROWS, result_kind

__all__ = ["CONSTANTS", "LAZY_MODULES", "LIBRARY", "MODULES", "PRIMS", "ROWS", "Prim", "library_module",
           "resolve_attribute", "result_kind"]
