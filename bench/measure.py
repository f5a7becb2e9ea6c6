"""The measurements: each drives a running server over loopback and returns plain figures."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import requests
import socketio
from harness import Server, median, percentile, reset_peak_rss
from wsclient import LeanSocket

BODY = "Bench message: the freezing order of 12 March covers the account at the named bank. "


def body_of(number: int, size: int = 200) -> str:
    text = f"#{number} {BODY}"
    return (text * (size // len(text) + 1))[:size]


def ms(values: Sequence[float]) -> list[float]:
    return [value * 1000 for value in values]


def summary(values_ms: Sequence[float]) -> dict[str, float]:
    return {"p50": median(values_ms), "p99": percentile(values_ms, 0.99), "n": len(values_ms)}


# --- send -> delivery, python-socketio clients -------------------------------------------------


class _Arrivals:
    """Waits until every member's socket has a given body; keeps the last arrival time."""

    def __init__(self, members: int) -> None:
        self.members = members
        self.lock = threading.Lock()
        self.pending: dict[str, list[Any]] = {}

    def expect(self, body: str) -> threading.Event:
        done = threading.Event()
        with self.lock:
            self.pending[body] = [self.members, 0.0, done]
        return done

    def arrived(self, body: str) -> None:
        now = time.perf_counter()
        with self.lock:
            entry = self.pending.get(body)
            if entry is None:
                return
            entry[0] -= 1
            entry[1] = now
            if entry[0] == 0:
                entry[2].set()

    def last(self, body: str) -> float:
        with self.lock:
            return float(self.pending.pop(body)[1])


def _member(url: str, token: str | None, channel: int, arrivals: _Arrivals) -> socketio.Client:
    client = socketio.Client(reconnection=False)

    def on_message(message: dict[str, Any]) -> None:
        if message.get("channel") == channel:
            arrivals.arrived(message["body"])

    client.on("message", on_message)
    client.connect(url, auth={"token": token} if token else None, transports=["websocket"],
                   wait_timeout=30)
    answer = client.call("join", {"channel": channel, "after_seq": 0}, timeout=30)
    if not isinstance(answer, dict) or "error" in answer:
        raise RuntimeError(f"join refused: {answer}")
    # Wait for the backlog of earlier runs to pass: only bodies this run expects count.
    return client


def send_latency(
    server: Server, tokens: Sequence[str | None], channel: int, count: int, warmup: int,
    budget_seconds: float,
) -> dict[str, Any]:
    """One member sends, one message at a time; the time until every member has it."""
    arrivals = _Arrivals(len(tokens))
    clients: list[socketio.Client] = []
    latencies: list[float] = []
    acks: list[float] = []
    errors = 0
    try:
        for token in tokens:
            clients.append(_member(server.url, token, channel, arrivals))
        sender = clients[0]
        run_id = uuid.uuid4().hex[:8]
        deadline = time.monotonic() + budget_seconds
        cpu_before = 0.0
        for number in range(warmup + count):
            if number == warmup:
                cpu_before = server.cpu()
            if time.monotonic() > deadline:
                break
            body = f"{run_id}-{number} " + body_of(number)
            done = arrivals.expect(body)
            acked: list[float] = []
            started = time.perf_counter()
            sender.emit(
                "send",
                {"channel": channel, "client_id": f"{run_id}-{number}", "body": body,
                 "handling_code": "H1"},
                callback=lambda answer, acked=acked: acked.append(time.perf_counter())
                if isinstance(answer, dict) and "seq" in answer else acked.append(-1.0),
            )
            if not done.wait(10):
                errors += 1
                continue
            last = arrivals.last(body)
            if number >= warmup:
                latencies.append(last - started)
                wait_until_acked = time.monotonic() + 5
                while not acked and time.monotonic() < wait_until_acked:
                    time.sleep(0.0002)
                if acked and acked[0] > 0:
                    acks.append(acked[0] - started)
                else:
                    errors += 1
        cpu = server.cpu() - cpu_before
    finally:
        for client in clients:
            client.disconnect()
    sent = len(latencies)
    return {
        "delivery_ms": summary(ms(latencies)),
        "ack_ms": summary(ms(acks)),
        "messages": sent,
        "errors": errors,
        "server_cpu_s": cpu,
        "cpu_per_delivery_us": cpu / max(1, sent * len(tokens)) * 1e6,
        "cpu_per_message_us": cpu / max(1, sent) * 1e6,
    }


