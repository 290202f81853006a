"""A parser for the part of Graphviz's DOT language `symdiff explain --format dot` writes,
strict where DOT is: it checks the output is valid DOT without needing Graphviz.

    graph     := 'digraph' ID '{' stmt* '}'
    stmt      := (attr_stmt | edge_stmt | node_stmt | ID '=' ID) ';'
    attr_stmt := ('graph' | 'node' | 'edge') attr_list
    edge_stmt := ID ('->' ID)+ attr_list?
    node_stmt := ID attr_list?
    attr_list := '[' (ID '=' ID (',' | ';')?)* ']'

An ID is a name ([A-Za-z_][A-Za-z_0-9]*), a number, or a double-quoted string in which
only \\" escapes a quote (Graphviz's own rule); a raw newline inside a string is refused
here, since symdiff writes \\n.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'\s*(?:(?P<arrow>->)|(?P<punct>[{}\[\]=;,])|(?P<name>[A-Za-z_][A-Za-z_0-9]*)'
                    r'|(?P<number>-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))|(?P<string>"(?:[^"\\\n]|\\.)*"))')


class DotSyntaxError(ValueError):
    pass


def tokens(text: str) -> list[tuple[str, str]]:
    out, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise DotSyntaxError(f"unexpected text at {position}: {text[position:position + 30]!r}")
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


def unquote(token: tuple[str, str]) -> str:
    kind, text = token
    return text[1:-1].replace('\\"', '"') if kind == "string" else text


def parse(text: str) -> dict:
    """{'name', 'nodes': {id: attrs}, 'edges': [(tail, head, attrs)], 'defaults': {...}}."""
    toks = tokens(text)
    at = 0

    def peek(offset=0):
        return toks[at + offset] if at + offset < len(toks) else ("end", "")

    def take(kind=None, value=None):
        nonlocal at
        token = peek()
        if (kind and token[0] != kind) or (value and token[1] != value):
            raise DotSyntaxError(f"expected {value or kind}, found {token[1]!r} (token {at})")
        at += 1
        return token

    def is_id(token):
        return token[0] in ("name", "number", "string")

    def ident():
        token = peek()
        if not is_id(token):
            raise DotSyntaxError(f"expected an ID, found {token[1]!r} (token {at})")
        take()
        return unquote(token)

    def attr_list():
        attrs = {}
        take("punct", "[")
        while peek() != ("punct", "]"):
            key = ident()
            take("punct", "=")
            attrs[key] = ident()
            if peek() in (("punct", ","), ("punct", ";")):
                take()
        take("punct", "]")
        return attrs

    graph = {"nodes": {}, "edges": [], "defaults": {}}
    take("name", "digraph")
    graph["name"] = ident()
    take("punct", "{")
    while peek() != ("punct", "}"):
        if peek()[0] == "name" and peek()[1] in ("graph", "node", "edge") and peek(1) == ("punct", "["):
            keyword = take()[1]
            graph["defaults"][keyword] = attr_list()
        elif is_id(peek()) and peek(1) == ("punct", "="):
            key = ident()
            take("punct", "=")
            graph["defaults"][key] = ident()
        else:
            chain = [ident()]
            while peek() == ("arrow", "->"):
                take()
                chain.append(ident())
            attrs = attr_list() if peek() == ("punct", "[") else {}
            if len(chain) == 1:
                graph["nodes"][chain[0]] = attrs
            else:
                graph["edges"].extend((a, b, attrs) for a, b in zip(chain, chain[1:]))
        take("punct", ";")
    take("punct", "}")
    if at != len(toks):
        raise DotSyntaxError(f"text after the graph: {toks[at][1]!r}")
    return graph
