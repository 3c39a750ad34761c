"""The tip line: the "Kirim klaim untuk diperiksa" page, a claim's "Minta koreksi" form, and the thank-you page.

Never cached (a CSRF token and a signed start time are in each form); nothing a reader sent is ever shown
back on a public page, only the tip's reference number.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from factcheck.claims.models import Claim

from .forms import TipForm, started_token
from .models import Tip
from .services import tip_submit
from .throttles import TipThrottle

THANKS_SALT = "factcheck.tips.thanks"
THANKS_MAX_AGE_SECONDS = 60 * 60


def _public_claim(slug: str | None) -> Claim | None:
    if slug is None:
        return None
    return get_object_or_404(Claim.objects.public().select_related("rating"), slug=slug)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    claim = _public_claim(slug)
    language = get_language()
    context = {
        "claim": claim,
        # The statement is shown in the page's language when it has one, else in the other (claim.statement_in).
        "statement_lang": claim
        and ("en" if (language == "en" and claim.statement_en) or not claim.statement else "id"),
        "refusal": None,
        "retention_days": settings.TIP_RETENTION_DAYS,
    }
    status = 200
    if request.method == "POST":
        throttle = TipThrottle()
        if not throttle.allow_request(request, None):
            minutes = max(1, round((throttle.wait() or 60) / 60))
            context["refusal"] = gettext(
                "Too many messages were sent from your address. Please try again in %(minutes)s minutes."
            ) % {"minutes": minutes}
            form = TipForm(initial={"started": started_token()})
            status = 429
        else:
            form = TipForm(request.POST)
            if form.is_valid():
                tip = tip_submit(
                    kind=Tip.Kind.CORRECTION if claim else Tip.Kind.CLAIM,
                    claim=claim,
                    text=form.cleaned_data["text"],
                    link=form.cleaned_data["link"],
                    contact=form.cleaned_data["contact"],
                    consent=form.cleaned_data["consent"],
                    language=language,
                )
                token = signing.dumps(tip.reference, salt=THANKS_SALT)
                return redirect(f"{reverse('tips:thanks')}?r={token}")
            if {"expired", "bad_token"} & {error.code for error in form.non_field_errors().as_data()}:
                form.data = form.data.copy()
                form.data["started"] = started_token()
            status = 400
    else:
        form = TipForm(initial={"started": started_token()})
    context["form"] = form
    return render(request, "tips/submit.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def thanks(request: HttpRequest) -> HttpResponse:
    try:
        reference = signing.loads(request.GET.get("r", ""), salt=THANKS_SALT, max_age=THANKS_MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise Http404("No tip to thank for.") from None
    return render(request, "tips/thanks.html", {"reference": reference})