# --- sustained stored messages per second, lean asyncio clients --------------------------------


async def _throughput(
    port: int, pairs: Sequence[dict[str, Any]], seconds: float, window: int
) -> dict[str, Any]:
    deliveries = 0

    def on_event(name: str, _data: Any, _at: float) -> None:
        nonlocal deliveries
        if name == "message":
            deliveries += 1

    sockets: list[tuple[LeanSocket, int]] = []
    for pair in pairs:
        for side in ("a", "b"):
            sock = LeanSocket(port, on_event)
            await sock.connect({"token": pair[side]["token"]})
            answer = await sock.call("join", {"channel": pair["channel"], "after_seq": 1 << 30})
            if "error" in answer:
                raise RuntimeError(f"join refused: {answer}")
            sockets.append((sock, pair["channel"]))
    acked = errors = 0
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds
    run_id = uuid.uuid4().hex[:8]

    async def sender(index: int, sock: LeanSocket, channel: int) -> None:
        nonlocal acked, errors
        number = 0

        async def one(number: int) -> None:
            nonlocal acked, errors
            started = time.perf_counter()
            try:
                answer = await sock.call("send", {
                    "channel": channel, "client_id": f"{run_id}-{index}-{number}",
                    "body": body_of(number), "handling_code": "H1"}, timeout=30)
            except Exception:
                errors += 1
                return
            if isinstance(answer, dict) and "seq" in answer:
                acked += 1
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

        in_flight: set[asyncio.Task[None]] = set()
        while time.perf_counter() < stop_at:
            while len(in_flight) < window:
                number += 1
                task = asyncio.create_task(one(number))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            await asyncio.sleep(0.001)
        if in_flight:
            await asyncio.wait(in_flight, timeout=30)

    started = time.perf_counter()
    await asyncio.gather(*(sender(i, s, c) for i, (s, c) in enumerate(sockets)))
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.5)  # the last deliveries
    for sock, _ in sockets:
        await sock.close()
    return {"acked": acked, "errors": errors, "seconds": elapsed, "deliveries": deliveries,
            "per_second": acked / elapsed, "ack_ms": summary(ms(latencies))}


def throughput(server: Server, pairs: Sequence[dict[str, Any]], seconds: float,
               window: int = 4) -> dict[str, Any]:
    cpu_before = server.cpu()
    result = asyncio.run(_throughput(server.port, pairs, seconds, window))
    result["server_cpu_s"] = server.cpu() - cpu_before
    result["cpu_per_delivery_us"] = result["server_cpu_s"] / max(1, result["deliveries"]) * 1e6
    return result


# --- idle authenticated sockets ----------------------------------------------------------------


IDLE_CLIENT_PROCESSES = 3


