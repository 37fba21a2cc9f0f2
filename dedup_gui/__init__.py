"""dedup-gui: find duplicate and near-duplicate photos and remove them safely."""

__version__ = "0.6.27"
