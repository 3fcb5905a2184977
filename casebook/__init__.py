"""The Casebook's build engine: figures, snippets, notebooks and math, behind thin MkDocs hooks.

Everything here is plain Python that MkDocs calls through ``casebook/hooks.py``; the command line
(``python -m casebook``) and the tests call the same functions.
"""
