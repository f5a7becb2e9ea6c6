"""One client process of the idle-socket row: holds its share of signed-in sockets.

Why a process of its own: ten thousand sockets cost the client side too (the handshakes, the
server's pings answered, the JSON), and one Python process holding them all would measure the
client, not the server. ``measure.idle_sockets`` starts a few of these; each reads its groups
(a channel and its members' tokens) as JSON on stdin and talks in JSON lines:

- it connects and joins every member of its groups, 50 at a time, for at most
  ``sign_in_within`` seconds, then prints ``{"connected": N, "refused": R, "late": L}`` and
  waits for a line on stdin;
- on that line, the first member of each group sends one message at a random moment of the
  first half of ``hold`` seconds, and every socket of the group waits for it to arrive;
- after ``hold`` seconds it prints the counts and every delivery latency, and closes.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
from typing import Any

from harness import raise_file_limit
from wsclient import LeanSocket

CONCURRENT_CONNECTS = 50


async def hold_sockets(
    port: int, groups: list[dict[str, Any]], hold: float, sign_in_within: float
) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:8]
    expected: dict[int, str] = {}  # channel -> body this run sends there
    sent_at: dict[int, float] = {}
    latencies: list[float] = []
    delivered = 0

    def on_event(name: str, data: Any, at: float) -> None:
        nonlocal delivered
        if name != "message" or not isinstance(data, dict):
            return
        channel = data.get("channel")
        if channel in sent_at and data.get("body") == expected.get(channel):
            delivered += 1
            latencies.append(at - sent_at[channel])

    members = [(group["channel"], token) for group in groups for token in group["tokens"]]
    sockets: dict[int, list[LeanSocket]] = {group["channel"]: [] for group in groups}
    refused = 0
    limit = asyncio.Semaphore(CONCURRENT_CONNECTS)

    async def open_one(channel: int, token: str) -> None:
        nonlocal refused
        async with limit:
            sock = LeanSocket(port, on_event)
            try:
                await sock.connect({"token": token}, timeout=120)
                answer = await sock.call("join", {"channel": channel, "after_seq": 1 << 30}, 120)
                if "error" in answer:
                    raise RuntimeError(answer)
                sockets[channel].append(sock)
            except Exception:
                refused += 1
                await sock.close()

    opening = [asyncio.create_task(open_one(channel, token)) for channel, token in members]
    _, late = await asyncio.wait(opening, timeout=sign_in_within)
    for task in late:  # not signed in within the allowed time: counted, not held
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    held = sum(len(each) for each in sockets.values())
    print(json.dumps({"connected": held, "refused": refused, "late": len(late)}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

    rng = random.Random(3)
    failures = 0

    async def send_one(channel: int, sender: LeanSocket) -> None:
        nonlocal failures
        await asyncio.sleep(rng.uniform(0, hold * 0.5))
        body = f"idle {run_id} {channel}"
        expected[channel] = body
        sent_at[channel] = time.perf_counter()
        try:
            answer = await sender.call(
                "send",
                {
                    "channel": channel,
                    "client_id": f"idle-{run_id}",
                    "body": body,
                    "handling_code": "H0",
                },
                hold,
            )
            if "seq" not in answer:
                raise RuntimeError(answer)
        except Exception:
            failures += 1

    await asyncio.gather(
        asyncio.sleep(hold),
        *(
            send_one(channel, held_sockets[0])
            for channel, held_sockets in sockets.items()
            if held_sockets
        ),
    )
    still_open = sum(1 for each in sockets.values() for sock in each if not sock.closed)
    await asyncio.gather(*(sock.close() for each in sockets.values() for sock in each))
    return {
        "held": held,
        "refused": refused,
        "still_open": still_open,
        "delivered": delivered,
        "sends": len(sent_at),
        "send_failures": failures,
        "latencies": latencies,
    }


def main() -> None:
    raise_file_limit()
    port, hold, sign_in_within = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    groups = json.loads(sys.stdin.readline())
    result = asyncio.run(hold_sockets(port, groups, hold, sign_in_within))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
