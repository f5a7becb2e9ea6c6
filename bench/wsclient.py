"""A lean asyncio Socket.IO client (Engine.IO 4 over a WebSocket, via wsproto) for many sockets.

python-socketio's client spends two or three threads per connection; a thousand idle
sockets, or a sender loop that must not be the bottleneck, need one event loop instead.
It speaks only what the benchmarks use: connect with ``auth``, events, acknowledgements,
and answering the server's pings. Loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

EventHandler = Callable[[str, Any, float], None]


class SocketClosed(ConnectionError):
    """The server closed the socket or refused the connection."""


class LeanSocket:
    """One Socket.IO connection on the default namespace."""

    def __init__(self, port: int, on_event: EventHandler | None = None) -> None:
        self.port = port
        self.on_event = on_event
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.next_ack = 0
        self.connected = asyncio.Event()
        self.closed = False
        self.refused: Any = None
        self.task: asyncio.Task[None] | None = None

    async def connect(self, auth: dict[str, Any] | None = None, timeout: float = 30) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        target = "/socket.io/?EIO=4&transport=websocket"
        self.writer.write(self.ws.send(Request(host=f"127.0.0.1:{self.port}", target=target)))
        self._auth = auth
        self.task = asyncio.create_task(self._read_loop())
        await asyncio.wait_for(self.connected.wait(), timeout)
        if self.refused is not None:
            raise SocketClosed(f"connection refused: {self.refused}")

    def _send_text(self, text: str) -> None:
        if self.writer is None or self.closed:
            raise SocketClosed("not connected")
        self.writer.write(self.ws.send(TextMessage(data=text)))

    async def call(self, event: str, data: Any, timeout: float = 30) -> Any:
        """Emit with an acknowledgement and wait for it."""
        return await asyncio.wait_for(self.call_nowait(event, data), timeout)

    def call_nowait(self, event: str, data: Any) -> asyncio.Future[Any]:
        ack_id = self.next_ack
        self.next_ack += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.acks[ack_id] = future
        self._send_text(f"42{ack_id}" + json.dumps([event, data], separators=(",", ":")))
        return future

    async def _read_loop(self) -> None:
        assert self.reader is not None
        try:
            while True:
                chunk = await self.reader.read(65536)
                if not chunk:
                    break
                self.ws.receive_data(chunk)
                for event in self.ws.events():
                    if isinstance(event, TextMessage):
                        self._packet(event.data)
                    elif isinstance(event, Ping):
                        self.writer.write(self.ws.send(event.response()))  # type: ignore[union-attr]
                    elif isinstance(event, CloseConnection | RejectConnection):
                        self.refused = self.refused or "closed"
                        return
                    elif isinstance(event, AcceptConnection):
                        pass
        except (ConnectionError, OSError):
            pass
        finally:
            self.closed = True
            self.connected.set()
            for future in self.acks.values():
                if not future.done():
                    future.set_exception(SocketClosed("socket closed"))

    def _packet(self, text: str) -> None:
        kind = text[:1]
        if kind == "0":  # Engine.IO open: now connect the Socket.IO namespace
            self._send_text("40" + (json.dumps(self._auth) if self._auth else ""))
        elif kind == "2":  # Engine.IO ping
            self._send_text("3")
        elif kind == "4":
            self._message(text[1:])

    def _message(self, text: str) -> None:
        kind, rest = text[:1], text[1:]
        if kind == "0":  # namespace connected
            self.connected.set()
        elif kind == "4":  # connect error
            self.refused = rest or "refused"
            self.connected.set()
        elif kind in {"2", "3"}:
            digits = 0
            while digits < len(rest) and rest[digits].isdigit():
                digits += 1
            ack_id = int(rest[:digits]) if digits else None
            payload = json.loads(rest[digits:])
            if kind == "3" and ack_id is not None:
                future = self.acks.pop(ack_id, None)
                if future is not None and not future.done():
                    future.set_result(payload[0] if payload else None)
            elif kind == "2" and self.on_event is not None:
                self.on_event(payload[0], payload[1] if len(payload) > 1 else None,
                              time.perf_counter())

    async def close(self) -> None:
        if self.writer is not None and not self.closed:
            with contextlib.suppress(Exception):
                self.writer.write(self.ws.send(CloseConnection(code=1000)))
                await self.writer.drain()
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.writer.wait_closed(), 2)
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task
