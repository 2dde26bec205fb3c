#!/usr/bin/env python3
"""Keeps docs/ true: every finding kind, type, module option and limit the build declares
must be documented, and every documented finding kind must exist.

usage: check_docs.py SANITIZE_BIN DOCS_DIR
"""

import json
import re
import subprocess
import sys
from pathlib import Path


def main():
    binary, docs = sys.argv[1], Path(sys.argv[2])
    formats = json.loads(subprocess.run([binary, "formats", "--json"], check=True,
                                        capture_output=True).stdout)
    policy = subprocess.run([binary, "policy"], check=True, capture_output=True, text=True).stdout
    findings = (docs / "findings.md").read_text(encoding="utf-8")
    formats_doc = (docs / "formats.md").read_text(encoding="utf-8")
    policy_doc = (docs / "policy.md").read_text(encoding="utf-8")
    problems = []

    declared_kinds = {"file.extension_renamed"}
    for module in formats:
        for kind in module["finding_kinds"]:
            declared_kinds.add(kind["id"])
        for type_ in module["types"]:
            if f"`{type_['id']}`" not in formats_doc:
                problems.append(f"type {type_['id']} is not in docs/formats.md")
        for option in module["options"]:
            if f"`{option['key']}`" not in policy_doc:
                problems.append(f"option {module['name']}.{option['key']} is not in docs/policy.md")
    for kind in sorted(declared_kinds):
        if f"`{kind}`" not in findings:
            problems.append(f"finding kind {kind} is not in docs/findings.md")
    documented = set(re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", findings, re.M))
    for kind in sorted(documented - declared_kinds):
        problems.append(f"docs/findings.md documents {kind}, which the build does not declare")
    for limit in re.findall(r"^(\w+) = \d+", policy.split("[files]")[0], re.M):
        if f"`{limit}`" not in policy_doc:
            problems.append(f"limit {limit} is not in docs/policy.md")

    for problem in problems:
        print(problem)
    print(f"{len(problems)} documentation problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
