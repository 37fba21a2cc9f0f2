"""Library insights on top of a scan: clusters, outliers, image-quality flags, and reports.

Everything here reuses what a scan already cached (hashes, embeddings) and adds one small cache
table of its own (quality measures), so a report on an unchanged library decodes no image except
the few thumbnails it shows.
"""
