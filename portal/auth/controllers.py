"""Sign-in pages, account pages (profile, password, sessions, API tokens), invitations, and the
auth part of the JSON API."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS

from portal.auth import invitations, services, sessions
from portal.auth.api import AuthApi, throttled_message
from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import SUPPORTED_LOCALES
from portal.lib.i18n import gettext as _
from portal.settings import get_settings
from portal.web import (
    LANG_COOKIE,
    client_ip,
    csrf_cookie_name,
    current_user,
    maybe_user,
    page,
    redirect,
    safe_next,
    session_cookie_name,
)

PUBLIC = {"access": Access.PUBLIC}
USER = {"access": Access.USER}


class LoginForm(msgspec.Struct):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=256)]
    next: str = ""


class PasswordChangeForm(msgspec.Struct):
    current_password: str
    password: str
    password_confirm: str


class ProfileForm(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    title: Annotated[str, msgspec.Meta(max_length=80)] = ""
    locale: str = ""


class ResetRequestForm(msgspec.Struct):
    email: Annotated[str, msgspec.Meta(max_length=254)]


class NewPasswordForm(msgspec.Struct):
    password: str
    password_confirm: str


class AcceptForm(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    password: str
    password_confirm: str
    locale: str = ""


class TokenForm(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


def _session_cookie(token: str) -> Cookie:
    settings = get_settings()
    return Cookie(
        key=session_cookie_name(),
        value=token,
        path="/",
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        max_age=settings.session_absolute_hours * 3600,
    )


def _signed_in(response: Redirect, token: str) -> Redirect:
    """Set the new session cookie and drop the CSRF cookie so a fresh one is issued (rotated at
    sign-in: a token planted or read before signing in is worth nothing after)."""
    settings = get_settings()
    response.cookies.append(_session_cookie(token))
    response.cookies.append(
        Cookie(
            key=csrf_cookie_name(),
            value="",
            path="/",
            httponly=True,
            secure=settings.secure_cookies,
            samesite="lax",
            max_age=0,
        )
    )
    return response


class AuthPages(Controller):
    """Sign in and out, language, password reset and invitations."""

    @get("/login", name="auth:login", opt=PUBLIC)
    async def login_form(self, request: Request, next: FromQuery[str] = "") -> Template | Redirect:
        if maybe_user(request):
            return redirect(request, safe_next(next))
        return page(request, "auth/login.html", values={"next": next})

    @post("/login", name="auth:login_submit", opt=PUBLIC)
    async def login(self, request: Request) -> Template | Redirect:
        data = await request.form()
        form, errors, values = read_form(LoginForm, data)
        values.pop("password", None)
        if form is None:
            return page(request, "auth/login.html", status_code=400, errors=errors, values=values)
        ip = client_ip(request)
        try:
            user_id = await sessions.authenticate(form.email, form.password, ip)
        except sessions.Throttled as exc:
            return page(
                request,
                "auth/login.html",
                status_code=HTTP_429_TOO_MANY_REQUESTS,
                errors={"": throttled_message(exc.minutes)},
                values=values,
            )
        if user_id is None:
            return page(
                request,
                "auth/login.html",
                status_code=400,
                values=values,
                errors={"": _("The e-mail address or password is not correct.")},
            )
        token = await sessions.start_session(user_id, ip, request.headers.get("user-agent", ""))
        return _signed_in(redirect(request, safe_next(form.next)), token)

    @post("/logout", name="auth:logout", opt=PUBLIC)
    async def logout(self, request: Request) -> Redirect:
        user = maybe_user(request)
        if user and user.session_id:
            await sessions.end_session(user.session_id)
        response = redirect(request, "auth:login", flash=("info", _("You have been signed out.")))
        response.cookies.append(Cookie(key=session_cookie_name(), value="", max_age=0, path="/"))
        return response

    @post("/language", name="auth:language", opt=PUBLIC)
    async def language(self, request: Request) -> Redirect:
        data = await request.form()
        locale = str(data.get("locale", ""))
        if locale not in SUPPORTED_LOCALES:
            locale = get_settings().default_locale
        user = maybe_user(request)
        if user:
            await services.set_locale(user, locale)
        back = safe_next(
            str(data.get("next", ""))
            or request.headers.get("referer", "").split(str(request.base_url).rstrip("/"), 1)[-1],
            "/",
        )
        response = redirect(request, back)
        response.cookies.append(
            Cookie(
                key=LANG_COOKIE,
                value=locale,
                path="/",
                max_age=365 * 86400,
                samesite="lax",
                secure=get_settings().secure_cookies,
            )
        )
        return response

    @get("/password-reset", name="auth:reset_request", opt=PUBLIC)
    async def reset_request_form(self, request: Request) -> Template:
        return page(request, "auth/reset_request.html")

    @post("/password-reset", name="auth:reset_request_submit", opt=PUBLIC)
    async def reset_request(self, request: Request) -> Template | Redirect:
        form, errors, values = read_form(ResetRequestForm, await request.form())
        if form is None:
            return page(
                request, "auth/reset_request.html", status_code=400, errors=errors, values=values
            )
        ip = client_ip(request)
        try:
            await sessions.check_throttle(form.email, ip)
            await services.request_password_reset(form.email, ip)
        except sessions.Throttled as exc:
            return page(
                request,
                "auth/reset_request.html",
                status_code=429,
                values=values,
                errors={"": throttled_message(exc.minutes)},
            )
        return redirect(
            request,
            "auth:login",
            flash=(
                "info",
                _(
                    "If an account exists for that address, we have sent it a link to choose a new password."
                ),
            ),
        )

    @get("/password-reset/{token:str}", name="auth:reset", opt=PUBLIC)
    async def reset_form(self, request: Request, token: FromPath[str]) -> Template:
        target = await services.reset_target(token)
        return page(
            request,
            "auth/reset.html",
            token=token,
            valid=target is not None,
            status_code=200 if target else 404,
        )

    @post("/password-reset/{token:str}", name="auth:reset_submit", opt=PUBLIC)
    async def reset(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        form, errors, _values = read_form(NewPasswordForm, await request.form())
        if form and form.password != form.password_confirm:
            errors = {"password_confirm": _("The two passwords do not match.")}
        if form is None or errors:
            return page(
                request, "auth/reset.html", status_code=400, token=token, valid=True, errors=errors
            )
        try:
            ok = await services.reset_password(token, form.password, client_ip(request))
        except FormError as exc:
            return page(
                request,
                "auth/reset.html",
                status_code=400,
                token=token,
                valid=True,
                errors=exc.errors,
            )
        if not ok:
            return page(request, "auth/reset.html", token=token, valid=False, status_code=404)
        return redirect(
            request,
            "auth:login",
            flash=("success", _("Your password has been changed. Please sign in.")),
        )

    @get("/invitations/{token:str}", name="auth:invitation", opt=PUBLIC)
    async def invitation_form(self, request: Request, token: FromPath[str]) -> Template:
        inv = await invitations.open_invitation(token)
        return page(
            request,
            "auth/invitation.html",
            token=token,
            invitation=inv,
            values={"name": inv["name"] if inv else ""},
            status_code=200 if inv else 404,
        )

    @post("/invitations/{token:str}", name="auth:invitation_accept", opt=PUBLIC)
    async def invitation_accept(
        self, request: Request, token: FromPath[str]
    ) -> Template | Redirect:
        inv = await invitations.open_invitation(token)
        if inv is None:
            return page(
                request, "auth/invitation.html", token=token, invitation=None, status_code=404
            )
        form, errors, values = read_form(AcceptForm, await request.form())
        if form and form.password != form.password_confirm:
            errors = {"password_confirm": _("The two passwords do not match.")}
        values.pop("password", None)
        values.pop("password_confirm", None)
        if form is None or errors:
            return page(
                request,
                "auth/invitation.html",
                status_code=400,
                token=token,
                invitation=inv,
                errors=errors,
                values=values,
            )
        locale = form.locale if form.locale in SUPPORTED_LOCALES else ""
        ip = client_ip(request)
        try:
            user_id = await invitations.accept_invitation(
                token, form.name, form.password, locale, ip
            )
        except FormError as exc:
            return page(
                request,
                "auth/invitation.html",
                status_code=400,
                token=token,
                invitation=inv,
                errors=exc.errors,
                values=values,
            )
        if user_id is None:
            return page(
                request, "auth/invitation.html", token=token, invitation=None, status_code=404
            )
        session_token = await sessions.start_session(
            user_id, ip, request.headers.get("user-agent", "")
        )
        response = redirect(
            request, "home", flash=("success", _("Welcome! Your account is ready."))
        )
        return _signed_in(response, session_token)


class AccountPages(Controller):
    """The signed-in user's own account: profile, password, sessions and API tokens."""

    path = "/account"
    opt = USER

    @get("/", name="account:show")
    async def show(self, request: Request) -> Template:
        user = current_user(request)
        return await self._page(request, user)

    async def _page(
        self,
        request: Request,
        user: CurrentUser,
        status_code: int = 200,
        new_token: str = "",
        **extra: Any,
    ) -> Template:
        profile = await services.get_user(user.id)
        return page(
            request,
            "auth/account.html",
            status_code=status_code,
            profile=profile,
            sessions=await sessions.list_sessions(user.id),
            tokens=await sessions.list_api_tokens(user.id),
            new_token=new_token,
            **extra,
        )

    @post("/profile", name="account:profile")
    async def profile(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(ProfileForm, await request.form())
        if form is None:
            return await self._page(request, user, 400, errors=errors, values=values)
        locale = form.locale if form.locale in SUPPORTED_LOCALES else ""
        await services.update_profile(user, form.name, form.phone, form.title, locale)
        return redirect(
            request, "account:show", flash=("success", _("Your profile has been saved."))
        )

    @post("/password", name="account:password")
    async def password(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, _values = read_form(PasswordChangeForm, await request.form())
        if form and form.password != form.password_confirm:
            errors = {"password_confirm": _("The two passwords do not match.")}
        if form is None or errors:
            return await self._page(request, user, 400, errors=errors)
        try:
            await services.change_password(user, form.current_password, form.password)
        except FormError as exc:
            return await self._page(request, user, 400, errors=exc.errors)
        return redirect(
            request,
            "account:show",
            flash=(
                "success",
                _(
                    "Your password has been changed; your other sessions have ended and your"
                    " API tokens have been revoked."
                ),
            ),
        )

    @post("/sessions/{session_id:int}/end", name="account:end_session")
    async def end_session(self, request: Request, session_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        ended = await sessions.end_sessions(
            (sessions.AuthSession.id == session_id) & (sessions.AuthSession.user == user.id)
        )
        if not ended:
            raise HTTPException(status_code=404, detail=_("Not found."))
        return redirect(request, "account:show", flash=("success", _("The session has ended.")))

    @post("/sessions/end-others", name="account:end_other_sessions")
    async def end_others(self, request: Request) -> Redirect:
        user = current_user(request)
        count = await sessions.end_user_sessions(user.id, except_session=user.session_id)
        return redirect(
            request,
            "account:show",
            flash=(
                "success",
                _("%(n)s other sessions have ended; your API tokens have been revoked.", n=count),
            ),
        )

    @post("/tokens", name="account:create_token")
    async def create_token(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(TokenForm, await request.form())
        if form is None:
            return await self._page(request, user, 400, errors=errors, values=values)
        token = await sessions.create_api_token(user, form.name)
        return await self._page(request, user, new_token=token)

    @post("/tokens/{token_id:int}/revoke", name="account:revoke_token")
    async def revoke_token(self, request: Request, token_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        if not await sessions.revoke_api_token(user, token_id):
            raise HTTPException(status_code=404, detail=_("Not found."))
        return redirect(
            request, "account:show", flash=("success", _("The token has been revoked."))
        )


PAGES = [AuthPages, AccountPages]
API = [AuthApi]
