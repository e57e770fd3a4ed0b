"""The one registry of finding codes, modelled on ruff's rule registry.

Every code has a name, a default severity, a one-line summary, why it
matters, an example, and the module that implements it (so a newcomer goes
from a code to its check in one step). `xyguard rules` and docs/rules.md are
generated from this table; a test keeps them in sync.

Families: XY1xx request, DR2xx edits, SC3xx session.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import SEVERITIES, Finding


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    summary: str
    rationale: str
    example: str
    module: str  # dotted path under xyguard.analyzers

    @property
    def family(self) -> str:
        return {"XY": "request", "DR": "edit", "SC": "session"}[self.code[:2]]


_R = Rule
RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        # ---- XY1xx: the request -------------------------------------------------
        _R("XY101", "xy-pattern", "warning",
           "The request matches a well-known XY pattern: an attempted solution, not the goal.",
           "Answering the literal question entrenches a workaround (regex-parsing HTML, disabling TLS checks, "
           "adding sleeps) when the user's real goal has a better, standard answer.",
           "How do I get the last three characters of a filename?  (the goal is the file extension)",
           "request.xy_catalogue"),
        _R("XY102", "stated-hypothesis", "info",
           "The request proposes its own cause or fix; the symptom is the real problem.",
           "A guessed cause ('I think it's a missing __rand__', 'just add a sleep') may be wrong; fixing the guess "
           "can leave the symptom in place. Verify the hypothesis before implementing it.",
           "Tests fail randomly, I think we just need to add a sleep before the assert.",
           "request.hypotheses"),
        _R("XY103", "reinvents-existing", "warning",
           "The repository already provides what the request asks to build.",
           "Writing a second implementation of an existing helper duplicates logic and drifts from the original.",
           "Write a function to slugify titles.  (utils.text.slugify already exists)",
           "request.grounding"),
        _R("XY104", "unknown-reference", "warning",
           "The request names a symbol or file that resolves nowhere, and a real one is close (a likely typo).",
           "A misremembered name usually means the user means a nearby real one; guessing creates a new symbol "
           "beside the one they meant. Only code-shaped names in the request's prose count (not quoted code or "
           "tracebacks), and a name is unknown only when it is none of the repository's symbols, parameters, "
           "identifiers or files, no builtin, standard-library module or dependency. An unknown name that "
           "resembles nothing is probably new: a hint that never asks.",
           "Fix the bug in parse_confg()  (the repository has parse_config)",
           "request.grounding"),
        _R("XY105", "foreign-stack", "warning",
           "The request asks for a language, framework or dependency the repository does not use.",
           "Introducing a new stack for one task fragments the codebase; usually the user wants the job done in "
           "the stack they have.",
           "Add a Rust helper to compute checksums.  (the repository is pure Python)",
           "request.grounding"),
        _R("XY106", "history-conflict", "warning",
           "The request asks to bring back a dependency, module or API that a commit removed.",
           "The project already decided against it once; redoing it silently undoes that decision. Matched on the "
           "removed name itself (a removed dependency, or a code-shaped name still absent from the repository), "
           "never on ordinary words of a commit subject or on the project's own name.",
           "Use requests for the HTTP calls.  (commit a1b2c3 'replace requests with httpx')",
           "request.grounding"),
        _R("XY107", "session-conflict", "warning",
           "The request conflicts with a constraint stated earlier in the session.",
           "The newest message should not silently override an earlier requirement; the user may have forgotten it.",
           "Turn 1: 'keep the public API stable'.  Turn 4: 'rename fetch() to get()'.",
           "session.goal_state"),
        _R("XY110", "underspecified", "warning",
           "A piece of information the request's kind cannot do without is missing and cannot be recovered.",
           "Each kind of request needs its own pieces: a bug its place, what happens and a way to see it; a speed "
           "or clean-up goal its target and measure; a change what done looks like. Acting on a guess produces "
           "plausible code for the wrong task; one question about the most valuable missing piece costs less than "
           "a rewrite. The report's \"information\" block lists what was found and what is missing.",
           "Make the app faster.  (which operation, measured how, how fast is fast enough?)",
           "request.information"),
        _R("XY111", "vague-wording", "warning",
           "Vague quantifiers or open alternatives leave the behaviour undecided.",
           "'a certain rule', 'e.g. X or Y', 'ascending or descending' hand the decision to the assistant without "
           "saying so. Hedges ('appropriate', 'if necessary', 'in certain situations') are info: real "
           "specifications use them for details the implementer may settle.",
           "Return a certain element of the list (the shortest or longest or another).",
           "request.underspec"),
        _R("XY112", "inconsistent-examples", "warning",
           "The examples contradict the description or the function's own signature.",
           "When the prose and the examples disagree, any implementation is wrong for one of them. (Examples that "
           "call another name than the function are only noted, at info: the reader can usually tell.)",
           "'return the sum of the values' with the example total([2, 5]) == 10",
           "request.examples"),
        _R("XY113", "undefined-referent", "info",
           "The request refers to something it never identifies ('it', 'that function', 'the bug').",
           "Without the referent the assistant picks one; it is often not the one the user had in mind.",
           "Can you fix it so that it works again?",
           "request.underspec"),
        _R("XY114", "placeholder-name", "info",
           "A placeholder name (candidate, foo, func) stands where the real name or purpose should be.",
           "A function's name is part of its specification; a placeholder hides what it is for.",
           "def candidate(numbers): ...",
           "request.underspec"),
        _R("XY115", "contradictory-constraints", "warning",
           "Two constraints in the request cannot both hold.",
           "One of them will be broken; the user should choose which.",
           "Keep the function signature unchanged and add a required `timeout` parameter.",
           "request.underspec"),
        _R("XY116", "truncated-request", "warning",
           "The request appears to be cut off mid-sentence or lacks the behaviour it sets up.",
           "A truncated request is missing exactly the part that says what to do.",
           "Given a list of integers, return",
           "request.underspec"),
        _R("XY117", "missing-io-spec", "warning",
           "The function to write has no contract: no sentence says what it returns or does.",
           "The caller's expectations about results are the contract the code must meet. Examples are evidence, "
           "not a requirement: a stub whose docstring states its behaviour needs no example; one that only sets "
           "the scene, or only shows examples, leaves the rule to be guessed.",
           "def summarise(values): \"\"\"Look at the values.\"\"\"",
           "request.contract"),
        _R("XY120", "hidden-characters", "warning",
           "Invisible Unicode (tag characters, bidi controls, zero-width) was found and stripped.",
           "Hidden characters can smuggle instructions to a model or make code read differently from how it runs.",
           "'fix the bug\\u200b' or text carrying U+E0041 tag characters",
           "text.hidden"),
        # ---- DR2xx: the edit ----------------------------------------------------
        _R("DR201", "language-switch", "warning",
           "The change adds or replaces code in a language foreign to the repository or module "
           "(an error against a stated constraint: the request insists on the language, or names code the "
           "repository holds in it; information when the request asks for the new language).",
           "Users assume a fix stays in their language; a rewrite in another language is a different project.",
           "Replacing utils/parse.py with utils/parse.rs in a Python repository.",
           "edits.language"),
        _R("DR202", "public-api-break", "error",
           "A public function, class or parameter was removed, renamed or changed incompatibly "
           "(an error for a removal with no alias; a warning for a signature; information for a default or a type, "
           "for what the request states, for what the change documents (changelog, version notes) or deprecates "
           "with a warning, and for names added after the latest release tag).",
           "Callers outside the diff break; a fix rarely needs to change a public signature.",
           "def fetch(url, timeout=10) -> def fetch(url, *, timeout)",
           "edits.api_break"),
        _R("DR203", "scope-creep", "warning",
           "The change touches files or symbols the request neither names nor relates to.",
           "Unrequested edits are the hardest to review and the likeliest to break what the user assumed.",
           "Request 'fix the date parsing bug'; the diff also edits the billing module.",
           "edits.scope"),
        _R("DR204", "wholesale-rewrite", "warning",
           "Most of a function or file was rewritten for what the request calls a small fix.",
           "A rewrite hides the actual fix in noise and discards tested behaviour.",
           "A one-line bug fix that replaces 80 of 90 lines of parser.py.",
           "edits.rewrite"),
        _R("DR205", "new-dependency", "warning",
           "The change adds a dependency to a manifest (a development-only one is information).",
           "Each dependency is a long-term cost (security, install size, licences) the user did not ask to take on.",
           "+ requests>=2.31 in requirements.txt for a one-off HTTP call.",
           "edits.dependencies"),
        _R("DR206", "undeclared-import", "warning",
           "The change imports a third-party package the project does not declare.",
           "The code works on the author's machine and fails on a fresh install.",
           "+ import yaml  (PyYAML is not in pyproject.toml)",
           "edits.dependencies"),
        _R("DR207", "removed-dependency-returns", "warning",
           "The change brings back a dependency that an earlier commit deliberately removed.",
           "The project decided against it once; bringing it back silently undoes that decision.",
           "+ import simplejson  (commit 9f8e7d 'drop simplejson, use stdlib json')",
           "edits.dependencies"),
        _R("DR208", "test-removed", "warning",
           "Test functions or test files were deleted (not moved, renamed, merged, split or parametrised); "
           "information when the message says so, or when the tests go with code it removes on purpose "
           "(private helpers, a stated removal).",
           "Deleting a failing test makes the suite green without fixing anything.",
           "- def test_parse_empty(): ...",
           "edits.tests"),
        _R("DR209", "test-weakened", "warning",
           "Assertions were removed, skips or xfails added, or comparisons loosened (a skip where the platform or "
           "an optional module is missing is information).",
           "A weakened test stops guarding the behaviour the user relies on.",
           "+ @pytest.mark.skip  or  assert x == 3  ->  assert x",
           "edits.tests"),
        _R("DR210", "reintroduces-reverted", "warning",
           "The change re-adds lines or a symbol that a revert or removal commit took out.",
           "History records why it was removed; reintroducing it repeats a known mistake.",
           "+ def legacy_auth(): ...  (removed in 4c3b2a 'Revert \"add legacy auth\"')",
           "edits.reintroduced"),
        _R("DR211", "duplicated-code", "warning",
           "Added code repeats a block of product code that already exists in the repository "
           "(tests, tools, examples, generated files and data tables are not compared).",
           "Copy-paste is the commonest slop: two copies drift apart and bugs get fixed in one.",
           "A new 12-line retry loop identical (up to names) to net/retry.py:20-31.",
           "edits.duplication"),
        _R("DR212", "naming-drift", "info",
           "New names use a different style from the file and repository.",
           "Mixed naming styles signal code pasted from elsewhere and make the codebase harder to read.",
           "def getUserName():  in a snake_case Python module",
           "edits.convention_drift"),
        _R("DR213", "debug-output", "info",
           "The change adds debug prints or breakpoints.",
           "Leftover debugging output pollutes logs and stdout (which some protocols own).",
           "+ print('here', x)   + breakpoint()   + console.log(obj)",
           "edits.convention_drift"),
        _R("DR214", "commented-out-code", "info",
           "The change adds commented-out code.",
           "Dead code in comments confuses readers; version control already keeps the old lines.",
           "+ # result = old_compute(x)",
           "edits.convention_drift"),
        _R("DR215", "todo-spam", "info",
           "The change adds several TODO/FIXME markers.",
           "A pile of TODOs marks work left undone while the change claims to be finished.",
           "+ # TODO: handle errors  + # TODO: add tests  + # FIXME",
           "edits.convention_drift"),
        _R("DR216", "secret", "error",
           "The change adds what looks like a credential (API key, token, private key).",
           "A committed secret is leaked for good: history keeps it after the line is removed.",
           "+ OPENAI_API_KEY = 'sk-proj-...'",
           "edits.secret_leak"),
        _R("DR217", "formatting-churn", "info",
           "Lines were reformatted without a change in content in code the request did not touch.",
           "Whitespace churn buries the real change and causes merge conflicts.",
           "Re-indenting an untouched function while fixing another.",
           "edits.scope"),
        _R("DR220", "message-scope-mismatch", "warning",
           "The commit message describes a smaller change than the diff makes.",
           "The message is the stated intent; a change far beyond it is unreviewed scope.",
           "'fix typo' on a commit that rewrites a module.",
           "edits.message"),
        _R("DR221", "message-claim-unmet", "warning",
           "The commit message claims something the change does not do.",
           "A message that claims tests were added, or a function fixed, misleads reviewers when it is not so.",
           "'add tests for parser' on a commit that touches no test file.",
           "edits.message"),
        # ---- SC3xx: the session -------------------------------------------------
        _R("SC301", "api-churn", "warning",
           "Public API changes are accumulating across the session.",
           "Each turn's small break adds up; callers face many changes nobody asked for.",
           "Three turns each renamed or removed a public function.",
           "session.slop_creep"),
        _R("SC302", "objective-drift", "warning",
           "The session keeps touching files outside its stated objectives.",
           "Drift across turns means the agent is working on something other than what the user asked.",
           "Objective 'fix login'; turns 3-6 edited billing/ and reports/.",
           "session.slop_creep"),
        _R("SC303", "duplication-growth", "warning",
           "Duplicated lines are accumulating across the session.",
           "Slop creep: each turn pastes a little more instead of reusing what exists.",
           "120 duplicated lines added over 5 turns.",
           "session.slop_creep"),
        _R("SC304", "rewrite-churn", "warning",
           "Files are being rewritten repeatedly across the session.",
           "Repeated rewrites of the same code signal thrashing rather than progress.",
           "utils.py rewritten wholesale in turns 2, 4 and 5.",
           "session.slop_creep"),
        _R("SC305", "requirement-violated", "error",
           "The change violates a requirement stated earlier in the session.",
           "The user stated the constraint once and should not have to repeat it every turn.",
           "Turn 1: 'no new dependencies'.  Turn 3's diff adds requests to requirements.txt.",
           "session.slop_creep"),
    ]
}

assert all(r.severity in SEVERITIES for r in RULES.values())


class UnknownCode(KeyError):
    pass


def rule(code: str) -> Rule:
    try:
        return RULES[code]
    except KeyError:
        raise UnknownCode(code) from None


def make(code: str, message: str, **fields) -> Finding:
    """Build a Finding with the code's default severity (overridable via `severity=`)."""
    severity = fields.pop("severity", None) or rule(code).severity
    return Finding(code=code, severity=severity, message=message, **fields)


def matches(code: str, selector: str) -> bool:
    """ruff-style prefix selection: 'XY' matches XY101, 'DR20' matches DR201..DR209, 'ALL' everything."""
    selector = selector.strip().upper()
    return selector == "ALL" or code.startswith(selector)


def render_markdown() -> str:
    """The docs table (docs/rules.md) generated from the registry."""
    lines = [
        "# xyguard rules",
        "",
        "Generated from `analyzers/rules.py` by `xyguard rules --format markdown`; do not edit by hand.",
        "",
    ]
    for family, title in (("request", "Request (XY1xx)"), ("edit", "Edits (DR2xx)"), ("session", "Session (SC3xx)")):
        lines += [f"## {title}", "", "| Code | Name | Severity | Summary | Check |", "|---|---|---|---|---|"]
        for r in RULES.values():
            if r.family == family:
                lines.append(f"| {r.code} | {r.name} | {r.severity} | {r.summary} | `analyzers/{r.module.replace('.', '/')}.py` |")
        lines.append("")
        for r in RULES.values():
            if r.family == family:
                lines += [f"### {r.code} {r.name}", "", r.summary, "", f"**Why it matters.** {r.rationale}", "",
                          f"**Example.** {r.example}", ""]
    return "\n".join(lines)
