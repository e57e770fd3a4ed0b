"""Slop creep across a session, on real repositories: each edit checked, recorded, and the session judged."""

from __future__ import annotations

import pytest

from xyguard.analyzers.context import get_context, invalidate
from xyguard.analyzers.pipeline import Workspace, check_edit
from xyguard.analyzers.session import SessionStore, record_request
from finding_codes import codes


class Session:
    """A user and an agent taking turns on a real repository: requests recorded, edits checked then committed."""

    def __init__(self, repo, sid="s"):
        self.repo, self.sid = repo, sid

    def ask(self, text):
        return record_request(self.repo.root, self.sid, text)

    def edit(self, files, request=None, commit=True):
        diff = self.propose(files)
        ws = Workspace(root=self.repo.root, context=get_context(self.repo.root), session=self.sid)
        report = check_edit(diff, ws, request=request)  # judged against the session's scope, and recorded in it
        found = [f for f in report.findings if f.code.startswith("SC")]
        if commit:
            self.repo.commit("agent edit", files)
            invalidate(self.repo.root)
        return found, diff, report

    def propose(self, files):
        self.repo.write(files)
        self.repo.git("add", "-A")
        diff = self.repo.git("diff", "--cached", "HEAD")
        self.repo.git("reset", "-q", "--hard", "HEAD")
        return diff

    @property
    def state(self):
        return SessionStore(self.repo.root).load(self.sid)


API = "\n\n".join(f"def {name}(value, strict=False):\n    return value" for name in ("fetch", "parse", "store", "load")) + "\n"


@pytest.fixture
def lib(repo):
    repo.commit("initial", {"pyproject.toml": '[project]\nname = "lib"\ndependencies = []\n',
                            "src/lib/__init__.py": "", "src/lib/api.py": API,
                            "src/lib/dates.py": "def parse_date(text):\n    return text.strip()\n",
                            "src/lib/billing.py": "def charge(amount):\n    return amount\n",
                            "src/lib/reports.py": "def total(rows):\n    return sum(rows)\n",
                            "src/lib/mailer.py": "def send(to, body):\n    return (to, body)\n"})
    return Session(repo)


def test_public_api_churn_accumulates_into_sc301_with_a_rising_trend(lib):
    lib.ask("Improve the error messages in api.py.")
    first, _, _ = lib.edit({"src/lib/api.py": API.replace("return value", "return value  # checked", 1)})
    assert codes(first) == []
    second, _, report = lib.edit({"src/lib/api.py": API.replace("def fetch(", "def fetch_url(")})
    assert "DR202" in codes(report.findings) and "SC301" not in codes(second)  # one break is not yet a trend
    current = API.replace("def fetch(", "def fetch_url(")
    third, _, _ = lib.edit({"src/lib/api.py": current.replace("def parse(value, strict=False)", "def parse(value)")})
    assert "SC301" in codes(third)
    sc301 = next(f for f in third if f.code == "SC301")
    assert "2 public API changes over 2 of 3 edits" in sc301.message and "rising" in sc301.message
    assert lib.state.edits[-1]["api_changes"] == 1


def test_files_outside_the_objectives_add_up_to_sc302(lib):
    lib.ask("Fix the whitespace handling in parse_date.")
    first, _, _ = lib.edit({"src/lib/dates.py": "def parse_date(text):\n    return text.strip().lower()\n",
                            "src/lib/billing.py": "def charge(amount):\n    return round(amount, 2)\n"})
    assert "SC302" not in codes(first)
    assert lib.state.edits[-1]["outside"] == ["src/lib/billing.py"]
    second, _, _ = lib.edit({"src/lib/reports.py": "def total(rows):\n    return sum(rows or [])\n",
                             "src/lib/mailer.py": "def send(to, body):\n    return (to.strip(), body)\n"})
    assert "SC302" in codes(second)
    f = next(f for f in second if f.code == "SC302")
    assert "3 files outside" in f.message
    assert all(p in f.evidence for p in ("billing.py", "reports.py", "mailer.py"))


def test_edits_that_stay_on_the_objectives_raise_nothing(lib):
    lib.ask("Fix the whitespace handling in parse_date and add a test for it.")
    found = []
    for body in ("text.strip()", "text.strip(' \\t')", "' '.join(text.split())"):
        f, _, _ = lib.edit({"src/lib/dates.py": f"def parse_date(text):\n    return {body}\n",
                            "tests/test_dates.py": f"from lib.dates import parse_date\n\n\ndef test_spaces():\n"
                                                   f"    assert parse_date(' a ') == 'a'  # {body}\n"})
        found += f
    assert found == []
    assert all(r["outside"] == [] for r in lib.state.edits)