def idle_sockets(server: Server, groups: Sequence[dict[str, Any]], hold: float,
                 sign_in_within: float,
                 processes: int = IDLE_CLIENT_PROCESSES) -> dict[str, Any]:
    """Every member of ``groups`` signs in at once and joins its case's channel, from a few
    client processes (bench/idle_clients.py); then one member of each case sends and every
    socket waits for that message. The server's RSS before and after signing in gives the
    memory per socket. Sign-ins not done within ``sign_in_within`` seconds are given up and
    counted as ``late`` (the run has a budget)."""
    rss_before = server.rss_kib()
    cpu_start = server.cpu()
    script = Path(__file__).with_name("idle_clients.py")
    clients = [subprocess.Popen(
        [sys.executable, str(script), str(server.port), str(hold), str(sign_in_within)],
        cwd=script.parent,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True,
    ) for _ in range(processes)]
    try:
        connect_started = time.perf_counter()
        for number, client in enumerate(clients):
            share = [{"channel": group["channel"],
                      "tokens": [member["token"] for member in group["members"]]}
                     for group in groups[number::processes]]
            assert client.stdin is not None
            client.stdin.write(json.dumps(share) + "\n")
            client.stdin.flush()
        signed_in = [json.loads(_line_of(client)) for client in clients]
        connect_seconds = time.perf_counter() - connect_started
        time.sleep(1.0)
        rss_connected = server.rss_kib()
        cpu_before = server.cpu()
        connect_cpu = cpu_before - cpu_start
        for client in clients:
            assert client.stdin is not None
            client.stdin.write("go\n")
            client.stdin.flush()
        results = [json.loads(_line_of(client)) for client in clients]
        cpu = server.cpu() - cpu_before
        rss_end = server.rss_kib()
    finally:
        for client in clients:
            with contextlib.suppress(ProcessLookupError):
                client.kill()
            client.wait()
    held = sum(each["connected"] for each in signed_in)
    return {
        "wanted": sum(len(group["members"]) for group in groups), "connected": held,
        "refused": sum(each["refused"] for each in signed_in),
        "late": sum(each["late"] for each in signed_in),
        "still_open": sum(each["still_open"] for each in results),
        "delivered": sum(each["delivered"] for each in results),
        "sends": sum(each["sends"] for each in results),
        "send_failures": sum(each["send_failures"] for each in results),
        "delivery_ms": summary(ms([value for each in results for value in each["latencies"]])),
        "connect_seconds": connect_seconds, "connect_cpu_s": connect_cpu,
        "rss_before_kib": rss_before,
        "rss_connected_kib": rss_connected, "rss_end_kib": rss_end,
        "kib_per_connection": (rss_connected - rss_before) / max(1, held),
        "cpu_share_of_one_core": cpu / hold,
    }


def _line_of(client: subprocess.Popen[str]) -> str:
    assert client.stdout is not None
    line = client.stdout.readline()
    if not line:
        raise RuntimeError(f"an idle-socket client process ended (exit {client.wait()})")
    return line


# --- REST ----------------------------------------------------------------------------------------


def timed_requests(call: Callable[[int], requests.Response], count: int, warmup: int,
                   expect: int = 200, budget_seconds: float = 20) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + budget_seconds
    for number in range(warmup + count):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        response = call(number)
        elapsed = time.perf_counter() - started
        if response.status_code not in (expect, 200):
            errors += 1
            if errors == 1:
                print(f"    unexpected {response.status_code}: {response.text[:300]}")
        elif number >= warmup:
            latencies.append(elapsed)
    return {**summary(ms(latencies)), "errors": errors}


def rest_rows(server: Server, token: str, channel: int, count: int) -> dict[str, Any]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    base = f"{server.url}/api/v1"
    run_id = uuid.uuid4().hex[:8]
    trivial = timed_requests(lambda n: session.get(f"{server.url}/healthz"), count, 20)
    me = timed_requests(lambda n: session.get(f"{base}/me"), count, 20)
    post = timed_requests(
        lambda n: session.post(f"{base}/channels/{channel}/messages", json={
            "client_id": f"rest-{run_id}-{n}", "body": body_of(n), "handling_code": "H1"}),
        count, 20, expect=201,
    )
    last = session.get(f"{base}/channels/{channel}").json()["last_seq"]
    rng = random.Random(5)
    fetch = timed_requests(
        lambda n: session.get(f"{base}/channels/{channel}/messages",
                              params={"after_seq": rng.randint(0, max(0, last - 50)), "limit": 50}),
        count, 20,
    )
    return {"healthz": trivial, "me": me, "post": post, "fetch50": fetch, "messages": last}


