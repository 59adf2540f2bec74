"""The notification centre (the bell) for every signed-in user: the list, opening an entry,
the unread count, marking all read, and the settings of which notices to receive."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.communications import notice_preferences
from portal.communications.constants import NOTICE_LABELS
from portal.core import notifications
from portal.lib.i18n import gettext as _
from portal.web import Page, current_user, not_found, page, page_number, redirect, safe_next


class NotificationPages(Controller):
    """The notification centre: every signed-in user's bell entries, read and unread."""

    path = "/notifications"
    opt = {"access": Access.USER}

    @get("/", name="notifications:list")
    async def index(self, request: Request, show: FromQuery[str] = "") -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        rows, total = await notifications.list_notifications(
            user.id, unread_only=show == "unread", page=number
        )
        return page(
            request,
            "communications/notifications.html",
            notifications=rows,
            show=show,
            pager=Page(number, notifications.PER_PAGE, total),
            params={"show": show},
        )

    @get("/count", name="notifications:count", cache=False)
    async def count(self, request: Request) -> dict[str, int]:
        """The bell's unread count (JSON, fetched by static/js/communications.js)."""
        return {"unread": await notifications.unread_count(current_user(request).id)}

    @post("/{notification_id:int}/open", name="notifications:open")
    async def open(self, request: Request, notification_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        link = await notifications.open_notification(user.id, notification_id)
        if link is None:
            raise not_found()
        return redirect(request, safe_next(link, "/notifications"))

    @get("/settings", name="notifications:settings")
    async def settings(self, request: Request) -> Template:
        """Which kinds of notice (bell and e-mail) the user receives; each can be turned off."""
        user = current_user(request)
        off = await notice_preferences.turned_off(user.id)
        return page(
            request,
            "communications/notification_settings.html",
            kinds=[(k.value, _(NOTICE_LABELS[k])) for k in notice_preferences.kinds_for(user)],
            values={k.value: k.value not in off for k in notice_preferences.kinds_for(user)},
        )

    @post("/settings", name="notifications:save_settings")
    async def save_settings(self, request: Request) -> Redirect:
        user = current_user(request)
        data = await request.form()
        kinds = notice_preferences.kinds_for(user)
        await notice_preferences.set_turned_off(
            user, [k.value for k in kinds if not data.get(k.value)]
        )
        return redirect(
            request,
            "notifications:settings",
            flash=("success", _("Your notification settings have been saved.")),
        )

    @post("/read-all", name="notifications:read_all")
    async def read_all(self, request: Request) -> Redirect:
        user = current_user(request)
        count = await notifications.mark_all_read(user.id)
        return redirect(
            request,
            "notifications:list",
            flash=("success", _("%(n)s notifications marked as read.", n=count)),
        )
