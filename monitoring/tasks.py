"""Thin task interfaces: the periodic tick claims the sources that are due and sends one task per source, so a
slow or broken source holds up only its own task."""

from __future__ import annotations

import logging

from celery import shared_task

from monitoring.services import source_scan as scan
from monitoring.services import sources_due_claim


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def sources_scan_due() -> int:
    claimed = sources_due_claim()
    for source_id in claimed:
        try:
            source_scan.delay(source_id)
        except Exception:  # broker down: the source is due again after an interval
            logging.getLogger("tawasul").warning("Broker unavailable; source %s left for a later tick", source_id)
    return len(claimed)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=560)
def source_scan(source_id: int) -> dict[str, object]:
    outcome = scan(source_id=source_id)
    return {"new_statements": len(outcome.new_statements), "errors": outcome.errors}
