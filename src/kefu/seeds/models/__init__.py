"""One module per seed file. Each module defines ``FILE`` (the file name under seeds/) and
``Model`` (the pydantic model of the whole file). For a CSV file, ``Model`` has one field
``rows`` and the loader hands it ``{"rows": [...]}`` built from the CSV's lines.

The registry (:mod:`kefu.seeds.registry`) discovers modules here automatically.
"""
