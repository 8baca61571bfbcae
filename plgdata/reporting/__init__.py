"""Offline HTML reports for the teammeeting: building blocks, rendering, privacy check."""

from plgdata.reporting.render import RenderOutcome, ReportError, ReportJob, render_all, render_many, render_report, write_index

__all__ = ["RenderOutcome", "ReportError", "ReportJob", "render_all", "render_many", "render_report", "write_index"]
