"""Offline HTML reports for the teammeeting: building blocks, rendering, privacy check."""

from plgdata.reporting.render import ReportError, ReportJob, render_many, render_report, write_index

__all__ = ["ReportError", "ReportJob", "render_many", "render_report", "write_index"]
