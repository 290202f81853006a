"""The derivation written out: `explain` (explanation.py) derives an Explanation
(document.py) along the path taken (trace.py), with its partials and passes
(passes.py) and its check (check.py); text.py, markdown.py and dot.py render it."""
