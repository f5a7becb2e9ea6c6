"""The grown deployment on loopback: gunicorn workers from deploy/ behind Debian's nginx.

The nginx site is deploy/nginx/arnet.conf itself, with only its addresses, ports and
certificate put in for this machine; the workers run deploy/gunicorn.conf.py.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import signal
import subprocess
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.system.harness import REPO, START_TIMEOUT, Site, free_port, wait_until

SITE_FILE = REPO / "deploy" / "nginx" / "arnet.conf"
GUNICORN = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "gunicorn"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as the site's TLS server needs."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"  # Nginx.certificate
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class GunicornWorker:
    """One worker process as deploy/systemd/arnet-web@.service starts it, in production mode."""

    def __init__(self, site: Site, name: str, public_url: str) -> None:
        self.site = site
        self.name = name
        self.port = free_port()
        self.public_url = public_url
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = site.workdir / f"{name}.log"

    def env(self) -> dict[str, str]:
        env = self.site.env(self.port)
        env.update(
            {
                "ARNET_ENV": "production",
                "ARNET_BIND": f"127.0.0.1:{self.port}",
                "ARNET_THREADS": "40",
                "ARNET_TRUSTED_PROXIES": "1",
                "ARNET_BASE_URL": self.public_url,
                "ARNET_ALLOWED_ORIGINS": self.public_url,
                "ARNET_INSTANCE_PATH": str(self.site.workdir / "instance"),
                "ARNET_PASSWORD_PROFILE": "CHEAPEST",
            }
        )
        return env

    def start(self) -> GunicornWorker:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "deploy/gunicorn.conf.py"],
                cwd=REPO,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._ready, START_TIMEOUT, f"worker {self.name}", step=0.2)
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"worker {self.name} exited:\n{self.log()}")
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).ok
        except requests.RequestException:
            return False

    def kill(self) -> None:
        """SIGKILL to gunicorn's master and worker at once: the machine is gone."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


MAIN_CONFIG = """\
{user}
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    log_format upstream '$request_id $upstream_addr $status $request_uri';
    access_log {root}/access.log upstream;
    include {root}/arnet.conf;
}}
"""


class Nginx:
    """Debian's nginx serving deploy/nginx/arnet.conf on loopback ports of its own."""

    def __init__(self, root: Path, worker_ports: list[int]) -> None:
        self.root = root
        self.port = free_port()
        self.plain_port = free_port()
        self.worker_ports = worker_ports
        self.process: subprocess.Popen[bytes] | None = None
        self.certificate = root / "cert.pem"  # what clients trust, written by start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def site(self, certificate: Path, key: Path) -> str:
        """The deployed site file with this machine's addresses; nothing else changed."""
        text = SITE_FILE.read_text()
        servers = "".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n"
            for port in self.worker_ports
        )
        text, count = re.subn(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, text)
        assert count == 1, "the site's upstream block changed shape"
        replacements = {
            "    listen 443 ssl;\n": f"    listen 127.0.0.1:{self.port} ssl;\n",
            "    listen 80;\n": f"    listen 127.0.0.1:{self.plain_port};\n",
            "    listen [::]:443 ssl;\n": "",
            "    listen [::]:80;\n": "",
            "/etc/ssl/arnet/fullchain.pem": str(certificate),
            "/etc/ssl/arnet/privkey.pem": str(key),
        }
        for old, new in replacements.items():
            assert old in text, f"the site file no longer has {old!r}"
            text = text.replace(old, new)
        return text

    def start(self) -> Nginx:
        certificate, key = self_signed(self.root)
        (self.root / "arnet.conf").write_text(self.site(certificate, key))
        user = "user root;" if os.geteuid() == 0 else ""
        (self.root / "nginx.conf").write_text(MAIN_CONFIG.format(root=self.root, user=user))
        test = subprocess.run(
            ["nginx", "-t", "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert test.returncode == 0, test.stderr
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._ready, START_TIMEOUT, "nginx", step=0.1)
        return self

    def _ready(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=1, verify=self.certificate).ok
        except requests.RequestException:
            return False

    def upstream_of(self, request_id: str) -> str:
        """Which worker (host:port) nginx sent a request to, from its access log."""
        for line in (self.root / "access.log").read_text().splitlines():
            if line.startswith(f"{request_id} "):
                return line.split()[1]
        raise AssertionError(f"request {request_id} is not in nginx's access log")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
