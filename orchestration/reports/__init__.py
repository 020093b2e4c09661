"""Pictures rendered from the published warehouse (no dagster imports; see defs/reports.py)."""

from orchestration.reports.render import ReportResult, render_reports

__all__ = ["ReportResult", "render_reports"]
