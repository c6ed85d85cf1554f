"""Placeholder views: the notifications work (issue 18) replaces each before it lands."""

from django.http import HttpResponse


def nudge(request, team, membership):
    return HttpResponse(status=501)


def unsubscribe(request, token):
    return HttpResponse(status=501)


def preferences(request):
    return HttpResponse(status=501)
