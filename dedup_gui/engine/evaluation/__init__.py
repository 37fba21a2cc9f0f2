"""Measuring groups against ground truth: truth files, metrics, reports, the evaluation run.

Imports the pipeline and everything below it; never insights or export. No re-exports.
"""
