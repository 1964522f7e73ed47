"""kefu-kit (客服培训套件): curriculum and assessment kit for customer-service training.

Data flows one way: seeds/ -> kefu -> notebooks/assignments -> nbgrader -> gradebook -> reports.
Every rule is read from seeds/ through :mod:`kefu.seeds`; nothing here re-types it.
"""

__version__ = "0.1.0"
