"""The partners JSON API under /api/v1/partners (vendor staff; partners read their own)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import QueryId
from portal.partners import access, services
from portal.partners.pages_common import (
    USER,
    VENDOR,
    VENDOR_ADMIN,
    _partner_or_404,
)
from portal.partners.schemas import (
    NewPartner,
    PartnerChanges,
    PartnerCreateIn,
    PartnerFilters,
    PartnerListOut,
    PartnerOut,
    PartnerPatchIn,
)
from portal.web import (
    current_user,
)

API_FIELD_NAMES = {"tier_id": "tier"}  # service field -> API field in error answers


def _unprocessable(exc: FormError) -> HTTPException:
    """A service's FormError as a 422 JSON answer naming each field."""
    errors = {API_FIELD_NAMES.get(k, k): v for k, v in exc.errors.items()}
    summary = "; ".join(f"{k}: {v}" if k else v for k, v in errors.items())
    return HTTPException(
        status_code=422,
        detail=_("Invalid input: %(details)s", details=summary),
        extra={"fields": errors},  # as every 422 of the API (app.form_error_handler)
    )


def _out(row: dict[str, Any]) -> PartnerOut:
    return PartnerOut(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        name_en=row["name_en"],
        kind=row["kind"],
        tier=row["tier.code"],
        province=row["province"],
        city=row["city"],
        address=row["address"],
        contact_name=row["contact_name"],
        contact_phone=row["contact_phone"],
        contact_email=row["contact_email"],
        credit_limit_amount=row["credit_limit_amount"],
        currency=row["currency"],
        channel_manager_id=row["channel_manager_id"],
        status=row["status"],
        joined_on=row["joined_on"],
        locale=row["locale"],
    )


async def _tier_id(code: str) -> int:
    tier = await services.tier_by_code(code)
    if tier is None:
        raise FormError({"tier_id": _("Unknown tier code.")})
    return int(tier["id"])


async def _deny_in_handler(
    request: Request, user: CurrentUser, detail: str = ""
) -> PermissionDeniedException:
    """A 403 decided inside the handler (after the tenant check), audited like the guard's."""
    await audit.record(
        "permission.denied",
        actor=user,
        partner_id=user.partner_id,
        target_type="route",
        target_id=(request.route_handler.name or "")[:40],
        detail=f"{request.method} {request.url.path} {detail}".strip(),
    )
    return PermissionDeniedException(detail or _("You do not have permission to do this."))


class PartnerApi(Controller):
    """GET/POST /api/v1/partners and GET/PATCH /api/v1/partners/{id}; money in minor units."""

    path = "/partners"
    tags = ["partners"]

    @get("/", name="api:partners:list", opt=VENDOR)
    async def index(
        self,
        request: Request,
        q: FromQuery[str] = "",
        tier: FromQuery[str] = "",
        kind: FromQuery[str] = "",
        province: FromQuery[str] = "",
        status: FromQuery[str] = "",
        manager: QueryId = None,
        sort: FromQuery[str] = "name",
        page: Annotated[int, Parameter(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=200)] = 25,
    ) -> PartnerListOut:
        """Partners in the caller's scope (channel managers: their assigned partners)."""
        filters = PartnerFilters(
            q=q,
            tier=tier,
            kind=kind,
            province=province,
            status=status,
            manager=manager,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        rows, total = await services.list_partners(current_user(request), filters)
        return PartnerListOut(
            items=[_out(r) for r in rows], total=total, page=page, per_page=per_page
        )

    @post("/", name="api:partners:create", opt=VENDOR_ADMIN, status_code=HTTP_201_CREATED)
    async def create(self, request: Request, data: JSONBody[PartnerCreateIn]) -> PartnerOut:
        """Create an active partner (vendor admins). `tier` is a tier code such as "gold"."""
        user = current_user(request)
        values = msgspec.structs.asdict(data)
        values["kind"] = data.kind.value
        if values["joined_on"] is None:
            del values["joined_on"]
        try:
            values["tier_id"] = await _tier_id(values.pop("tier"))
            partner_id = await services.create_partner(user, NewPartner(**values))
        except FormError as exc:
            # report every bad field at once, not only the tier
            if "tier_id" in exc.errors:
                try:
                    fields = {
                        k: v for k, v in values.items() if k in PartnerChanges.__struct_fields__
                    }
                    await services.validate_partner_data(PartnerChanges(**fields))
                except FormError as more:
                    exc = FormError({**exc.errors, **more.errors})
            raise _unprocessable(exc) from None
        return _out(await access.get_partner_for_user(user, partner_id))

    @get("/{partner_id:int}", name="api:partners:show", opt=USER)
    async def show(self, request: Request, partner_id: FromPath[int]) -> PartnerOut:
        """One partner: vendor staff in scope, or the partner's own users; 404 otherwise."""
        return _out(await _partner_or_404(current_user(request), partner_id))

    @patch("/{partner_id:int}", name="api:partners:update", opt=USER)
    async def update(
        self, request: Request, partner_id: FromPath[int], data: JSONBody[PartnerPatchIn]
    ) -> PartnerOut:
        """Change the fields present (vendor staff; channel managers only address and contact).
        A tier change needs `tier_reason`; `status` is "active" or "suspended"."""
        user = current_user(request)
        # The tenant check comes first, so another partner's id is a 404, never a 403.
        partner = await _partner_or_404(user, partner_id)
        changes = {
            name: getattr(data, name)
            for name in data.__struct_fields__
            if getattr(data, name) is not msgspec.UNSET
        }
        if "tier" in changes:
            changes["tier_id"] = changes.pop("tier")
        refused = sorted(set(changes) - services.editable_fields(user))
        if refused:
            names = ", ".join(API_FIELD_NAMES.get(k, k) for k in refused)
            raise await _deny_in_handler(
                request, user, _("You may not change: %(fields)s", fields=names)
            )
        if "kind" in changes:
            changes["kind"] = changes["kind"].value
        try:
            if "tier_id" in changes:
                changes["tier_id"] = await _tier_id(changes["tier_id"])
            await services.update_partner(user, partner, PartnerChanges(**changes))
        except FormError as exc:
            raise _unprocessable(exc) from None
        return _out(await access.get_partner_for_user(user, partner_id))
