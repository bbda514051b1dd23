"""NHN support pages and the read-only JSON lookup of the Adresseregisteret."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.reads import ReadPage, audited_read
from core.roles import is_nhn_support

from .diagnosis import PROCESS_LABEL, diagnose_service
from .models import Service, ServiceProcess
from .selectors import (
    InvalidHerId,
    diagnoses_for,
    organisations_with_services,
    parse_her_id,
    registry_search,
    service_history,
    services_with_processes,
)
from .services import service_process_set

View = Callable[..., HttpResponse]


def support_required(view: View) -> View:
    """Anonymous users go to the login page; logged-in users outside the NHN support group get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_nhn_support(request.user):
            raise PermissionDenied("Bare NHN kundesenter (gruppen «NHN support») har tilgang til disse sidene.")
        return view(request, *args, **kwargs)

    return wrapper


def _bad_her_id(request: HttpRequest, error: InvalidHerId) -> HttpResponse:
    return render(request, "addressregistry/bad_her_id.html", {"error": str(error)}, status=400)


@require_GET
@support_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {"query": query}
    if query:
        organisations, services = registry_search(query)
        context |= {
            "organisations": organisations,
            "services": services,
            "diagnoses": diagnoses_for(services),
        }
    else:
        organisations = list(organisations_with_services())
        all_services = [s for org in organisations for s in org.services.all()]
        context |= {"overview": organisations, "diagnoses": diagnoses_for(all_services)}
    return render(request, "addressregistry/search.html", context)


@require_GET
@support_required
def organisation_detail(request: HttpRequest, her_id: str) -> HttpResponse:
    try:
        number = parse_her_id(her_id)
    except InvalidHerId as error:
        return _bad_her_id(request, error)
    organisation = get_object_or_404(organisations_with_services(), her_id=number)
    services = list(organisation.services.all())
    return render(
        request,
        "addressregistry/organisation.html",
        {"organisation": organisation, "services": services, "diagnoses": diagnoses_for(services)},
    )


def _service_context(service: Service) -> dict[str, Any]:
    by_process = {p.process: p.active for p in service.processes.all()}
    processes = [
        {"code": code, "label": label, "active": by_process.get(code, False)}
        for code, label in ServiceProcess.Process.choices
    ]
    return {
        "service": service,
        "processes": processes,
        "history": service_history(service),
        "diagnosis": diagnose_service(service),
    }


@require_GET
@support_required
@audited_read(ReadPage("ar_service", "her_id"))
def service_detail(request: HttpRequest, her_id: str) -> HttpResponse:
    try:
        number = parse_her_id(her_id)
    except InvalidHerId as error:
        return _bad_her_id(request, error)
    service = get_object_or_404(services_with_processes(), her_id=number)
    return render(request, "addressregistry/service.html", _service_context(service))


@require_POST
@support_required
def service_process_toggle(request: HttpRequest, her_id: str) -> HttpResponse:
    try:
        number = parse_her_id(her_id)
    except InvalidHerId as error:
        return _bad_her_id(request, error)
    service = get_object_or_404(Service, her_id=number)
    process = request.POST.get("process", "")
    wanted = request.POST.get("active", "")
    problem = ""
    if process not in ServiceProcess.Process.values or wanted not in {"on", "off"}:
        problem = "Ugyldig endring: velg en kjent prosess og om den skal slås på eller av."
    else:
        try:
            change = service_process_set(
                service=service,
                process=process,
                active=wanted == "on",
                changed_by=request.user,  # type: ignore[arg-type]
                note="Endret på NHN-støttesiden",
            )
        except ValidationError as exc:  # pragma: no cover - guarded above
            problem = "; ".join(exc.messages)
        else:
            label = PROCESS_LABEL.get(process, ServiceProcess.Process(process).label)
            if change is None:
                messages.info(
                    request, f"{label} var allerede {'på' if wanted == 'on' else 'av'}. Ingenting ble endret."
                )
            else:
                messages.success(request, f"{label} er slått {'på' if change.active else 'av'}.")
    if problem:
        messages.error(request, problem)
    service = get_object_or_404(services_with_processes(), pk=service.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "addressregistry/service.html#setup",
            _service_context(service),
            status=400 if problem else 200,
        )
    if problem:
        return render(request, "addressregistry/service.html", _service_context(service), status=400)
    return redirect(service)


def _processes_json(service: Service) -> list[str]:
    return [ServiceProcess.Process(p).label for p in sorted(service.active_processes())]


@require_GET
def communication_party(request: HttpRequest, her_id: str) -> JsonResponse:
    """In the spirit of AR's ``GetCommunicationPartyDetails``: public register data, read-only."""
    try:
        number = parse_her_id(her_id)
    except InvalidHerId as error:
        return JsonResponse({"error": "InvalidHerId", "message": str(error)}, status=400)
    organisation = organisations_with_services().filter(her_id=number).first()
    if organisation is not None:
        return JsonResponse(
            {
                "HerId": organisation.her_id,
                "Name": organisation.name,
                "Type": "Organization",
                "ParentHerId": None,
                "OrganizationNumber": organisation.organisation_number or None,
                "Kind": organisation.get_kind_display(),
                "Municipality": {
                    "Name": organisation.municipality_name,
                    "Number": organisation.municipality_number,
                },
                "Services": [
                    {
                        "HerId": s.her_id,
                        "Name": s.name,
                        "ServiceType": s.get_service_type_display(),
                        "ActiveProcesses": _processes_json(s),
                    }
                    for s in organisation.services.all()
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    service = services_with_processes().filter(her_id=number).first()
    if service is None:
        return JsonResponse(
            {"error": "NotFound", "message": f"Ingen kommunikasjonspart med HER-id {number}."}, status=404
        )
    org = service.organisation
    return JsonResponse(
        {
            "HerId": service.her_id,
            "Name": service.name,
            "Type": "Service",
            "ParentHerId": org.her_id,
            "ParentName": org.name,
            "ServiceType": service.get_service_type_display(),
            "Municipality": {"Name": org.municipality_name, "Number": org.municipality_number},
            "ActiveProcesses": _processes_json(service),
        },
        json_dumps_params={"ensure_ascii": False},
    )
