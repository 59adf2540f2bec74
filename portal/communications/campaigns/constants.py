"""Campaign states, the kinds of partner activity on a campaign, and the material it may carry."""

from enum import StrEnum

from portal.lib.i18n import N_


class CampaignStatus(StrEnum):
    DRAFT = "draft"  # created by vendor staff; editable, invisible to partners
    SCHEDULED = "scheduled"  # vendor staff chose a publish time; the publish job picks it up
    PUBLISHED = "published"  # set once by the publish job; the audience is frozen
    ARCHIVED = "archived"  # vendor staff withdrew it; partners no longer see it


class ActivityKind(StrEnum):
    VIEW = "view"  # a partner user opened the campaign page
    PREVIEW = "preview"  # a partner user previewed a file in the browser
    DOWNLOAD = "download"  # a partner user downloaded a file


CAMPAIGN_STATUS_LABELS = {
    CampaignStatus.DRAFT: N_("Draft"),
    CampaignStatus.SCHEDULED: N_("Scheduled"),
    CampaignStatus.PUBLISHED: N_("Published"),
    CampaignStatus.ARCHIVED: N_("Archived"),
}


# Material a campaign may carry (portal.lib.storage kinds).
MATERIAL_KINDS = frozenset(
    {"pdf", "png", "jpeg", "gif", "webp", "mp4", "pptx", "docx", "xlsx", "zip"}
)


PREVIEW_KINDS = frozenset({"pdf", "png", "jpeg", "gif", "webp"})
