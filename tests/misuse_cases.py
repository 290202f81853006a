"""Functions for tests/test_misuse.py: each is fine, the calls the tests make of them are not."""


def printing(x, y):
    print(x)
    return x * y
