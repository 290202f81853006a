"""The table of primitives: one row per elementary operation (table.py for scalar
operations and the structured ones, arrays.py for array operations, custom.py for
functions whose derivatives the user gives).

Every other part of symdiff reads the table through the names exported here.
"""

from .table import CONSTANTS, LIBRARY, MODULES, PRIMS, ROWS, Prim, resolve_attribute, result_kind

__all__ = ["CONSTANTS", "LIBRARY", "MODULES", "PRIMS", "ROWS", "Prim", "resolve_attribute", "result_kind"]
