"""``make bench``: every benchmark in one run, each figure beside a baseline from the same run.

Starts its own servers (gunicorn, one worker) on loopback against a fresh SQLite file and a
fresh PostgreSQL database, prints a table and writes bench/results/latest.md. Every process
it starts is stopped in ``finally``; the PostgreSQL database is dropped. Budget: 10 minutes.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import measure
from harness import (
    REPO,
    Person,
    Server,
    Site,
    cpu_model,
    postgres_available,
    raise_file_limit,
)

RESULTS = REPO / "bench" / "results" / "latest.md"
BUDGET_SECONDS = 600
QUICK = os.environ.get("BENCH_QUICK") == "1"
# The full size the issue asks for: 100,000 cases, 1,000,000 sealed messages and 50,000 open
# freezing orders (bench/bulk.py writes them with COPY or executemany in well under a
# minute). BENCH_QUICK=1 uses a fiftieth; BENCH_BULK="cases,messages,orders" sets any size.
FULL_SIZE = (100_000, 1_000_000, 50_000)
BULK = tuple(int(x) for x in os.environ.get(
    "BENCH_BULK", "2000,20000,10000" if QUICK else "100000,1000000,50000").split(","))

# The targets, each against a floor measured in the same run.
LATENCY_TARGET = "p50 ≤ echo p50 + 1 ms, p99 ≤ echo p99 + 2 ms"
QUERY_TARGET = "p99 ≤ 3× /healthz p99"
IDLE_TARGET = 10_000
# The idle-socket row signs in this many users at once, in cases of IDLE_GROUP members; one
# member of each case sends, so every socket is delivered one message.
IDLE_SOCKETS = 1_000 if QUICK else IDLE_TARGET
IDLE_GROUP = 10
# Signing in costs the server tens of milliseconds of CPU per socket today (a token check
# and an audited first use, each committed), so the row gives signing in a bounded time and
# counts who was not in by then: the run has a 10-minute budget.
IDLE_SIGN_IN_SECONDS = 30 if QUICK else 90

SEARCH_QUERIES = [
    # exact, prefix, misspelt, transliterated, other scripts, States, kinds, languages
    "Koné", "Kone", "Mohammed", "Muhammad", "Mohamed", "Jean-Pierre", "Jean Pierre", "Garcia",
    "García", "Gracia", "Okonkwo", "Okonkow", "Svensson", "Svenson", "Ouedraogo", "Ouédraogo",
    "Иван", "Ivan Petrov", "Petrov", "Петров", "Kuznetsova", "Кузнецова", "Nurlanov",
    "محمد", "Muhammad Abd Allah", "Haddad", "حداد", "王伟", "Wang Wei", "Li Na", "Zhang",
    "Cote d'Ivoire", "Côte d'Ivoire", "Кот-д’Ивуар", "Switzerland", "Suisse", "Schweiz",
    "financial intelligence", "asset recovery", "prosecutor", "virtual assets",
    "central authority", "Smith", "Smyth", "Tanaka", "Silva", "Rossi",
]


@dataclass
class Row:
    what: str
    engine: str
    figure: str
    baseline: str
    ratio: str
    target: str
    verdict: str


@dataclass
class Run:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.what} [{row.engine}]: {row.figure} | baseline {row.baseline} | "
              f"{row.ratio} | target {row.target} | {row.verdict}", flush=True)

    def failed(self, what: str, engine: str, target: str, error: BaseException) -> None:
        traceback.print_exception(error)
        self.add(Row(what, engine, "not measured", "-", "-", target,
                     f"NOT MEASURED: {type(error).__name__}: {' '.join(str(error).split())[:160]}"))


def verdict(value: float, limit: float, higher_is_better: bool = False) -> str:
    """'met', or 'missed by N%' (how far from the target, relative to it)."""
    ok = value >= limit if higher_is_better else value <= limit
    if ok:
        return "met"
    off = (limit - value) / limit if higher_is_better else (value - limit) / limit
    return f"missed by {off * 100:.0f}%"


def worst(*verdicts: str) -> str:
    missed = [each for each in verdicts if each != "met"]
    return "; ".join(missed) if missed else "met"


def in_parallel(*jobs: Callable[[], Any]) -> list[Any]:
    """Run set-up jobs side by side (process start-ups dominate); re-raise the first error."""
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def runner(index: int, job: Callable[[], Any]) -> None:
        try:
            results[index] = job()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(i, j)) for i, j in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


# --- set-up ----------------------------------------------------------------------------------


def people_of(made: dict[str, Any]) -> list[Person]:
    return [Person(p["user_id"], p["email"], p["token"], p["state"]) for p in made["people"]]


def open_channel(server: Server, opener: Person, counterparts: list[Person],
                 colleagues: list[Person]) -> int:
    """A case over REST: the opener's State asks the counterparts' State; colleagues join."""
    headers = opener.headers
    response = requests.post(f"{server.url}/api/v1/cases", headers=headers, timeout=60, json={
        "title": "Bench case", "summary": "Benchmark traffic", "reference": "BENCH-1",
        "requested_states": [counterparts[0].state],
        "counterparts": [each.user_id for each in counterparts]})
    if response.status_code != 201:
        raise RuntimeError(f"open case: {response.status_code} {response.text[:300]}")
    case = response.json()
    for colleague in colleagues:
        added = requests.post(f"{server.url}/api/v1/cases/{case['id']}/team", headers=headers,
                              json={"user": colleague.user_id}, timeout=60)
        if added.status_code != 201:
            raise RuntimeError(f"add team member: {added.status_code} {added.text[:300]}")
    return int(case["channels"][0]["id"])


# --- rows ------------------------------------------------------------------------------------


def latency_rows(run: Run, arnet: Server, echo: Server, engine: str, civ: list[Person],
                 che: list[Person]) -> dict[str, Any]:
    count = 100 if QUICK else 200
    results: dict[str, Any] = {}
    for members in (2, 10):
        half = members // 2
        channel = open_channel(arnet, civ[0], che[:half], civ[1:half])
        tokens = [p.token for p in civ[:half] + che[:half]]
        echo_result = measure.send_latency(echo, [None] * members, 900 + members, count, 20, 20)
        arnet_result = measure.send_latency(arnet, tokens, channel, count, 20, 30)
        results[members] = (arnet_result, echo_result)
        a, e = arnet_result["delivery_ms"], echo_result["delivery_ms"]
        run.add(Row(
            f"send → delivery, {members} members online (p50 / p99)", engine,
            f"{a['p50']:.2f} / {a['p99']:.2f} ms (n={a['n']}, errors {arnet_result['errors']})",
            f"echo {e['p50']:.2f} / {e['p99']:.2f} ms",
            f"echo +{a['p50'] - e['p50']:.2f} / +{a['p99'] - e['p99']:.2f} ms",
            LATENCY_TARGET,
            worst(verdict(a["p50"], e["p50"] + 1.0), verdict(a["p99"], e["p99"] + 2.0)),
        ))
    arnet10, echo10 = results[10]
    cpu, base = arnet10["cpu_per_delivery_us"], echo10["cpu_per_delivery_us"]
    run.add(Row(
        "server CPU per delivered message (10-member channel)", engine,
        f"{cpu:.0f} µs ({arnet10['cpu_per_message_us']:.0f} µs per message sent)",
        f"echo {base:.0f} µs", f"{cpu / max(base, 1e-9):.1f}× echo", "≤ 1.5× echo",
        verdict(cpu / max(base, 1e-9), 1.5),
    ))
    return {"cpu_per_message_us": arnet10["cpu_per_message_us"]}


def fanout_row(run: Run, arnet: Server, echo: Server, engine: str, civ: list[Person],
               che: list[Person]) -> None:
    count = 60 if QUICK else 100
    channel = open_channel(arnet, civ[0], che[:50], civ[1:50])
    tokens = [p.token for p in civ[:50] + che[:50]]
    echo_result = measure.send_latency(echo, [None] * 100, 1100, count, 10, 20)
    arnet_result = measure.send_latency(arnet, tokens, channel, count, 10, 30)
    a, e = arnet_result["delivery_ms"], echo_result["delivery_ms"]
    run.add(Row(
        "fan-out to 100 members online, until the last has it (p50 / p99)", engine,
        f"{a['p50']:.2f} / {a['p99']:.2f} ms (n={a['n']}, errors {arnet_result['errors']})",
        f"echo {e['p50']:.2f} / {e['p99']:.2f} ms", f"{a['p99'] / e['p99']:.2f}× echo (p99)",
        "p99 ≤ 1.2× echo", verdict(a["p99"] / e["p99"], 1.2),
    ))


def throughput_row(run: Run, arnet: Server, echo: Server, engine: str,
                   pairs: list[dict[str, Any]]) -> None:
    seconds = 5 if QUICK else 8
    result = measure.throughput(arnet, pairs, seconds, window=4)
    echo_pairs = [{"channel": 2000 + i, "a": {"token": ""}, "b": {"token": ""}}
                  for i in range(len(pairs))]
    baseline = measure.throughput(echo, echo_pairs, seconds, window=4)
    rate = result["per_second"]
    run.add(Row(
        f"sustained stored messages/s ({len(pairs) * 2} senders, 4 in flight each)", engine,
        f"{rate:.0f}/s (ack p50 {result['ack_ms']['p50']:.1f} ms, errors {result['errors']}; "
        f"{result['cpu_per_delivery_us']:.0f} µs CPU/delivery)",
        f"echo {baseline['per_second']:.0f}/s",
        f"{rate / baseline['per_second']:.2f}× echo", "≥ 0.5× echo, acknowledged after commit",
        verdict(rate / baseline["per_second"], 0.5, higher_is_better=True),
    ))


def idle_row(run: Run, arnet: Server, engine: str, groups: list[dict[str, Any]],
             hold: float) -> None:
    result = measure.idle_sockets(arnet, groups, hold, IDLE_SIGN_IN_SECONDS)
    delivered = result["delivered"]
    per_sign_in = result["connect_cpu_s"] / max(1, result["connected"]) * 1000
    run.add(Row(
        f"connected users: idle authenticated sockets signed in at once, each delivered one "
        f"message within {hold:.0f} s (cases of {IDLE_GROUP})", engine,
        f"{result['still_open']:,} of {result['wanted']:,} held, {delivered:,} delivered "
        f"(p50/p99 {result['delivery_ms']['p50']:.0f}/{result['delivery_ms']['p99']:.0f} ms); "
        f"{result['kib_per_connection']:.0f} KiB RSS per connection; "
        f"{result['connected']:,} signed in within {result['connect_seconds']:.0f} s "
        f"({result['late']:,} not yet; {per_sign_in:.1f} ms server CPU per sign-in and join); "
        f"{result['send_failures']} sends failed; "
        f"{result['cpu_share_of_one_core'] * 100:.0f}% of a core while held",
        f"RSS {result['rss_before_kib'] / 1024:.0f} MiB before → "
        f"{result['rss_connected_kib'] / 1024:.0f} MiB connected",
        "-", f"≥ {IDLE_TARGET:,} held and delivered, memory per connection reported",
        worst(verdict(result["still_open"], IDLE_TARGET, higher_is_better=True),
              verdict(delivered, IDLE_TARGET, higher_is_better=True)),
    ))


def rest_rows(run: Run, arnet: Server, engine: str, person: Person, channel: int) -> None:
    result = measure.rest_rows(arnet, person.token, channel, 100 if QUICK else 300)
    base = result["healthz"]
    for key, label in (("post", "REST: post a message"),
                       ("fetch50", "REST: fetch 50 messages after a seq")):
        figure = result[key]
        run.add(Row(
            f"{label} (p50 / p99)", engine,
            f"{figure['p50']:.2f} / {figure['p99']:.2f} ms (errors {figure['errors']})",
            f"/healthz {base['p50']:.2f} / {base['p99']:.2f} ms",
            f"{figure['p50'] / base['p50']:.1f}× / {figure['p99'] / base['p99']:.1f}× /healthz",
            "p50 and p99 ≤ 2× /healthz",
            worst(verdict(figure["p50"] / base["p50"], 2.0),
                  verdict(figure["p99"] / base["p99"], 2.0)),
        ))


def search_rows(run: Run, arnet: Server, engine: str, person: Person, people: int) -> None:
    result = measure.search_row(arnet, person.token, SEARCH_QUERIES, 2 if QUICK else 4)
    found = sum(1 for hits in result["hits"].values() if hits)
    base = result["baseline"]
    run.add(Row(
        f"directory search over HTTP, {people:,} focal points, {len(SEARCH_QUERIES)} mixed "
        f"queries (p50 / p99)", engine,
        f"{result['p50']:.2f} / {result['p99']:.2f} ms ({found}/{len(SEARCH_QUERIES)} queries "
        f"find something; errors {result['errors']})",
        f"/healthz {base['p50']:.2f} / {base['p99']:.2f} ms",
        f"{result['p99'] / base['p99']:.1f}× /healthz (p99)", QUERY_TARGET,
        verdict(result["p99"] / base["p99"], 3.0),
    ))
    run.notes.append(f"{engine}: search hits per query: " + ", ".join(
        f"{query} {hits}" for query, hits in result["hits"].items()))


def attachment_rows(run: Run, arnet: Server, engine: str, person: Person, channel: int,
                    workdir: Path) -> None:
    big = (256 if QUICK else 1024) * 2**20
    small_path, big_path = workdir / "small.bin", workdir / "big.bin"
    measure.make_file(small_path, 10 * 2**20)
    measure.make_file(big_path, big)
    copy_s = measure.plain_copy(big_path, workdir / "copy.bin")
    small = measure.transfer(arnet, person.token, channel, small_path, verify=True)
    large = measure.transfer(arnet, person.token, channel, big_path)
    copy_rate = big / copy_s / 2**20
    up, down = large["upload_mib_s"], large["download_mib_s"]
    label = f"{big // 2**20} MiB"
    run.add(Row(
        f"attachment upload / download, {label}, streaming encryption", engine,
        f"{up:.0f} / {down:.0f} MiB/s", f"plain file copy {copy_rate:.0f} MiB/s",
        f"{up / copy_rate:.2f}× / {down / copy_rate:.2f}× copy", "≥ 0.8× copy",
        worst(verdict(up / copy_rate, 0.8, True), verdict(down / copy_rate, 0.8, True)),
    ))
    growth_small = (small["peak_kib"] - small["rss_before_kib"]) / 1024
    growth_large = (large["peak_kib"] - large["rss_before_kib"]) / 1024
    difference = abs(growth_large - growth_small)
    run.add(Row(
        f"server peak RSS growth during transfer, 10 MiB vs {label}", engine,
        f"+{growth_small:.1f} MiB vs +{growth_large:.1f} MiB (peak {large['peak_kib'] / 1024:.0f}"
        f" MiB{'' if large['peak_reset'] else ', peak not resettable'})",
        "the 10 MiB transfer", f"{difference:.1f} MiB apart", "same ± 16 MiB",
        verdict(difference, 16.0),
    ))
    for path in (small_path, big_path):
        path.unlink(missing_ok=True)


def encryption_row(run: Run, engine: str, cpu_per_message_us: float) -> None:
    from network.crypto import open_sealed, record_aad, seal

    key = os.urandom(32)
    body = measure.body_of(1).encode()
    aad = record_aad("messages", "1/1", 1, 1, "body")
    rounds = 20000
    started = time.perf_counter()
    for _ in range(rounds):
        sealed = seal(key, body, aad)
    seal_us = (time.perf_counter() - started) / rounds * 1e6
    started = time.perf_counter()
    for _ in range(rounds):
        open_sealed(key, sealed, aad)
    open_us = (time.perf_counter() - started) / rounds * 1e6
    aes_us = seal_us + open_us
    share = aes_us / cpu_per_message_us
    run.add(Row(
        "encryption share: AES-GCM ÷ server CPU for a 10-member message", engine,
        f"{share * 100:.2f} % ({aes_us:.1f} µs seal+open of {len(body)} B)",
        f"server CPU {cpu_per_message_us:.0f} µs per message", "-", "≤ 1 %",
        verdict(share * 100, 1.0),
    ))


def query_rows(run: Run, arnet: Server, engine: str, person: Person,
               bulk: dict[str, Any]) -> None:
    """The member's case list, case pages (with stage history) and message pages."""
    session = requests.Session()
    session.headers.update(person.headers)
    base = f"{arnet.url}/api/v1"
    count = 100 if QUICK else 150
    case_ids, channel, last = bulk["case_ids"], bulk["long_channel"], bulk["long_count"]
    scale = f"{bulk['cases']:,} cases, {bulk['messages']:,} messages"
    floor = measure.timed_requests(lambda n: session.get(f"{arnet.url}/healthz"), count, 10)
    checks = (
        ("case list, newest first (page of 20 of the member's "
         f"{bulk['member_cases']:,})", lambda n: session.get(f"{base}/cases",
                                                             params={"page": 1 + n % 5})),
        ("one case with team and stage history",
         lambda n: session.get(f"{base}/cases/{case_ids[n % len(case_ids)]}")),
        (f"message page: 50 after a seq in a channel of {last:,}",
         lambda n: session.get(f"{base}/channels/{channel}/messages",
                               params={"after_seq": (n * 977) % max(1, last - 50),
                                       "limit": 50})),
        (f"deadlines: the member's expiries within 30 days and lapsed ones, among "
         f"{bulk['measures']:,} open freezing orders",
         lambda n: session.get(f"{base}/deadlines", params={"within_days": 30})),
    )
    for label, call in checks:
        result = measure.timed_requests(call, count, 10)
        run.add(Row(
            f"query over HTTP: {label} ({scale})", engine,
            f"{result['p50']:.2f} / {result['p99']:.2f} ms p50/p99 (errors {result['errors']})",
            f"/healthz {floor['p50']:.2f} / {floor['p99']:.2f} ms",
            f"{result['p99'] / floor['p99']:.1f}× /healthz (p99)", QUERY_TARGET,
            verdict(result["p99"] / floor["p99"], 3.0),
        ))



