#!/usr/bin/python3
"""End-to-end tests of the spool gateway (`sanitize spool`) and `sanitize audit`.

    SANITIZE_BIN=build/service/cli/sanitize \
    SANITIZE_HOSTILE_WORKER=build/tests/sandbox/sandbox_hostile_worker \
    /usr/bin/python3 tests/spool/test_spool.py -v
"""

import csv
import grp
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spool_harness import HOSTILE_WORKER, SANITIZE, Spool, SyslogReceiver, wait_for  # noqa: E402

TEXT = b"Meeting notes\r\nThe budget is approved.\r\n"
CSV_WITH_FORMULA = b"item,amount\r\nrent,1200\r\n=1+1,3\r\n"


class SpoolTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="spool-test-")

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def test_files_are_delivered_blocked_and_audited(self):
        # The section's group: one other than ours when we may give files away (root).
        group = grp.getgrgid(os.getgid())
        if os.getuid() == 0:
            group = next((g for g in grp.getgrall() if g.gr_gid != os.getgid()), group)
        spool = Spool(self.folder, extra='notice_contact = "情報政策課 (内線 1234)"\n'
                                          '[sections.somu]\ndir_mode = "0770"\nfile_mode = "0660"\n'
                                          f'group = "{group.gr_name}"')
        spool.drop("somu/notes.txt", TEXT)
        spool.drop("somu/sub/table.csv", CSV_WITH_FORMULA)
        spool.drop("kikaku/program.pdf", b"\x7fELF" + os.urandom(200))
        spool.drop("kikaku/evil\u202etxt.exe", TEXT)
        spool.drop("root.txt", TEXT)
        self.assertEqual(spool.run_once().returncode, 0, spool.log())

        outbox = spool.files("outbox")
        self.assertEqual(outbox, sorted([
            "kikaku/evil_txt.exe.blocked.txt", "kikaku/program.pdf.blocked.txt",
            "root.txt", "somu/notes.txt", "somu/sub/table.csv"]))
        with open(spool.path("outbox", "somu/notes.txt"), "rb") as f:
            self.assertEqual(f.read(), TEXT)
        with open(spool.path("outbox", "somu/sub/table.csv"), "rb") as f:
            self.assertNotIn(b"\n=1+1", f.read())
        self.assertEqual(stat.S_IMODE(os.stat(spool.path("outbox", "somu")).st_mode), 0o770)
        self.assertEqual(stat.S_IMODE(os.stat(spool.path("outbox", "somu/notes.txt")).st_mode), 0o660)
        self.assertEqual(os.stat(spool.path("outbox", "somu")).st_gid, group.gr_gid)
        self.assertEqual(os.stat(spool.path("outbox", "somu/notes.txt")).st_gid, group.gr_gid)
        self.assertEqual(stat.S_IMODE(os.stat(spool.path("outbox", "kikaku")).st_mode), 0o750)
        with open(spool.path("outbox", "kikaku/program.pdf.blocked.txt"), encoding="utf-8-sig") as f:
            notice = f.read()
        self.assertIn("無害化できなかった", notice)
        self.assertIn("could not be sanitized", notice)
        self.assertIn("情報政策課 (内線 1234)", notice)
        self.assertEqual(spool.files("inbox"), [])
        self.assertEqual([n for n in os.listdir(spool.path("state", "gw1")) if n != "journal"], [])

        records = spool.audit_records()
        files = {r["input"]: r for r in records if r["event"] == "file"}
        self.assertEqual(len(files), 5)
        self.assertEqual(files["somu/notes.txt"]["verdict"], "clean")
        self.assertEqual(files["somu/notes.txt"]["section"], "somu")
        self.assertEqual(files["somu/notes.txt"]["owner"], "root" if os.getuid() == 0 else files["somu/notes.txt"]["owner"])
        self.assertEqual(files["somu/notes.txt"]["input_sha256"], hashlib.sha256(TEXT).hexdigest())
        self.assertEqual(files["somu/sub/table.csv"]["verdict"], "sanitized")
        self.assertEqual(files["somu/sub/table.csv"]["finding_kinds"], {"csv.formula": 1})
        blocked = files["kikaku/program.pdf"]
        self.assertEqual(blocked["verdict"], "blocked")
        quarantine = spool.path("quarantine", blocked["quarantine"])
        self.assertEqual(sorted(os.listdir(quarantine)), ["program.pdf", "report.json"])
        # The original of each delivered file is kept for the retention period.
        self.assertEqual(len(spool.files("originals")), 3)
        self.assertEqual([r["seq"] for r in records], list(range(1, len(records) + 1)))
        self.assertTrue(records[-1]["time"][-6] in "+-", records[-1]["time"])
        verified = spool.verify()
        self.assertEqual(verified.returncode, 0, verified.stdout)

        exported = subprocess.run([SANITIZE, "audit", "export", "--csv", spool.path("audit")],
                                  capture_output=True, check=True).stdout.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(exported)))
        self.assertEqual(len(rows), 5)
        self.assertEqual({r["verdict"] for r in rows}, {"clean", "sanitized", "blocked"})

    def test_editing_or_cutting_the_audit_log_is_reported(self):
        spool = Spool(self.folder)
        for i in range(15):
            spool.drop(f"f{i:02}.txt", TEXT + str(i).encode())
        self.assertEqual(spool.run_once().returncode, 0, spool.log())
        log = spool.path("audit", "gw1", "audit.jsonl")
        with open(log, "rb") as f:
            original = f.read()
        lines = original.splitlines(keepends=True)
        self.assertGreater(len(lines), 12)

        edited = lines[:]
        edited[5] = edited[5].replace(b'"verdict":"clean"', b'"verdict":"sanitized"')
        self.assertNotEqual(edited[5], lines[5])
        with open(log, "wb") as f:
            f.write(b"".join(edited))
        result = spool.verify()
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("record 6 was changed", result.stdout)

        with open(log, "wb") as f:
            f.write(b"".join(lines[:-10]))
        result = spool.verify()
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn("the last 10 record(s) were cut off", result.stdout)

        with open(log, "wb") as f:
            f.write(original)
        self.assertEqual(spool.verify().returncode, 0)

    def test_hostile_inbox_entries_are_never_read_through(self):
        spool = Spool(self.folder)
        os.makedirs(spool.path("inbox", "somu"))
        outside = os.path.join(self.folder, "outside-secret.txt")
        secret = b"TOP SECRET " + os.urandom(16).hex().encode()
        with open(outside, "wb") as f:
            f.write(secret)
        os.symlink("/etc/shadow", spool.path("inbox", "somu", "shadow.txt"))
        os.symlink(self.folder, spool.path("inbox", "linked-folder"))
        os.link(outside, spool.path("inbox", "somu", "hardlink.txt"))
        os.mkfifo(spool.path("inbox", "somu", "pipe.txt"))
        spool.start()
        try:
            self.assertTrue(wait_for(lambda: len(spool.files("outbox")) >= 4, 30), spool.log())
            # Still running, still serving.
            spool.drop("somu/after.txt", TEXT)
            self.assertTrue(wait_for(lambda: os.path.exists(spool.path("outbox", "somu", "after.txt")), 30),
                            spool.log())
            self.assertIsNone(spool.process.poll())
        finally:
            self.assertEqual(spool.stop(), 0)
        self.assertEqual(spool.files("outbox"), sorted([
            "linked-folder.blocked.txt", "somu/after.txt", "somu/hardlink.txt.blocked.txt",
            "somu/pipe.txt.blocked.txt", "somu/shadow.txt.blocked.txt"]))
        with open(outside, "rb") as f:
            self.assertEqual(f.read(), secret)
        self.assertEqual(os.stat(outside).st_nlink, 1)
        shadow = b""
        try:
            with open("/etc/shadow", "rb") as f:
                shadow = f.read()
        except OSError:
            pass
        for folder in ("outbox", "quarantine", "originals", "reports", "audit", "state"):
            for name in spool.files(folder):
                path = spool.path(folder, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    self.fail(f"{folder}/{name} is not a regular file")
                with open(path, "rb") as f:
                    data = f.read()
                self.assertNotIn(secret, data, name)
                if shadow:
                    self.assertNotIn(shadow[:40], data, name)
        records = {r["input"]: r for r in spool.audit_records() if r["event"] == "file"}
        self.assertEqual(records["somu/shadow.txt"]["verdict"], "refused")
        self.assertIn("symbolic link", records["somu/shadow.txt"]["block_detail"])
        self.assertIn("hard link", records["somu/hardlink.txt"]["block_detail"])
        self.assertIn("named pipe", records["somu/pipe.txt"]["block_detail"])
        self.assertIn("symbolic link", records["linked-folder"]["block_detail"])

    @unittest.skipUnless(HOSTILE_WORKER, "SANITIZE_HOSTILE_WORKER is not set")
    def test_a_file_that_crashes_or_hangs_its_worker_is_blocked_alone(self):
        spool = Spool(self.folder, extra="file_timeout_ms = 500")
        env = dict(os.environ, SANITIZE_WORKER=HOSTILE_WORKER)
        spool.drop("segfault.txt", TEXT)
        spool.drop("loop.txt", TEXT)
        spool.drop("garbage.txt", TEXT)
        # A worker that tries to read the gateway's signing key.
        spool.drop("readpath.txt", os.path.abspath(spool.key).encode())
        for i in range(6):
            spool.drop(f"good{i}.txt", TEXT)
        started = time.monotonic()
        self.assertEqual(spool.run_once(env=env).returncode, 0, spool.log())
        self.assertLess(time.monotonic() - started, 30)
        records = {r["input"]: r for r in spool.audit_records() if r["event"] == "file"}
        self.assertEqual(records["segfault.txt"]["block_reason"], "sandbox_failure")
        self.assertIn("SIGSEGV", records["segfault.txt"]["block_detail"])
        self.assertEqual(records["loop.txt"]["block_reason"], "timeout")
        self.assertEqual(records["garbage.txt"]["block_reason"], "sandbox_failure")
        self.assertEqual(records["readpath.txt"]["verdict"], "blocked")
        self.assertIn("failed", records["readpath.txt"]["block_detail"])
        for i in range(6):
            self.assertEqual(records[f"good{i}.txt"]["verdict"], "clean")
        with open(spool.key, "rb") as f:
            key = f.read()
        for name in spool.files("outbox"):
            with open(spool.path("outbox", name), "rb") as f:
                self.assertNotIn(key, f.read())
        with open(spool.path("state", "gw1.prom"), encoding="utf-8") as f:
            self.assertIn("sanitize_spool_sandbox_failures_total 4", f.read())

    def test_slow_writers_are_not_taken_half_written(self):
        spool = Spool(self.folder, settle_ms=500)
        spool.start()
        pieces = [os.urandom(1).hex().encode() * 2000 + b"\r\n" for _ in range(6)]
        try:
            target = spool.path("inbox", "slow.txt")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            for piece in pieces:
                # Each piece closes the file: close-write alone must not be taken for "done".
                with open(target, "ab") as f:
                    f.write(piece)
                time.sleep(0.25)
            # A writer using a temporary name, equally slow.
            with open(spool.path("inbox", "download.txt.part"), "wb") as f:
                for piece in pieces:
                    f.write(piece)
                    f.flush()
                    time.sleep(0.2)
            os.rename(spool.path("inbox", "download.txt.part"), spool.path("inbox", "download.txt"))
            self.assertTrue(wait_for(lambda: len(spool.files("outbox")) == 2, 30), spool.log())
        finally:
            self.assertEqual(spool.stop(), 0)
        for name in ("slow.txt", "download.txt"):
            with open(spool.path("outbox", name), "rb") as f:
                self.assertEqual(f.read(), b"".join(pieces), name)

    def test_names_are_made_safe_and_never_overwrite(self):
        spool = Spool(self.folder)
        spool.drop("a:b.txt", TEXT + b"1")
        spool.drop("a_b.txt", TEXT + b"2")
        spool.drop("CON.txt", TEXT)
        spool.drop("x" * 240 + ".txt", TEXT)
        os.makedirs(spool.path("outbox"), exist_ok=True)
        with open(spool.path("outbox", "taken.txt"), "wb") as f:
            f.write(b"already here")
        spool.drop("taken.txt", TEXT)
        self.assertEqual(spool.run_once().returncode, 0, spool.log())
        outbox = spool.files("outbox")
        self.assertIn("a_b.txt", outbox)
        self.assertIn("a_b (1).txt", outbox)
        self.assertIn("_CON.txt", outbox)
        self.assertIn("taken (1).txt", outbox)
        with open(spool.path("outbox", "taken.txt"), "rb") as f:
            self.assertEqual(f.read(), b"already here")
        self.assertTrue(all(len(name.encode()) <= 212 for name in outbox))
        contents = set()
        for name in ("a_b.txt", "a_b (1).txt"):
            with open(spool.path("outbox", name), "rb") as f:
                contents.add(f.read())
        self.assertEqual(contents, {TEXT + b"1", TEXT + b"2"})

    def test_sigterm_finishes_what_is_under_way_and_sighup_reloads(self):
        receiver = SyslogReceiver()
        try:
            spool = Spool(self.folder, syslog_target=receiver.target,
                          extra="[audit]\nhead_syslog_interval_ms = 200")
        except Exception:
            receiver.close()
            raise
        # [audit] given twice: the harness's own table comes later; rewrite the file whole.
        with open(spool.config, encoding="utf-8") as f:
            text = f.read().replace('[audit]\nhead_syslog_interval_ms = 200\n', "")
        text = text.replace("[audit]\n", "[audit]\nhead_syslog_interval_ms = 200\n")
        with open(spool.config, "w", encoding="utf-8") as f:
            f.write(text)
        # systemd's notification socket, played by the test.
        notify_path = os.path.join(self.folder, "notify")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        notify.settimeout(0.2)
        try:
            spool.start(env=dict(os.environ, NOTIFY_SOCKET=notify_path))
            self.assertTrue(wait_for(lambda: os.path.exists(spool.path("state", "gw1.prom")), 30))
            with open(spool.config, "a", encoding="utf-8") as f:
                f.write("[sections.extra]\nunknown_key = 1\n")
            spool.process.send_signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "reload refused" in spool.log(), 10), spool.log())
            with open(spool.config, "w", encoding="utf-8") as f:
                f.write(text)
            spool.process.send_signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "reloaded" in spool.log(), 10), spool.log())
            for i in range(20):
                spool.drop(f"f{i:02}.txt", TEXT)
            self.assertTrue(wait_for(lambda: len(os.listdir(spool.path("state", "gw1"))) > 1
                                     or len(spool.files("outbox")) > 0, 10))
            self.assertEqual(spool.stop(signal.SIGTERM), 0)
            messages = receiver.collect(0.5)
            notifications = []
            while True:
                try:
                    notifications.append(notify.recv(4096).decode())
                except socket.timeout:
                    break
        finally:
            spool.stop()
            receiver.close()
            notify.close()
        self.assertTrue(notifications[0].startswith("READY=1"), notifications)
        self.assertTrue(notifications[-1].startswith("STOPPING=1"), notifications)
        # Whatever was claimed was finished; nothing is left half-done in state/.
        self.assertEqual([n for n in os.listdir(spool.path("state", "gw1")) if n != "journal"], [])
        delivered = len(spool.files("outbox"))
        self.assertEqual(delivered + len(spool.files("inbox")), 20)
        events = [r["event"] for r in spool.audit_records()]
        self.assertEqual(events[0], "start")
        self.assertEqual(events[-1], "stop")
        reloads = [r for r in spool.audit_records() if r["event"] == "reload"]
        self.assertEqual([r["result"] for r in reloads], ["refused", "ok"])
        heads = [m for m in messages if " audit-head " in m]
        self.assertTrue(heads, messages[:5])
        head = json.loads(heads[-1].split(" - ", 1)[1])
        last = spool.audit_records()[-1]
        self.assertEqual(head["seq"], last["seq"])
        self.assertTrue(any(" log - " in m and "reload refused" in m for m in messages))

    def test_syslog_over_a_unix_socket(self):
        receiver = SyslogReceiver(unix_path=os.path.join(self.folder, "log.sock"))
        try:
            spool = Spool(self.folder, syslog_target=receiver.target)
            spool.drop("hello.txt", TEXT)
            self.assertEqual(spool.run_once().returncode, 0, spool.log())
            messages = receiver.collect(0.5)
        finally:
            receiver.close()
        self.assertTrue(any("hello.txt" in m for m in messages), messages[:5])
        self.assertTrue(any(" audit-head " in m for m in messages), messages[:5])

    def test_retention_purges_old_originals(self):
        spool = Spool(self.folder, extra="retention_days = 10")
        old = spool.path("originals", "2001-02-03")
        os.makedirs(old)
        with open(os.path.join(old, "x-old.txt"), "wb") as f:
            f.write(TEXT)
        spool.drop("new.txt", TEXT)
        self.assertEqual(spool.run_once().returncode, 0, spool.log())
        self.assertFalse(os.path.exists(old))
        self.assertEqual(len(spool.files("originals")), 1)
        purges = [r for r in spool.audit_records() if r["event"] == "purge"]
        self.assertEqual(purges[0]["originals_removed"], 1)

    @unittest.skipUnless(os.getuid() == 0 and shutil.which("setpriv"), "needs root to switch users")
    def test_runs_as_an_unprivileged_user(self):
        # The daemon has a user of its own (the systemd unit's sanitize); here nobody.
        spool = Spool(self.folder)
        spool.drop("a/notes.txt", TEXT)
        os.chmod(self.folder, 0o755)
        for current, dirs, files in os.walk(self.folder):
            for name in [current] + [os.path.join(current, n) for n in dirs + files]:
                os.chown(name, 65534, 65534)
        with open(spool.log_path, "ab") as log:
            result = subprocess.run(
                ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                 SANITIZE, "spool", "--config", spool.config, "--once"],
                stdout=log, stderr=log, timeout=120, check=False)
        self.assertEqual(result.returncode, 0, spool.log())
        delivered = spool.path("outbox", "a", "notes.txt")
        self.assertEqual(os.stat(delivered).st_uid, 65534)
        record = [r for r in spool.audit_records() if r["event"] == "file"][0]
        with open(spool.path("reports", record["report"]), encoding="utf-8") as f:
            sandbox = json.load(f)["sandbox"]
        self.assertIn("Landlock", sandbox)
        self.assertIn("seccomp", sandbox)

    def test_a_bad_configuration_is_a_usage_error(self):
        spool = Spool(self.folder, extra="no_such_key = 1")
        result = subprocess.run([SANITIZE, "spool", "--config", spool.config, "--once"],
                                capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, 64)
        self.assertIn("spool.no_such_key: unknown key", result.stderr)


if __name__ == "__main__":
    if not SANITIZE:
        print("SANITIZE_BIN is not set", file=sys.stderr)
        sys.exit(2)
    unittest.main()
