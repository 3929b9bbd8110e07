# fix-args: --unsafe-fixes
from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from .db import Session, get_session, load_report

router = APIRouter()


@router.get("/reports/{report_id}")
async def read_report(report_id: int, session: Session = Depends(get_session)):
    report = await run_in_threadpool(
        load_report,  # the slow part
        session,
        report_id,
        include_rows=True,
    )
    return report