# --- the run ---------------------------------------------------------------------------------


def engine_rows(run: Run, site: Site, made: dict[str, Any], echo: Server, *,
                mode: str = "gthread", with_directory: bool = False, with_idle: bool = True,
                with_encryption: bool = False) -> None:
    """Every row on one engine with gunicorn's gthread worker; with ``mode="gevent"`` the
    rows that decide the server mode (latency, throughput and, if asked, idle sockets)."""
    full = mode == "gthread"
    engine = site.engine if full else f"{site.engine}, gevent"
    civ, che = people_of(made["people"]), people_of(made["people#2"])
    pairs = made["pairs"]["pairs"]
    threads = 300  # the 100-member fan-out and the throughput senders, one thread per socket
    arnet = Server(site, f"arnet-{site.engine}-{mode}", mode=mode, threads=threads).start()
    print(f"[{run.elapsed():.0f}s] {engine}: server up (gunicorn {mode}, 1 worker), "
          f"pid {arnet.pid}", flush=True)
    cpu_per_message = None
    try:
        cpu_per_message = latency_rows(run, arnet, echo, engine, civ, che)["cpu_per_message_us"]
    except Exception as error:
        run.failed("send → delivery", engine, LATENCY_TARGET, error)
    if full:
        try:
            fanout_row(run, arnet, echo, engine, civ, che)
        except Exception as error:
            run.failed("fan-out to 100 members", engine, "p99 ≤ 1.2× echo", error)
    try:
        throughput_row(run, arnet, echo, engine, pairs[:10])
    except Exception as error:
        run.failed("sustained stored messages/s", engine, "≥ 0.5× echo", error)
    rest_channel = 0
    if full:
        try:
            rest_channel = open_channel(arnet, civ[0], che[:1], [])
            rest_rows(run, arnet, engine, civ[0], rest_channel)
        except Exception as error:
            run.failed("REST post / fetch", engine, "p50 and p99 ≤ 2× /healthz", error)
        try:
            query_rows(run, arnet, engine, civ[0], made["bulk"])
        except Exception as error:
            run.failed("case, deadline and message queries", engine, QUERY_TARGET, error)
    if with_directory and made.get("directory_count"):
        try:
            search_rows(run, arnet, engine, civ[0], made["directory_count"])
        except Exception as error:
            run.failed("directory search", engine, QUERY_TARGET, error)
    if with_idle:
        try:
            idle_row(run, arnet, engine, made["network"]["groups"], hold=30)
        except Exception as error:
            run.failed("connected users", engine, f"≥ {IDLE_TARGET:,}", error)
    if full and rest_channel:
        try:
            attachment_rows(run, arnet, engine, civ[0], rest_channel, site.workdir)
        except Exception as error:
            run.failed("attachments", engine, "≥ 0.8× copy", error)
    if with_encryption and cpu_per_message:
        encryption_row(run, engine, cpu_per_message)
    arnet.stop()


