"""File downloads every blueprint may offer: a CSV that spreadsheets open correctly and safely
(the rules are in core/csvexport.py)."""

from __future__ import annotations

from flask import Response

from quizapp.core.csvexport import to_csv


def csv_response(filename: str, headers: list[str], rows: list[list]) -> Response:
    """`filename` must be plain ASCII (it goes into a header as it is): build it from ids, not names."""
    return Response(
        to_csv(headers, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