def search_row(server: Server, token: str, queries: Sequence[str], rounds: int) -> dict[str, Any]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    hits: dict[str, int] = {}
    latencies: list[float] = []
    errors = 0
    for query in queries:  # warm-up, and what each query finds
        response = session.get(f"{server.url}/api/v1/search", params={"q": query})
        if response.status_code != 200:
            errors += 1
            print(f"    search {query!r}: {response.status_code} {response.text[:200]}")
            continue
        hits[query] = response.json()["total"]
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            response = session.get(f"{server.url}/api/v1/search", params={"q": query})
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200
    baseline = timed_requests(lambda n: session.get(f"{server.url}/healthz"), 200, 20)
    return {**summary(ms(latencies)), "errors": errors, "hits": hits, "baseline": baseline}


# --- attachments ---------------------------------------------------------------------------------


class _MultipartBody:
    """A multipart/form-data body streamed from a file in 1 MiB blocks, with a length.

    Iterable rather than file-like: http.client reads a file-like body 8 KiB at a time, and
    slicing those out of a 1 MiB buffer made the client, not the server, the limit (about
    100 MiB/s). An iterable with a length goes out block by block with a Content-Length.
    """

    BLOCK = 1024 * 1024

    def __init__(self, path: Path, boundary: str) -> None:
        self.path = path
        size = path.stat().st_size
        self.head = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n{size}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{boundary}--\r\n".encode()
        self.length = len(self.head) + size + len(self.tail)

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        with self.path.open("rb") as handle:
            while chunk := handle.read(self.BLOCK):
                yield chunk
        yield self.tail

    def __len__(self) -> int:
        return self.length


def make_file(path: Path, size: int) -> None:
    block = os.urandom(1024 * 1024)
    with path.open("wb") as handle:
        for _ in range(size // len(block)):
            handle.write(block)
        handle.write(block[: size % len(block)])


def plain_copy(source: Path, target: Path) -> float:
    started = time.perf_counter()
    shutil.copyfile(source, target)
    with target.open("rb") as handle:
        os.fsync(handle.fileno())
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def transfer(server: Server, token: str, channel: int, path: Path,
             verify: bool = False) -> dict[str, Any]:
    """Upload then download one file; seconds each and the server's peak RSS over both."""
    headers = {"Authorization": f"Bearer {token}"}
    can_reset = reset_peak_rss(server.pid)
    rss_before = server.rss_kib()
    boundary = uuid.uuid4().hex
    body = _MultipartBody(path, boundary)
    started = time.perf_counter()
    response = requests.post(
        f"{server.url}/api/v1/channels/{channel}/attachments", data=body,
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}",
                 "Content-Length": str(len(body))}, timeout=600,
    )
    upload = time.perf_counter() - started
    if response.status_code != 201:
        raise RuntimeError(f"upload failed: {response.status_code} {response.text[:300]}")
    attachment = response.json()
    peak_upload = server.peak_kib()
    started = time.perf_counter()
    digest = hashlib.sha256() if verify else None
    received = 0
    with requests.get(f"{server.url}/api/v1/attachments/{attachment['id']}", headers=headers,
                      stream=True, timeout=600) as download:
        if download.status_code != 200:
            raise RuntimeError(f"download failed: {download.status_code}")
        for chunk in download.iter_content(1024 * 1024):
            received += len(chunk)
            if digest is not None:
                digest.update(chunk)
    fetch = time.perf_counter() - started
    size = path.stat().st_size
    if received != size or (digest is not None and digest.hexdigest() != attachment["sha256"]):
        raise RuntimeError("the downloaded file differs from the uploaded one")
    return {
        "size": size, "upload_s": upload, "download_s": fetch,
        "upload_mib_s": size / upload / 2**20, "download_mib_s": size / fetch / 2**20,
        "rss_before_kib": rss_before, "peak_kib": max(peak_upload, server.peak_kib()),
        "peak_reset": can_reset,
    }