def serialisation_row(run: Run, site: Site) -> None:
    """Read-decide-write steps on distinct records from 8 threads, beside a plain write."""
    out = site.run([sys.executable, str(Path(__file__).with_name("serialised_steps.py"))])
    figures = json.loads(out.strip().splitlines()[-1])
    steps, alone, floor = (
        figures["steps_per_s"], figures["one_thread_steps_per_s"], figures["floor_per_s"])
    run.add(Row(
        f"read-decide-write steps, {figures['threads']} officers on their own requests",
        site.engine,
        f"{steps:.0f} steps/s ({alone:.0f}/s for one officer alone)",
        f"{floor:.0f} plain committed writes/s",
        f"{steps / floor:.3f}×",
        "reported (what serialising costs)",
        "reported",
    ))


def prepare_site(site: Site, idle_sockets: int,
                 directory: tuple[int, int] | None) -> dict[str, Any]:
    steps: list[list[Any]] = [
        ["people", "civ", "CIV", 60], ["people", "che", "CHE", 60],
        ["pairs", "FRA", "DEU", 10],
        ["bulk", *BULK, "civ0@civ.bench.example", "che0@che.bench.example"],
    ]
    if idle_sockets:
        steps.append(["network", "idle", "FRA", "DEU", idle_sockets // IDLE_GROUP, IDLE_GROUP])
    directory_path = site.workdir / "directory.json"
    if directory:
        steps.append(["directory", str(directory_path), *directory])
    made = site.prepare(*steps)
    if directory:
        started = time.perf_counter()
        try:
            site.flask("network", "import-directory", str(directory_path))
        except Exception as error:
            site.notes.append(f"{site.engine}: directory import failed: {error!s:.300}")
            made["directory_count"] = 0
            return made
        made["directory_count"] = made["directory"]["focal_points"]
        site.notes.append(
            f"{site.engine}: directory of {made['directory']['states']} States × "
            f"{made['directory']['focal_points'] // made['directory']['states']} focal points "
            f"({made['directory']['focal_points']:,}) imported with `network import-directory` in "
            f"{time.perf_counter() - started:.0f} s")
    # One user through the documented CLI, to keep that path honest.
    site.cli_person(f"cli@{site.engine}.example", "Bench Cli", "practitioner", "CIV")
    return made


def write_results(run: Run, started_at: datetime) -> str:
    header = "| what | engine | figure | baseline (same run) | ratio | target | result |"
    lines = [header, "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {r.what} | {r.engine} | {r.figure} | {r.baseline} | {r.ratio} | {r.target} "
              f"| {r.verdict} |" for r in run.rows]
    machine = (f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"{platform.system()} {platform.release()}")
    text = "\n".join([
        "# ARNet benchmarks: latest run", "",
        f"- date: {started_at:%Y-%m-%d %H:%M} UTC; total {run.elapsed():.0f} s"
        f"{' (BENCH_QUICK=1: reduced counts)' if QUICK else ''}",
        f"- machine: {machine}",
        "- server: gunicorn, one worker, `-k gthread` (threading async mode, simple-websocket), "
        "and the same with `-k gevent` (gevent async mode) in the rows marked gevent; clients "
        "on the same machine; each echo baseline runs in the same mode as the row", "",
        *lines, "", "## Notes", "", *[f"- {note}" for note in run.notes], "",
    ])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    return text


def main() -> int:
    run = Run()
    started_at = datetime.now(UTC)
    load_at_start = os.getloadavg()[0]
    sites: list[Site] = []
    prepared: list[tuple[Site, dict[str, Any]]] = []
    raise_file_limit()  # servers and client processes inherit it: a socket is a descriptor
    directory = (200, int(os.environ.get("BENCH_DIRECTORY", "1000" if QUICK else "10000")))
    try:
        sqlite = Site("sqlite")
        sites.append(sqlite)
        postgres = Site("postgresql") if postgres_available() else None
        if postgres is not None:
            sites.append(postgres)
        else:
            run.notes.append("PostgreSQL at 127.0.0.1:5432 unreachable: PostgreSQL rows skipped")
        echoes = {mode: Server(sqlite, f"echo-{mode}", mode=mode, app="bench.echo_server:app",
                               threads=300) for mode in ("gthread", "gevent")}
        jobs: list[Callable[[], Any]] = [
            lambda: prepare_site(sqlite, IDLE_SOCKETS, directory),
            *(echo.start for echo in echoes.values()),
        ]
        if postgres is not None:
            jobs.append(lambda: prepare_site(postgres, 0, directory))
        print(f"[{run.elapsed():.0f}s] preparing sites and the echo servers", flush=True)
        made = in_parallel(*jobs)
        print(f"[{run.elapsed():.0f}s] ready", flush=True)
        prepared.append((sqlite, made[0]))
        if postgres is not None:
            prepared.append((postgres, made[-1]))
        passes = [(site, data, mode) for mode in ("gthread", "gevent") for site, data in prepared]
        for site, data, mode in passes:
            print(f"[{run.elapsed():.0f}s] {site.engine}, {mode}", flush=True)
            try:
                # Idle sockets on one engine (what a held socket costs does not depend on
                # the database) and in gevent mode only: the threading mode holds a thread
                # per WebSocket, so 10,000 sockets would need 10,000 threads.
                engine_rows(run, site, data, echoes[mode], mode=mode,
                            with_directory=mode == "gthread",
                            with_idle=site is sqlite and mode == "gevent",
                            with_encryption=site is sqlite and mode == "gthread")
            except Exception as error:
                run.failed(f"the {site.engine} rows ({mode})", site.engine, "-", error)
        for site in sites:
            try:
                serialisation_row(run, site)
            except Exception as error:
                run.failed("read-decide-write steps", site.engine, "reported", error)
    finally:
        for site in sites:
            run.notes += site.notes
            site.close()
    for site, data in prepared:
        seconds = data.get("step_seconds", {}).get("bulk", {})
        run.notes.append(
            f"{site.engine}: the query rows read {BULK[0]:,} cases, {BULK[1]:,} sealed messages "
            f"and {BULK[2]:,} open freezing orders"
            f"{'' if BULK == FULL_SIZE else ' (scaled down: BENCH_QUICK or BENCH_BULK)'}, "
            f"loaded within the run by bench/bulk.py in {seconds.get('wall', 0):.0f} s "
            f"({seconds.get('cpu', 0):.0f} s of the loader's CPU)")
    run.notes.append(
        f"idle sockets: {IDLE_SOCKETS:,} users signed in at once, held by "
        f"{measure.IDLE_CLIENT_PROCESSES} client processes (asyncio, one socket each), in the "
        "gevent mode only (the threading mode holds a thread per WebSocket)")
    run.notes.append(f"load average at start {load_at_start:.1f} (other work on the machine "
                     "shows in absolute figures; ratios to same-run baselines are steadier)")
    text = write_results(run, started_at)
    print()
    print(text)
    if run.elapsed() > BUDGET_SECONDS:
        print(f"warning: the run took {run.elapsed():.0f} s, over the {BUDGET_SECONDS} s budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
