"""Build-time calculations for the Casebook.

One module per page that shows computed numbers (``snippets/<page>.py``, named by the rule in
``casebook/names.py``): its declared assumptions and the functions behind every number, table and
figure label. The chapter kit in ``snippets/kit/`` holds what every page shares. A page shows a
marked function with ``{{ value: peak_qps }}`` or ``{{ table: capacity_table }}``.
"""