BLOCK = """
def retry(call, attempts=3, delay=0.5):
    last_error = None
    for attempt in range(attempts):
        try:
            return call()
        except OSError as error:
            last_error = error
            wait_seconds = delay * (2 ** attempt)
            print('retrying in', wait_seconds)
    raise RuntimeError('gave up after retries') from last_error
"""


def test_pasted_code_across_edits_grows_into_sc303(lib):
    lib.ask("Add retries to the mailer, the billing client and the reports exporter.")
    first, _, _ = lib.edit({"src/lib/mailer.py": "def send(to, body):\n    return (to, body)\n" + BLOCK})
    assert "SC303" not in codes(first)
    second, _, _ = lib.edit({"src/lib/billing.py": "def charge(amount):\n    return amount\n" + BLOCK})
    assert "SC303" not in codes(second)  # 10 pasted lines: below the threshold
    third, _, _ = lib.edit({"src/lib/reports.py": "def total(rows):\n    return sum(rows)\n" + BLOCK})
    assert "SC303" in codes(third)
    assert lib.state.edits[-1]["duplicated"] >= 10


def test_rechecking_the_same_change_counts_once(lib):
    lib.ask("Add retries to the mailer.")
    files = {"src/lib/mailer.py": "def send(to, body):\n    return (to, body)\n" + BLOCK}
    for _ in range(3):
        found, _, _ = lib.edit(files, commit=False)
    assert found == []
    assert len(lib.state.edits) == 1 and lib.state.edits[0]["duplicated"] == 0


def _module(template: str) -> str:
    return "\n\n".join(f"def report_{i}(rows):\n" + "".join(template.format(i=i, j=j) for j in range(14)) +
                         "    return rows\n" for i in range(3))


def test_rewriting_the_same_file_again_and_again_is_sc304(lib):
    lib.ask("Fix a typo in the reports module.")
    lib.edit({"src/lib/reports.py": _module("    x{j} = rows[{j}] * {i}\n")})
    results = []
    for n in (1, 2):
        found, _, report = lib.edit({"src/lib/reports.py": _module("    y{j} = rows[{j}] + {i} * %d\n" % n)},
                                    request="fix a typo in the reports module")
        results.append(("DR204" in codes(report.findings), codes(found)))
    assert results[0][0] and "SC304" not in results[0][1]
    assert results[1][0] and "SC304" in results[1][1]
    assert lib.state.edits[-1]["rewritten"] == ["src/lib/reports.py"]


def test_a_new_dependency_breaks_the_sessions_requirement_sc305(lib):
    lib.ask("Add retries to fetch. No new dependencies.")
    found, _, report = lib.edit({
        "pyproject.toml": '[project]\nname = "lib"\ndependencies = ["tenacity>=8"]\n',
        "src/lib/api.py": "import tenacity\n\n" + API})
    assert {"DR205"} <= set(codes(report.findings))
    sc305 = [f for f in found if f.code == "SC305"]
    assert sc305 and all(f.severity == "error" for f in sc305)
    assert "turn 1" in sc305[0].message and "No new dependencies" in sc305[0].message
    assert sc305[0].path == "pyproject.toml" or any(f.path == "pyproject.toml" for f in sc305)


def test_path_rules_from_the_session_are_enforced_sc305(lib):
    lib.ask("Fix parse_date. Don't touch the billing module. Only change dates.py.")
    found, _, _ = lib.edit({"src/lib/dates.py": "def parse_date(text):\n    return text.strip() or None\n",
                            "src/lib/billing.py": "def charge(amount):\n    return abs(amount)\n",
                            "tests/test_dates.py": "def test_empty():\n    assert True\n"})
    flagged = {(f.path, f.related[0]["text"]) for f in found if f.code == "SC305"}
    assert flagged == {("src/lib/billing.py", "Don't touch the billing module"),
                       ("src/lib/billing.py", "Only change dates.py")}
    clean, _, _ = lib.edit({"src/lib/dates.py": "def parse_date(text):\n    return (text or '').strip()\n"})
    assert "SC305" not in codes(clean)
