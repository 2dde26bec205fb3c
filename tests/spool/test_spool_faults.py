#!/usr/bin/python3
"""Fault tests of the spool gateway, for real: kill -9 at random moments, two daemons on one
spool, a file system that fills up. Every input must end exactly once in the outbox (or as a
notice, the original in quarantine), no outbox file partial, the audit chain valid.

    SANITIZE_BIN=build/service/cli/sanitize /usr/bin/python3 tests/spool/test_spool_faults.py -v

SANITIZE_SPOOL_FULL=1 runs the long tier: 1,000 kills over 20,000 files, two daemons over
10,000 files. The default tier (2,000 files and 20 kills; two daemons over 2,000 files)
keeps CI within its budget.
"""

import collections
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spool_harness import Spool, wait_for  # noqa: E402

FULL = os.environ.get("SANITIZE_SPOOL_FULL") == "1"
KILL_FILES, KILLS = (20000, 1000) if FULL else (2000, 20)
SHARED_FILES = 10000 if FULL else 2000


def content(i):
    return f"file {i}\r\n".encode() * (1 + i % 40)


class FaultTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="spool-faults-")
        self.random = random.Random(int(os.environ.get("SANITIZE_SPOOL_SEED", "6")))

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def check_exactly_once(self, spools, expected):
        """`expected`: input name -> bytes. Each is delivered once under its own name,
        whole; nothing else is in the outbox; each has one audit record."""
        spool = spools[0]
        outbox = spool.files("outbox")
        self.assertEqual([n for n in outbox if "/." in "/" + n], [], "temporary files left")
        self.assertEqual(sorted(outbox), sorted(expected), "lost or duplicated deliveries")
        for name in outbox:
            with open(spool.path("outbox", name), "rb") as f:
                self.assertEqual(f.read(), expected[name], f"{name} is partial or wrong")
        self.assertEqual(spool.files("inbox"), [])
        self.assertEqual(len(spool.files("originals")), len(expected))
        records = collections.Counter()
        for each in spools:
            for record in each.audit_records():
                if record["event"] == "file":
                    records[record["input"]] += 1
            leftover = [n for n in os.listdir(each.path("state", each.instance)) if n != "journal"]
            self.assertEqual(leftover, [])
            verified = each.verify()
            self.assertEqual(verified.returncode, 0, verified.stdout)
        self.assertEqual(set(records), set(expected))
        self.assertEqual(max(records.values()), 1, [n for n, c in records.items() if c > 1][:5])

    def test_kill_minus_nine_loses_and_duplicates_nothing(self):
        spool = Spool(self.folder, settle_ms=50, workers=2)
        expected = {}
        names = [f"s{i % 7}/d{i % 3}/f{i:05}.txt" for i in range(KILL_FILES)]
        chunks = [names[i::KILLS] for i in range(KILLS)]
        started = time.monotonic()
        for kill, chunk in enumerate(chunks):
            for name in chunk:
                spool.drop(name, content(int(name[-9:-4])))
                expected[name] = content(int(name[-9:-4]))
            spool.start()
            time.sleep(self.random.uniform(0.05, 0.5 if not FULL else 0.25))
            spool.kill()
        kill_phase = time.monotonic() - started
        delivered_while_killing = len(spool.files("outbox"))
        self.assertEqual(spool.run_once(timeout=600).returncode, 0, spool.log()[-3000:])
        print(f"\n  {KILLS} kills over {KILL_FILES} files in {kill_phase:.1f} s, "
              f"{delivered_while_killing} delivered before the last restart", file=sys.stderr)
        self.assertGreater(spool.log().count("recovery:"), 0)
        self.check_exactly_once([spool], expected)

    def test_two_daemons_share_one_spool(self):
        first = Spool(self.folder, instance="a", settle_ms=50, workers=1)
        second = Spool(self.folder, instance="b", settle_ms=50, workers=1, key_file=first.key)
        expected = {}
        for i in range(SHARED_FILES):
            name = f"s{i % 5}/f{i:05}.txt"
            first.drop(name, content(i))
            expected[name] = content(i)
        # Pairs whose safe names collide: "c:N.txt" and "c_N.txt" both want "c_N.txt".
        collisions = {}
        for i in range(0, SHARED_FILES, 50):
            first.drop(f"c/c:{i}.txt", b"colon " + content(i))
            first.drop(f"c/c_{i}.txt", b"underscore " + content(i))
            collisions[i] = {b"colon " + content(i), b"underscore " + content(i)}
        started = time.monotonic()
        first.start()
        second.start()
        total = SHARED_FILES + 2 * len(collisions)
        done = wait_for(lambda: len(first.files("outbox")) >= total and not first.files("inbox"),
                        timeout=900, interval=0.5)
        elapsed = time.monotonic() - started
        self.assertEqual(first.stop(), 0)
        self.assertEqual(second.stop(), 0)
        self.assertTrue(done, first.log()[-2000:] + second.log()[-2000:])
        print(f"\n  two daemons: {total} files in {elapsed:.1f} s", file=sys.stderr)
        per_instance = [sum(1 for r in s.audit_records() if r["event"] == "file") for s in (first, second)]
        self.assertGreater(min(per_instance), 0, per_instance)
        for i, contents in collisions.items():
            got = set()
            for name in (f"c/c_{i}.txt", f"c/c_{i} (1).txt"):
                with open(first.path("outbox", name), "rb") as f:
                    got.add(f.read())
                expected[name] = None
            self.assertEqual(got, contents)
        # The colliding pairs were checked above; the rest must match byte for byte.
        for name in [n for n, data in expected.items() if data is None]:
            with open(first.path("outbox", name), "rb") as f:
                expected[name] = f.read()
        inputs = {f"c/c:{i}.txt" for i in collisions} | {f"c/c_{i}.txt" for i in collisions}
        records = collections.Counter()
        for spool in (first, second):
            for record in spool.audit_records():
                if record["event"] == "file":
                    records[record["input"]] += 1
        self.assertEqual(sum(records[n] for n in inputs), len(inputs))
        self.assertEqual(set(first.files("outbox")), set(expected))
        for spool in (first, second):
            verified = spool.verify()
            self.assertEqual(verified.returncode, 0, verified.stdout)
        self.assertEqual(max(records.values()), 1)
        self.assertEqual(len(first.files("originals")), total)

    @unittest.skipUnless(os.getuid() == 0 and shutil.which("mount"), "needs root to mount a tmpfs")
    def test_a_full_file_system_delays_delivery_and_loses_nothing(self):
        mount_point = os.path.join(self.folder, "spool")
        os.makedirs(mount_point)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount_point],
                          capture_output=True, check=False).returncode != 0:
            self.skipTest("cannot mount a tmpfs here")
        spool = Spool(self.folder, settle_ms=50, workers=2, extra="min_free_bytes = 1048576")
        try:
            self.full_disk(spool)
        finally:
            spool.kill()
            subprocess.run(["umount", "-l", mount_point], check=False)

    def full_disk(self, spool):
        expected = {}
        for i in range(40):
            name = f"s{i % 2}/f{i:03}.txt"
            data = (f"line {i}\r\n".encode() * 3000)[:20000]
            spool.drop(name, data)
            expected[name] = data
        filler = spool.path("filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        # Room for a few files, not for all of them.
        os.truncate(filler, os.path.getsize(filler) - 160 * 1024)

        # Below the floor nothing is claimed.
        spool.start()
        self.assertTrue(wait_for(lambda: "below min_free_bytes" in spool.log(), 10), spool.log())
        time.sleep(0.5)
        self.assertEqual(len(spool.files("inbox")), 40)
        self.assertEqual(spool.stop(), 0)

        # Without a floor, writes fail for lack of space: the files wait, the daemon lives.
        with open(spool.config, encoding="utf-8") as f:
            text = f.read().replace("min_free_bytes = 1048576", "min_free_bytes = 0")
        with open(spool.config, "w", encoding="utf-8") as f:
            f.write(text)
        spool.start()
        self.assertTrue(wait_for(lambda: "will retry" in spool.log(), 20), spool.log())
        time.sleep(1)
        self.assertIsNone(spool.process.poll(), spool.log())
        self.assertLess(len(spool.files("outbox")), 40)
        os.remove(filler)
        self.assertTrue(wait_for(lambda: len(spool.files("outbox")) == 40, 60), spool.log()[-3000:])
        self.assertEqual(spool.stop(), 0)
        self.check_exactly_once([spool], expected)


if __name__ == "__main__":
    unittest.main()
