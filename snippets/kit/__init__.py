"""The chapter kit: what every page's calculation module is written with.

- ``assume``: declare an assumption once (value, label, format, provenance) and render any page's
  assumptions table from the declarations.
- ``house``: the house rules every page shares (peak factor, significance and power, experiment
  duration, interview length), so two pages cannot contradict each other.
- ``show``: ``@value(fmt)`` and ``@table`` mark the functions a page may show; anything marked must
  be used by a page, a figure or a lab.
- ``estimation`` (traffic, memory, capacity, fan-out, A/B sizing), ``latency`` (a latency budget),
  ``abtest`` (an A/B plan), ``plan`` (a 45-minute interview plan), ``metrics`` (offline metrics),
  ``display`` (formatters) and ``plotting`` (the lab charts' house style).
"""
