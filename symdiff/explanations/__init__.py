"""The derivation written out: `explain` (explanation.py) derives an Explanation
(document.py); text.py, markdown.py and dot.py render it."""
