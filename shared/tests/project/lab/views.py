from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from shared.tasks.models import TaskProgress
from shared.tests.project.lab.services import start_counting


@require_POST
@login_required
def count(request: HttpRequest) -> JsonResponse:
    job = start_counting(owner=request.user, total=int(request.POST.get("total", 3)))
    return JsonResponse({"job": str(job.pk)}, status=202)


@login_required
def job_page(request: HttpRequest, pk) -> HttpResponse:
    job = get_object_or_404(TaskProgress.objects.visible_to(request.user), pk=pk)
    return render(request, "lab/job.html", {"job": job})
