#!/usr/bin/python3
"""End-to-end tests of the `sanitize` command line program.

Run with Debian's /usr/bin/python3; SANITIZE_BIN names the built program:
    SANITIZE_BIN=build/service/cli/sanitize /usr/bin/python3 tests/cli/test_cli.py -v

The inputs are made here: plain text (clean), a CSV with a formula cell (sanitized), random
bytes named .txt (unknown type), a program named .pdf and text named .vbs (both blocked).
"""

import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import tomllib
import unittest

SANITIZE = os.environ.get("SANITIZE_BIN", "")

EXIT_CLEAN = 0
EXIT_SANITIZED = 1
EXIT_BLOCKED = 2
EXIT_USAGE = 64

TEXT = b"Meeting notes\nThe budget is approved.\n"
CSV_WITH_FORMULA = b"item,amount\nrent,1200\n=1+1,3\n"
RENAME_POLICY = '[files]\nextension_mismatch = "rename"\n'


def run(*args, cwd=None, umask=None, stderr=subprocess.PIPE, env=None):
    """Runs the program; returns the CompletedProcess with text stdout and stderr."""
    return subprocess.run(
        [SANITIZE, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=stderr,
        encoding="utf-8",
        errors="replace",
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
        timeout=120,
        check=False,
    )


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def random_bytes(size=4096, seed=20240601):
    # Seeded: the same bytes every run, so that content detection always says the same.
    return random.Random(seed).randbytes(size)


def program_bytes():
    return read("/bin/true")


def listing(root):
    """Every path below root, relative, as a sorted list (folders end with '/')."""
    entries = []
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        for name in dirs:
            entries.append(os.path.normpath(os.path.join(rel, name)) + "/")
        for name in files:
            entries.append(os.path.normpath(os.path.join(rel, name)))
    return sorted(entries)


def temporary_files(root):
    return [p for p in listing(root) if os.path.basename(p).startswith(".sanitize-")]


def table_row(stdout, label):
    """The numbers of one row of the batch summary table."""
    for line in stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == label:
            return [int(n) for n in fields[1:5]]
    raise AssertionError(f"no row {label!r} in:\n{stdout}")


class CliTestCase(unittest.TestCase):
    def setUp(self):
        if not SANITIZE or not os.access(SANITIZE, os.X_OK):
            self.fail("SANITIZE_BIN must name the built sanitize program")
        self._tmp = tempfile.TemporaryDirectory(prefix="sanitize-cli-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def policy_file(self, text, name="policy.toml"):
        path = self.path(name)
        write(path, text.encode())
        return path

    def assertExit(self, result, code):
        self.assertEqual(
            result.returncode,
            code,
            f"exit status {result.returncode}, expected {code}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}",
        )


class UsageTest(CliTestCase):
    def test_help_documents_the_exit_codes(self):
        result = run("--help")
        self.assertExit(result, 0)
        for code in ("0", "1", "2", "64"):
            self.assertRegex(result.stdout, rf"(?m)^\s+{code}\s+\w")
        for command in ("file", "batch", "inspect", "policy"):
            self.assertIn(command, result.stdout)

    def test_version(self):
        result = run("--version")
        self.assertExit(result, 0)
        self.assertRegex(result.stdout, r"sanitize \d+\.\d+")

    def test_bad_arguments_are_usage_errors(self):
        self.assertExit(run(), EXIT_USAGE)
        self.assertExit(run("no-such-command"), EXIT_USAGE)
        self.assertExit(run("file"), EXIT_USAGE)
        self.assertExit(run("file", "--no-such-option", "a.txt"), EXIT_USAGE)
        self.assertExit(run("batch", self.tmp), EXIT_USAGE)
        self.assertExit(run("batch", self.tmp, self.path("out"), "--jobs", "0"), EXIT_USAGE)

    def test_missing_input_is_a_usage_error(self):
        missing = self.path("missing.txt")
        for command in ("file", "inspect"):
            result = run(command, missing)
            self.assertExit(result, EXIT_USAGE)
            self.assertIn(missing, result.stderr)
            self.assertIn("No such file", result.stderr)
        result = run("batch", self.path("missing"), self.path("out"))
        self.assertExit(result, EXIT_USAGE)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_input_that_is_not_a_regular_file(self):
        os.mkdir(self.path("folder"))
        result = run("file", self.path("folder"))
        self.assertExit(result, EXIT_USAGE)
        self.assertIn("directory", result.stderr)

    def test_input_symlink_is_not_followed(self):
        write(self.path("a.txt"), TEXT)
        os.symlink(self.path("a.txt"), self.path("link.txt"))
        result = run("file", self.path("link.txt"), "-o", self.path("out.txt"))
        self.assertExit(result, EXIT_USAGE)
        self.assertIn("symbolic link", result.stderr)
        self.assertFalse(os.path.exists(self.path("out.txt")))

    @unittest.skipIf(os.geteuid() == 0, "root reads files whatever their mode")
    def test_unreadable_input_is_a_usage_error(self):
        write(self.path("secret.txt"), TEXT)
        os.chmod(self.path("secret.txt"), 0)
        result = run("file", self.path("secret.txt"))
        self.assertExit(result, EXIT_USAGE)
        self.assertIn("Permission denied", result.stderr)

    def test_policy_with_an_unknown_key(self):
        write(self.path("a.txt"), TEXT)
        policy = self.policy_file("[limits]\nbogus_limit = 5\n")
        for args in (
            ("file", self.path("a.txt"), "-o", self.path("out.txt")),
            ("inspect", self.path("a.txt")),
            ("batch", self.tmp, self.path("out")),
            ("policy",),
        ):
            with self.subTest(command=args[0]):
                result = run(*args, "--policy", policy)
                self.assertExit(result, EXIT_USAGE)
                self.assertIn("bogus_limit", result.stderr)
                self.assertFalse(os.path.exists(self.path("out.txt")))
                self.assertFalse(os.path.exists(self.path("out")))

    def test_policy_naming_an_unknown_format(self):
        # Caught by the engine, not the policy parser: the message still names the key.
        policy = self.policy_file("[formats.no_such_format]\nenabled = false\n")
        result = run("policy", "--policy", policy)
        self.assertExit(result, EXIT_USAGE)
        self.assertIn("no_such_format", result.stderr)

    def test_unreadable_policy_file(self):
        result = run("policy", "--policy", self.path("missing.toml"))
        self.assertExit(result, EXIT_USAGE)
        self.assertIn("missing.toml", result.stderr)

    def test_policy_that_is_not_toml(self):
        policy = self.policy_file("[limits\nmax_depth = \n")
        result = run("policy", "--policy", policy)
        self.assertExit(result, EXIT_USAGE)
        self.assertIn("policy.toml", result.stderr)

    def test_output_folder_that_does_not_exist(self):
        write(self.path("a.txt"), TEXT)
        result = run("file", self.path("a.txt"), "-o", self.path("nowhere", "a.txt"))
        self.assertExit(result, EXIT_USAGE)
        self.assertIn("nowhere", result.stderr)
        result = run("file", self.path("a.txt"), "--report", self.path("nowhere", "r.json"))
        self.assertExit(result, EXIT_USAGE)


class FileTest(CliTestCase):
    def test_clean_text(self):
        write(self.path("a.txt"), TEXT)
        before = listing(self.tmp)
        result = run("file", self.path("a.txt"))
        self.assertExit(result, EXIT_CLEAN)
        self.assertIn("clean", result.stdout)
        self.assertIn("a.txt", result.stdout)
        self.assertIn("注記", result.stdout)
        self.assertEqual(listing(self.tmp), before, "without -o nothing is written")

    def test_csv_formula_is_sanitized(self):
        write(self.path("table.csv"), CSV_WITH_FORMULA)
        result = run("file", self.path("table.csv"), "-o", self.path("out.csv"))
        self.assertExit(result, EXIT_SANITIZED)
        self.assertIn("sanitized", result.stdout)
        self.assertNotEqual(read(self.path("out.csv")), CSV_WITH_FORMULA)

    def test_blocked_inputs(self):
        cases = {
            "x.txt": random_bytes(),  # unknown type
            "report.pdf": program_bytes(),  # a program
            "invoice.vbs": TEXT,  # text under a script's extension
        }
        for name, data in cases.items():
            with self.subTest(name=name):
                write(self.path(name), data)
                out = self.path("out-" + name)
                result = run("file", self.path(name), "-o", out)
                self.assertExit(result, EXIT_BLOCKED)
                self.assertIn("blocked", result.stdout)
                self.assertFalse(os.path.exists(out), "a blocked run writes no output")
        self.assertEqual(temporary_files(self.tmp), [])

    def test_output_is_written_atomically(self):
        write(self.path("in", "a.txt"), TEXT)
        os.mkdir(self.path("out"))
        result = run("file", self.path("in", "a.txt"), "-o", self.path("out", "b.txt"), umask=0o027)
        self.assertExit(result, EXIT_CLEAN)
        self.assertEqual(listing(self.path("out")), ["b.txt"], "no temporary file is left")
        self.assertEqual(read(self.path("out", "b.txt")), TEXT)
        mode = stat.S_IMODE(os.stat(self.path("out", "b.txt")).st_mode)
        self.assertEqual(mode, 0o640, "mode 0644 less the umask")

    def test_output_replaces_an_existing_file(self):
        write(self.path("a.txt"), TEXT)
        write(self.path("out.txt"), b"old")
        result = run("file", self.path("a.txt"), "-o", self.path("out.txt"))
        self.assertExit(result, EXIT_CLEAN)
        self.assertEqual(read(self.path("out.txt")), TEXT)
        self.assertEqual(temporary_files(self.tmp), [])

    def test_blocked_run_leaves_an_existing_output_alone(self):
        write(self.path("x.txt"), random_bytes())
        write(self.path("out.txt"), b"earlier result")
        write(self.path("unrelated.txt"), b"unrelated")
        result = run("file", self.path("x.txt"), "-o", self.path("out.txt"))
        self.assertExit(result, EXIT_BLOCKED)
        self.assertEqual(read(self.path("out.txt")), b"earlier result")
        self.assertEqual(read(self.path("unrelated.txt")), b"unrelated")
        self.assertEqual(listing(self.tmp), ["out.txt", "unrelated.txt", "x.txt"])

    def test_output_into_a_folder(self):
        write(self.path("in", "a.txt"), TEXT)
        os.mkdir(self.path("out"))
        result = run("file", self.path("in", "a.txt"), "-o", self.path("out"))
        self.assertExit(result, EXIT_CLEAN)
        self.assertEqual(listing(self.path("out")), ["a.txt"])
        self.assertEqual(read(self.path("out", "a.txt")), TEXT)

    def test_output_into_a_folder_takes_the_renamed_name(self):
        # Under extension_mismatch = "rename", text declared as .zzz is delivered with the
        # text type's extension appended: the folder gets the new name, not the input's.
        write(self.path("in", "notes.zzz"), TEXT)
        os.mkdir(self.path("out"))
        policy = self.policy_file(RENAME_POLICY)
        result = run(
            "file", self.path("in", "notes.zzz"), "-o", self.path("out"), "--policy", policy,
            "--json",
        )
        self.assertIn(result.returncode, (EXIT_CLEAN, EXIT_SANITIZED), result.stderr)
        output_name = json.loads(result.stdout)["output"]["name"]
        self.assertNotEqual(output_name, "notes.zzz")
        self.assertEqual(listing(self.path("out")), [output_name])

    def test_report_is_written_for_a_blocked_file(self):
        write(self.path("report.pdf"), program_bytes())
        report_path = self.path("reports", "r.json")
        os.mkdir(self.path("reports"))
        result = run("file", self.path("report.pdf"), "--report", report_path)
        self.assertExit(result, EXIT_BLOCKED)
        report = json.loads(read(report_path))
        self.assertEqual(report["verdict"], "blocked")
        self.assertEqual(report["name"], "report.pdf")
        self.assertTrue(report["block"]["reason"])
        self.assertEqual(listing(self.path("reports")), ["r.json"])

    def test_report_is_written_for_a_clean_file(self):
        write(self.path("a.txt"), TEXT)
        result = run("file", self.path("a.txt"), "-o", self.path("b.txt"), "--report",
                     self.path("r.json"))
        self.assertExit(result, EXIT_CLEAN)
        report = json.loads(read(self.path("r.json")))
        self.assertEqual(report["verdict"], "clean")
        self.assertEqual(report["output"]["name"], "a.txt")

    def test_json(self):
        write(self.path("sub", "a.txt"), TEXT)
        result = run("file", self.path("sub", "a.txt"), "--json")
        self.assertExit(result, EXIT_CLEAN)
        report = json.loads(result.stdout)
        self.assertEqual(report["verdict"], "clean")
        self.assertEqual(report["name"], "a.txt", "the declared name is the base name")
        self.assertIn("schema_version", report)

        write(self.path("x.txt"), random_bytes())
        result = run("file", self.path("x.txt"), "--json")
        self.assertExit(result, EXIT_BLOCKED)
        self.assertEqual(json.loads(result.stdout)["verdict"], "blocked")


class InspectTest(CliTestCase):
    def test_inspect_writes_nothing(self):
        write(self.path("a.txt"), TEXT)
        write(self.path("table.csv"), CSV_WITH_FORMULA)
        write(self.path("report.pdf"), program_bytes())
        before = listing(self.tmp)
        for name, code in (("a.txt", EXIT_CLEAN), ("table.csv", EXIT_SANITIZED),
                           ("report.pdf", EXIT_BLOCKED)):
            with self.subTest(name=name):
                result = run("inspect", self.path(name), cwd=self.tmp)
                self.assertExit(result, code)
                self.assertIn("verdict:", result.stdout)
        self.assertEqual(listing(self.tmp), before)

    def test_inspect_lists_the_findings(self):
        write(self.path("table.csv"), CSV_WITH_FORMULA)
        result = run("inspect", self.path("table.csv"), "--json")
        self.assertExit(result, EXIT_SANITIZED)
        report = json.loads(result.stdout)
        self.assertGreater(len(report["findings"]), 0)
        text = run("inspect", self.path("table.csv")).stdout
        for finding in report["findings"]:
            self.assertIn(finding["kind"], text)
            self.assertIn(finding["action"], text)


class SandboxTest(CliTestCase):
    def test_every_file_runs_in_a_worker_by_default(self):
        write(self.path("a.txt"), b"hello\r\n")
        result = run("file", self.path("a.txt"), "--json")
        self.assertExit(result, 0)
        self.assertTrue(json.loads(result.stdout)["sandbox"].startswith("worker: "))

    def test_no_sandbox_says_so(self):
        write(self.path("a.txt"), b"hello\r\n")
        result = run("file", self.path("a.txt"), "--json", "--no-sandbox")
        self.assertEqual(json.loads(result.stdout)["sandbox"], "none (--no-sandbox)")

    def test_refuses_to_run_without_a_sandbox(self):
        write(self.path("a.txt"), b"hello\r\n")
        broken = dict(os.environ, SANITIZE_WORKER="/nonexistent/worker")
        result = run("file", self.path("a.txt"), "-o", self.path("out.txt"), env=broken)
        self.assertExit(result, 64)
        self.assertIn("allow_unsandboxed", result.stderr)
        self.assertFalse(os.path.exists(self.path("out.txt")))

    def test_policy_may_allow_running_without_a_sandbox(self):
        write(self.path("a.txt"), b"hello\r\n")
        policy = self.policy_file("[sandbox]\nallow_unsandboxed = true\n")
        broken = dict(os.environ, SANITIZE_WORKER="/nonexistent/worker")
        result = run("file", self.path("a.txt"), "--policy", policy, "--json", env=broken)
        self.assertExit(result, 0)
        sandbox = json.loads(result.stdout)["sandbox"]
        self.assertTrue(sandbox.startswith("none: allowed by the policy"), sandbox)


class PolicyTest(CliTestCase):
    def test_prints_the_effective_policy_as_toml(self):
        result = run("policy")
        self.assertExit(result, 0)
        self.assertIn("[limits]", result.stdout)
        policy = tomllib.loads(result.stdout)
        self.assertIn("max_depth", policy["limits"])

    def test_policy_file_is_applied(self):
        policy = self.policy_file("[limits]\nmax_depth = 3\n")
        result = run("policy", "--policy", policy)
        self.assertExit(result, 0)
        self.assertEqual(tomllib.loads(result.stdout)["limits"]["max_depth"], 3)

    def test_printed_policy_can_be_read_back(self):
        printed = self.policy_file(run("policy").stdout, "printed.toml")
        result = run("policy", "--policy", printed)
        self.assertExit(result, 0)


class BatchTest(CliTestCase):
    def make_tree(self):
        """in/ with clean files in nested folders and three that are blocked."""
        files = {
            "a.txt": TEXT,
            "sub/b.txt": b"second\n",
            "sub/deep/c.txt": b"third\n",
            "sub/report.pdf": program_bytes(),
            "sub/deep/x.txt": random_bytes(),
            "invoice.vbs": TEXT,
        }
        for rel, data in files.items():
            write(self.path("in", rel), data)
        return files

    def test_nested_tree(self):
        files = self.make_tree()
        result = run("batch", self.path("in"), self.path("out"))
        self.assertExit(result, EXIT_BLOCKED)
        self.assertEqual(
            listing(self.path("out")),
            ["a.txt", "sub/", "sub/b.txt", "sub/deep/", "sub/deep/c.txt"],
        )
        for rel in ("a.txt", "sub/b.txt", "sub/deep/c.txt"):
            self.assertEqual(read(self.path("out", rel)), files[rel])
        self.assertEqual(table_row(result.stdout, "total"), [3, 0, 3, 6])
        for blocked in ("sub/report.pdf", "sub/deep/x.txt", "invoice.vbs"):
            self.assertIn(blocked, result.stdout)
        self.assertEqual(result.stderr, "", "no progress bar when stderr is not a terminal")

    def test_json(self):
        self.make_tree()
        result = run("batch", self.path("in"), self.path("out"), "--json")
        self.assertExit(result, EXIT_BLOCKED)
        document = json.loads(result.stdout)
        files = {f["input"]: f for f in document["files"]}
        self.assertEqual(
            sorted(files),
            sorted(["a.txt", "invoice.vbs", "sub/b.txt", "sub/deep/c.txt", "sub/deep/x.txt",
                    "sub/report.pdf"]),
        )
        self.assertEqual(files["sub/deep/c.txt"]["output"], "sub/deep/c.txt")
        self.assertEqual(files["sub/deep/c.txt"]["verdict"], "clean")
        self.assertIsNone(files["sub/deep/c.txt"]["block_reason"])
        self.assertIsNone(files["sub/report.pdf"]["output"])
        self.assertEqual(files["sub/report.pdf"]["verdict"], "blocked")
        self.assertTrue(files["sub/report.pdf"]["block_reason"])
        for entry in document["files"]:
            self.assertIsInstance(entry["findings"], int)
            self.assertIsInstance(entry["elapsed_ms"], (int, float))
            self.assertIn("detected_type", entry)
        total = document["summary"]["total"]
        self.assertEqual((total["clean"], total["sanitized"], total["blocked"], total["total"]),
                         (3, 0, 3, 6))

    def test_exit_code_is_the_worst_verdict(self):
        write(self.path("clean", "a.txt"), TEXT)
        write(self.path("clean", "sub", "b.txt"), TEXT)
        self.assertExit(run("batch", self.path("clean"), self.path("out1")), EXIT_CLEAN)
        write(self.path("mixed", "a.txt"), TEXT)
        write(self.path("mixed", "table.csv"), CSV_WITH_FORMULA)
        self.assertExit(run("batch", self.path("mixed"), self.path("out2")), EXIT_SANITIZED)
        write(self.path("mixed", "x.txt"), random_bytes())
        self.assertExit(run("batch", self.path("mixed"), self.path("out3")), EXIT_BLOCKED)

    def test_empty_folder(self):
        os.mkdir(self.path("in"))
        result = run("batch", self.path("in"), self.path("out"))
        self.assertExit(result, EXIT_CLEAN)
        self.assertEqual(table_row(result.stdout, "total"), [0, 0, 0, 0])

    def test_name_collisions_are_numbered_in_input_order(self):
        # Under extension_mismatch = "rename", notes.zzz is delivered as notes.zzz.<ext>,
        # the name notes.zzz.<ext> also wants when <ext> is the text type's extension.
        reports = self.path("reports")
        write(self.path("in", "notes.zzz"), b"first\n")
        probe = run("file", self.path("in", "notes.zzz"), "--json", "--policy",
                    self.policy_file(RENAME_POLICY))
        renamed = json.loads(probe.stdout)["output"]["name"]
        write(self.path("in", renamed), b"second\n")
        stem, extension = os.path.splitext(renamed)
        for jobs in ("1", "4"):
            with self.subTest(jobs=jobs):
                out = self.path("out" + jobs)
                result = run("batch", self.path("in"), out, "--json", "--jobs", jobs,
                             "--policy", self.policy_file(RENAME_POLICY), "--reports", reports)
                self.assertIn(result.returncode, (EXIT_CLEAN, EXIT_SANITIZED), result.stderr)
                outputs = {f["input"]: f["output"] for f in json.loads(result.stdout)["files"]}
                # "notes.zzz" sorts first and keeps the name.
                self.assertEqual(outputs, {"notes.zzz": renamed,
                                           renamed: f"{stem} (1){extension}"})
                self.assertEqual(read(os.path.join(out, renamed)), b"first\n")
                self.assertEqual(read(os.path.join(out, f"{stem} (1){extension}")), b"second\n")

    def test_existing_outputs_are_never_replaced(self):
        write(self.path("in", "a.txt"), TEXT)
        write(self.path("out", "a.txt"), b"from an earlier run")
        result = run("batch", self.path("in"), self.path("out"), "--json")
        self.assertExit(result, EXIT_CLEAN)
        self.assertEqual(json.loads(result.stdout)["files"][0]["output"], "a (1).txt")
        self.assertEqual(read(self.path("out", "a.txt")), b"from an earlier run")
        self.assertEqual(read(self.path("out", "a (1).txt")), TEXT)

    def test_symlinks_are_not_followed(self):
        write(self.path("outside", "secret.txt"), b"do not copy me\n")
        write(self.path("in", "a.txt"), TEXT)
        os.symlink(self.path("outside", "secret.txt"), self.path("in", "link.txt"))
        os.symlink(self.path("outside"), self.path("in", "linked-folder"))
        os.mkfifo(self.path("in", "pipe"))
        result = run("batch", self.path("in"), self.path("out"), "--json")
        self.assertExit(result, EXIT_CLEAN)
        document = json.loads(result.stdout)
        self.assertEqual([f["input"] for f in document["files"]], ["a.txt"])
        self.assertEqual(sorted(s["path"] for s in document["skipped"]),
                         ["link.txt", "linked-folder", "pipe"])
        self.assertFalse(any(s["unreadable"] for s in document["skipped"]))
        self.assertEqual(listing(self.path("out")), ["a.txt"])
        table = run("batch", self.path("in"), self.path("out2")).stdout
        self.assertIn("link.txt", table)
        self.assertIn("symbolic link", table)

    @unittest.skipIf(os.geteuid() == 0, "root reads folders whatever their mode")
    def test_unreadable_folder_counts_as_blocked(self):
        write(self.path("in", "a.txt"), TEXT)
        write(self.path("in", "locked", "b.txt"), TEXT)
        os.chmod(self.path("in", "locked"), 0)
        try:
            result = run("batch", self.path("in"), self.path("out"), "--json")
        finally:
            os.chmod(self.path("in", "locked"), 0o755)
        self.assertExit(result, EXIT_BLOCKED)
        skipped = json.loads(result.stdout)["skipped"]
        self.assertEqual([(s["path"], s["unreadable"]) for s in skipped], [("locked", True)])

    def test_reports(self):
        self.make_tree()
        reports = self.path("reports")
        result = run("batch", self.path("in"), self.path("out"), "--reports", reports)
        self.assertExit(result, EXIT_BLOCKED)
        self.assertEqual(
            [p for p in listing(reports) if not p.endswith("/")],
            sorted(["a.txt.report.json", "invoice.vbs.report.json", "sub/b.txt.report.json",
                    "sub/deep/c.txt.report.json", "sub/deep/x.txt.report.json",
                    "sub/report.pdf.report.json"]),
        )
        report = json.loads(read(os.path.join(reports, "sub/report.pdf.report.json")))
        self.assertEqual(report["name"], "sub/report.pdf", "reports show the relative path")
        self.assertEqual(report["verdict"], "blocked")

    def test_no_temporary_files_are_left(self):
        self.make_tree()
        run("batch", self.path("in"), self.path("out"), "--reports", self.path("reports"))
        self.assertEqual(temporary_files(self.path("out")), [])
        self.assertEqual(temporary_files(self.path("reports")), [])

    def test_parallel_runs_give_the_same_result(self):
        for i in range(40):
            write(self.path("in", f"d{i % 4}", f"f{i}.txt"), b"line %d\n" % i)
        write(self.path("in", "x.txt"), random_bytes())
        one = json.loads(run("batch", self.path("in"), self.path("o1"), "--json", "-j", "1").stdout)
        many = json.loads(run("batch", self.path("in"), self.path("o8"), "--json", "-j", "8").stdout)
        strip = lambda doc: [(f["input"], f["output"], f["verdict"]) for f in doc["files"]]
        self.assertEqual(strip(one), strip(many))
        self.assertEqual(listing(self.path("o1")), listing(self.path("o8")))

    def test_output_inside_input_is_refused(self):
        write(self.path("in", "a.txt"), TEXT)
        result = run("batch", self.path("in"), self.path("in", "out"))
        self.assertExit(result, EXIT_USAGE)
        self.assertFalse(os.path.exists(self.path("in", "out")))

    def test_progress_bar_on_a_terminal(self):
        import pty

        write(self.path("in", "a.txt"), TEXT)
        controller, terminal = pty.openpty()
        try:
            result = run("batch", self.path("in"), self.path("out"), stderr=terminal)
        finally:
            os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the terminal side is closed and drained
                break
            if not chunk:
                break
            shown += chunk
        os.close(controller)
        self.assertExit(result, EXIT_CLEAN)
        self.assertIn(b"1/1 files", shown)
        self.assertNotIn("1/1 files", result.stdout, "the bar stays off stdout")


if __name__ == "__main__":
    unittest.main(verbosity=2)
