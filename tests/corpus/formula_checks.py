"""Spreadsheet formulas, read independently of libsanitize: HYPERLINK() calls whose target
is not a literal web, mail or in-document link (a file: URL or a UNC path leaks Windows
credentials when clicked; a computed target may be one)."""

import re

HYPERLINK_CALL = re.compile(r"(?i)(?<![\w.])(?:[\w.]+\.)?HYPERLINK\s*\(\s*")
SAFE_FIRST_ARGUMENT = re.compile(r'(?i)"\s*(?:https?://|mailto:|#)(?:[^"]|"")*"\s*[,;)]')


def _strings_masked(formula):
    """The formula with the inside of every "..." and '...' replaced by x, same length."""
    return re.sub(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'',
                  lambda m: m.group(0)[0] + "x" * (len(m.group(0)) - 2) + m.group(0)[-1], formula)


def unsafe_hyperlink_formula(formula):
    masked = _strings_masked(formula)
    return any(not SAFE_FIRST_ARGUMENT.match(formula, call.end())
               for call in HYPERLINK_CALL.finditer(masked))
