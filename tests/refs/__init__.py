"""One module of references per group of catalog functions; see the
"other references" part of tests/reference.py."""
