"""A spool folder, its configuration and the gateway daemon, for the spool tests.

Nothing here links libsanitize: the daemon is the `sanitize` program, its results are read
from the folders, the audit log and `sanitize audit verify`.
"""

import json
import os
import signal
import socket
import subprocess
import time

SANITIZE = os.environ.get("SANITIZE_BIN", "")
HOSTILE_WORKER = os.environ.get("SANITIZE_HOSTILE_WORKER", "")


class Spool:
    """A spool under `root` with a configuration file and an HMAC audit key."""

    def __init__(self, root, instance="gw1", settle_ms=100, workers=2, extra="", sandbox=True,
                 syslog_target="", key_file=None):
        self.root = root
        self.instance = instance
        os.makedirs(root, exist_ok=True)
        self.key = key_file or os.path.join(root, "audit.key")
        if not os.path.exists(self.key):
            with open(self.key, "wb") as f:
                f.write(os.urandom(48))
            os.chmod(self.key, 0o600)
        self.config = os.path.join(root, f"{instance}.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(
                f'[spool]\nroot = "spool"\ninstance = "{instance}"\nsettle_ms = {settle_ms}\n'
                f"rescan_ms = 500\nworkers = {workers}\n"
                f"{'' if 'min_free_bytes' in extra else 'min_free_bytes = 0'}\n"
                f"sandbox = {'true' if sandbox else 'false'}\nmetrics_interval_ms = 200\n"
                f'{extra}\n[audit]\nkey_file = "{os.path.basename(self.key)}"\n'
                f'[syslog]\ntarget = "{syslog_target}"\n'
            )
        self.process = None
        self.log_path = os.path.join(root, f"{instance}.log")

    def path(self, *parts):
        return os.path.join(self.root, "spool", *parts)

    def drop(self, relative, data):
        """Writes a file into the inbox the way a careful writer does: a temporary name,
        then a rename."""
        target = self.path("inbox", relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = target + ".part"
        with open(temporary, "wb") as f:
            f.write(data)
        os.rename(temporary, target)

    def start(self, env=None):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [SANITIZE, "spool", "--config", self.config],
            stdout=log, stderr=log, env=env, start_new_session=True)
        log.close()
        return self.process

    def run_once(self, env=None, timeout=300):
        with open(self.log_path, "ab") as log:
            return subprocess.run([SANITIZE, "spool", "--config", self.config, "--once"],
                                  stdout=log, stderr=log, env=env, timeout=timeout, check=False)

    def stop(self, sig=signal.SIGTERM, timeout=120):
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=timeout)
        self.process = None
        return code

    def kill(self):
        """SIGKILL to the daemon (its worker zygotes die with it: PR_SET_PDEATHSIG)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def files(self, folder):
        """Every file below spool/<folder>, relative, skipping nothing."""
        base = self.path(folder)
        found = []
        for current, _dirs, names in os.walk(base):
            for name in names:
                found.append(os.path.relpath(os.path.join(current, name), base))
        return sorted(found)

    def audit_records(self):
        records = []
        folder = self.path("audit", self.instance)
        names = sorted(n for n in os.listdir(folder) if n.startswith("audit-"))
        names.append("audit.jsonl")
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                records.extend(json.loads(line) for line in f if line.endswith("\n"))
        return records

    def verify(self):
        return subprocess.run([SANITIZE, "audit", "verify", self.path("audit"), "--key", self.key],
                              capture_output=True, text=True, check=False)


def wait_for(predicate, timeout=60, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class SyslogReceiver:
    """A local syslog server (the machine has no syslog daemon): a UDP socket on the
    loopback, or a unix datagram socket at `unix_path`, as /dev/log is."""

    def __init__(self, unix_path=None):
        if unix_path:
            self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.socket.bind(unix_path)
            self.target = f"unix:{unix_path}"
        else:
            self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.socket.bind(("127.0.0.1", 0))
            self.target = f"udp:127.0.0.1:{self.socket.getsockname()[1]}"
        self.socket.settimeout(0.2)
        self.messages = []

    def collect(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                data, _ = self.socket.recvfrom(65536)
                self.messages.append(data.decode("utf-8", "replace"))
            except socket.timeout:
                pass
        return self.messages

    def close(self):
        self.socket.close()
