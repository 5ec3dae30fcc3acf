"""reviewflow: a reproducible evidence-review pipeline.

search exports -> import -> de-duplication -> screening stages -> full-text
coding -> evidence log -> PRISMA 2020 counts, tables and report, all derived
from one record-level ledger.
"""

__version__ = "0.1.0"
