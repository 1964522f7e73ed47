"""The ``kefu`` command line. Each area has its own module here; main.py wires them."""
