"""Sum pytest's junit XML reports into CI's closing line: `tests: N passed, M failed, K skipped`.

Exits 1 when no test passed, so a CI run that ran nothing cannot pass.
"""

import sys
import xml.etree.ElementTree as ElementTree


def main(paths: list[str]) -> int:
    tests = failed = skipped = 0
    for path in paths:
        root = ElementTree.parse(path).getroot()
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        for suite in suites:
            tests += int(suite.get("tests", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
    passed = tests - failed - skipped
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if passed > 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
