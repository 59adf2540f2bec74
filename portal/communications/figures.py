"""The figures other domains read (performance scorecards): plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignFigures:
    """Campaigns addressed to a partner in the range, how many it opened, files downloaded."""

    campaigns_received: int = 0
    campaigns_opened: int = 0
    files_downloaded: int = 0


@dataclass(frozen=True)
class FeedbackFigures:
    """Feedback requests addressed in the range, answered; NPS (-100..100) and CSAT x100."""

    requests_received: int = 0
    requests_answered: int = 0
    nps: int | None = None
    csat_avg_x100: int | None = None


def nps_score(promoters: int, detractors: int, total: int) -> int | None:
    """Net promoter score in whole points: % promoters (9-10) minus % detractors (0-6)."""
    if total <= 0:
        return None
    return round((promoters - detractors) * 100 / total)
