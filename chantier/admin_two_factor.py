"""The admin's two-factor pages: turning it on (QR code or secret, a code to confirm, the
recovery codes shown once) and the code asked after the password. The rules are in
poles/two_factor.py; chantier/admin_site.py mounts these views."""

import base64
import io

import qrcode
import qrcode.image.svg
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice

from poles import two_factor

# Where the secret waits, between the QR code and the code that confirms it.
SECRET_SESSION_KEY = "two_factor_secret"  # noqa: S105 (a session key, not a secret)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _page(request, template, **context):
    return render(
        request,
        template,
        {**admin.site.each_context(request), "next": _next_url(request), **context},
    )


def _qr_code(url: str) -> str:
    """The QR code of `url` as an SVG image in a data: address (no inline markup, no host)."""
    out = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _grouped(secret_hex: str) -> str:
    """The secret as authentication apps take it typed: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(secret_hex)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
@sensitive_post_parameters("code")
def enrol_view(request):
    user = request.user
    is_on = two_factor.has_second_factor(user) and user.is_verified()
    if request.method == "POST" and request.POST.get("action") == "recovery" and is_on:
        codes = two_factor.new_recovery_codes(user=user)
        return _page(
            request,
            "admin/two_factor/recovery_codes.html",
            title=gettext("New recovery codes"),
            codes=codes,
        )
    secret = request.session.get(SECRET_SESSION_KEY) or two_factor.new_secret()
    request.session[SECRET_SESSION_KEY] = secret
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = two_factor.enrol(request, secret=secret, code=form.cleaned_data["code"])
        if codes is not None:
            del request.session[SECRET_SESSION_KEY]
            return _page(
                request,
                "admin/two_factor/recovery_codes.html",
                title=gettext("Two-factor sign-in is on"),
                codes=codes,
            )
        form.add_error(
            "code",
            gettext(
                "This is not the code the app shows for this account. Check the app's clock "
                "and type the code shown now."
            ),
        )
    return _page(
        request,
        "admin/two_factor/enrol.html",
        title=gettext("Two-factor sign-in"),
        form=form,
        is_on=is_on,
        required=two_factor.second_factor_required(user),
        qr_code=_qr_code(two_factor.config_url(user=user, secret=secret)),
        secret=_grouped(secret),
    )


@never_cache
@sensitive_post_parameters("code")
def verify_view(request):
    user = request.user
    if not two_factor.has_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if two_factor.is_locked_out(request):
        credentials = {"username": user.get_username()}
        logout(request)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = two_factor.verify(request, code=form.cleaned_data["code"])
        if device is not None:
            if isinstance(device, StaticDevice):
                left = two_factor.remaining_recovery_codes(user=user)
                messages.warning(request, _recovery_code_used(left))
            return redirect(_next_url(request))
        if getattr(request, "axes_locked_out", False):
            logout(request)  # django-axes' middleware answers with the lock-out page
        form.add_error(
            "code", gettext("This code is not right, or it was already used. Try again.")
        )
    return _page(request, "admin/two_factor/verify.html", title=gettext("Sign-in code"), form=form)


def _recovery_code_used(left: int) -> str:
    return ngettext(
        "You signed in with a recovery code: %(count)d is left. Make new ones in Two-factor "
        "sign-in.",
        "You signed in with a recovery code: %(count)d are left. Make new ones in Two-factor "
        "sign-in.",
        left,
    ) % {"count": left}
