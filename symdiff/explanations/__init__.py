"""The derivation written out: the Explanation of a function's derivative at a point
(explanation.py) and its text, Markdown and DOT forms (render.py)."""
