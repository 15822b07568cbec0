"""Liveness for load balancers: the two things a room cannot work without."""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse


def _database_round_trip() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


async def _layer_round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "health.check", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned a different message")


async def healthz(request):
    report = {}
    checks = {
        "db": sync_to_async(_database_round_trip),
        "channel_layer": _layer_round_trip,
    }
    for name, check in checks.items():
        try:
            await check()
            report[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is the report
            report[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse(report, status=200 if healthy else 503)
