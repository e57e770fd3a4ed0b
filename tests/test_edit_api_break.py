"""DR202 public API break, with a repository and from a diff alone: analyzers/edits/api_break.py."""

from xyguard.analyzers.edits import check_edit

from edit_support import PY_BASE, check_worktree, of


def test_python_api_breaks_through_griffe(repo):
    repo.commit("base", PY_BASE)
    new_client = ("def fetch(url, *, timeout):\n    return url\n\n\ndef _helper(a):\n    return a\n\n\n"
                  "class Client:\n    def get(self, path):\n        return path\n")
    report = check_worktree(repo, {"pkg/client.py": new_client, "pkg/util.py": "def make_slug(s):\n    return s.lower()\n"},
                            request="fix the timeout handling")
    messages = " | ".join(f.message for f in of(report, "DR202"))
    assert "fetch(timeout)" in messages and "Client.get(retries)" in messages and "slug" in messages
    assert "_helper" not in messages  # private never counts
    # A removed object is what a reviewer blocks on; a changed signature is a warning to look at.
    severity = {f.evidence.rsplit(".", 1)[-1]: f.severity for f in of(report, "DR202")}
    assert severity["slug"] == "error" and severity["fetch"] == "warning" and severity["get"] == "warning"


def test_requested_rename_is_reported_at_info(repo):
    repo.commit("base", PY_BASE)
    report = check_worktree(repo, {"pkg/util.py": "def make_slug(s):\n    return s.lower()\n"},
                            request="Rename slug to make_slug")
    (f,) = of(report, "DR202")
    assert f.severity == "info" and "As stated" in f.message


def test_compatible_python_changes_are_not_breaks(repo):
    repo.commit("base", PY_BASE)
    new_client = PY_BASE["pkg/client.py"].replace("def fetch(url, timeout=10):", "def fetch(url, timeout=10, verify=True):")
    new_client = new_client.replace("        return path\n", "        return path.strip()\n")
    report = check_worktree(repo, {"pkg/client.py": new_client})
    assert of(report, "DR202") == []


def test_diff_only_python_signature_break():
    diff = ("diff --git a/lib/api.py b/lib/api.py\n--- a/lib/api.py\n+++ b/lib/api.py\n"
            "@@ -10,3 +10,3 @@ import os\n \n-def load(path, encoding='utf-8'):\n+def load(path, encoding):\n     return path\n")
    (f,) = of(check_edit(diff), "DR202")
    assert "load(encoding)" in f.message


def test_go_exported_function_change_via_tree_sitter(repo):
    base = {"go.mod": "module example.com/m\n\ngo 1.21\n",
            "m/m.go": "package m\n\nfunc Add(a int, b int) int { return a + b }\n\nfunc helper(x int) int { return x }\n"}
    repo.commit("base", base)
    report = check_worktree(repo, {"m/m.go": "package m\n\nfunc Add(a int) int { return a }\n\nfunc helper() int { return 1 }\n"})
    (f,) = of(report, "DR202")
    assert "Add" in f.message and "helper" not in f.message


def test_typescript_removed_export(repo):
    repo.commit("base", {"src/a.ts": "export function parse(s: string): number { return 1 }\nexport const X = 1\n",
                         "package.json": "{\"name\": \"a\"}\n"})
    report = check_worktree(repo, {"src/a.ts": "export const X = 1\n"})
    assert any("parse" in f.message for f in of(report, "DR202"))


def test_only_added_definitions_break_nothing_but_a_redefinition_does(repo):
    repo.commit("base", PY_BASE)
    client = PY_BASE["pkg/client.py"]
    helper = "\n\ndef _describe(value, limit=40):\n    return repr(value)[:limit]\n\n\ndef fetch_all(urls):\n    return urls\n"
    assert of(check_worktree(repo, {"pkg/client.py": client + helper}), "DR202") == []
    # Lines only added, yet the module's `fetch` now takes no timeout: a later def replaces the earlier one.
    shadow = client + "\n\ndef fetch(url):\n    return url\n"
    (f,) = of(check_worktree(repo, {"pkg/client.py": shadow}), "DR202")
    assert "fetch(timeout)" in f.message


def test_the_projects_task_runner_at_its_root_is_not_api_but_a_tasks_module_in_a_package_is(repo):
    tasks = "def docs_deploy(force=False):\n    return force\n\n\ndef test(match=''):\n    return match\n"
    repo.commit("base", {"duties.py": tasks, "app/__init__.py": "", "app/tasks.py": tasks})
    shorter = "def docs_deploy():\n    return True\n\n\ndef test():\n    return ''\n"
    report = check_worktree(repo, {"duties.py": shorter, "app/tasks.py": shorter}, request="chore: template upgrade")
    assert {f.path for f in of(report, "DR202")} == {"app/tasks.py"}


DEPRECATING = '''import warnings


def fetch(url):
    return url


def get(url):
    """.. deprecated:: 2.0 Use fetch."""
    warnings.warn("get() is deprecated, use fetch()", DeprecationWarning, stacklevel=2)
    return fetch(url)


def post(url, data=None):
    return url
'''


def test_removing_what_the_code_marked_deprecated_is_the_stated_removal_of_deprecated_code(repo):
    compat = ("import warnings\n\n\ndef __getattr__(name):\n"
              "    warnings.warn('app.compat is deprecated', DeprecationWarning)\n"
              "    return getattr(__import__('app.http'), name)\n")
    repo.commit("base", {"app/__init__.py": "", "app/http.py": DEPRECATING, "app/compat.py": compat})
    without_get = DEPRECATING.replace(DEPRECATING[DEPRECATING.index("def get"):DEPRECATING.index("def post")], "")
    report = check_worktree(repo, {"app/http.py": without_get, "app/compat.py": None},
                            request="Remove deprecated code before 3.0")
    assert sorted(f.severity for f in of(report, "DR202")) == ["info", "info"]
    # The same removals under another message, or a removal of what was never deprecated, stay breaks.
    report = check_worktree(repo, {"app/http.py": without_get, "app/compat.py": None}, request="Faster fetches")
    assert sorted(f.severity for f in of(report, "DR202")) == ["error", "error"]
    no_post = DEPRECATING[:DEPRECATING.index("def post")].rstrip() + "\n"
    report = check_worktree(repo, {"app/http.py": no_post, "app/compat.py": compat},
                            request="Remove deprecated code before 3.0")
    assert [f.severity for f in of(report, "DR202")] == ["error"]


# ---- changes callers cannot see, or that the change itself manages or documents ------------------------------

JOIN = "def safe_join(directory, *pathnames):\n    return directory\n\n\ndef split(path, sep='/'):\n    return path\n"


def test_renaming_a_variadic_parameter_breaks_no_caller(repo):
    repo.commit("base", {"pkg/__init__.py": "", "pkg/paths.py": JOIN})
    renamed = JOIN.replace("*pathnames", "*untrusted")
    assert of(check_worktree(repo, {"pkg/paths.py": renamed}, request="Harden joins"), "DR202") == []
    keyword_renamed = JOIN.replace("sep='/'", "separator='/'")
    assert of(check_worktree(repo, {"pkg/paths.py": keyword_renamed}, request="Harden joins"), "DR202")


def test_a_signature_change_the_change_deprecates_with_a_warning_is_information(repo):
    old = "def parse(stream, cls=None, silent=True):\n    return stream\n"
    repo.commit("base", {"pkg/__init__.py": "", "pkg/forms.py": old})
    managed = ("import warnings\n\n\ndef parse(stream, silent=True, **kwargs):\n    if 'cls' in kwargs:\n"
               "        warnings.warn(\"'cls' is deprecated\", DeprecationWarning, stacklevel=2)\n    return stream\n")
    findings = of(check_worktree(repo, {"pkg/forms.py": managed}, request="Simplify parsing"), "DR202")
    assert findings and {f.severity for f in findings} == {"info"}
    silent = "def parse(stream, silent=True, **kwargs):\n    return stream\n"
    assert "warning" in {f.severity for f in of(check_worktree(repo, {"pkg/forms.py": silent},
                                                                request="Simplify parsing"), "DR202")}


def test_a_removal_the_change_documents_in_its_changelog_is_information(repo):
    repo.commit("base", {**PY_BASE, "CHANGES.rst": "Version 1.0\n-----------\n\n- First release.\n"})
    changes = "Unreleased\n----------\n\n- The private ``slug`` helper is removed.\n\nVersion 1.0\n-----------\n\n- First release.\n"
    (f,) = of(check_worktree(repo, {"pkg/util.py": "", "CHANGES.rst": changes}, request="Use python-slugify"), "DR202")
    assert f.severity == "info" and "documents" in f.message
    other = changes.replace("``slug``", "``fetch``")
    (f,) = of(check_worktree(repo, {"pkg/util.py": "", "CHANGES.rst": other}, request="Use python-slugify"), "DR202")
    assert f.severity == "error"


def test_parameters_of_plugin_hooks_and_special_methods_are_not_positional_api(repo):
    hooks = ("import pluggy\n\nhookimpl = pluggy.HookimplMarker('lsp')\n\n\n@hookimpl\ndef lsp_definitions(config, document):\n"
             "    return document\n\n\ndef definitions(config, document):\n    return document\n\n\n"
             "class Undefined:\n    def __getattr__(self, _):\n        return self\n")
    repo.commit("base", {"pkg/__init__.py": "", "pkg/hooks.py": hooks})
    changed = hooks.replace("def lsp_definitions(config, document)", "def lsp_definitions(config, workspace, document)") \
        .replace("def __getattr__(self, _)", "def __getattr__(self, name)")
    assert of(check_worktree(repo, {"pkg/hooks.py": changed}, request="Report progress"), "DR202") == []
    plain = hooks.replace("def definitions(config, document)", "def definitions(config, workspace, document)")
    assert of(check_worktree(repo, {"pkg/hooks.py": plain}, request="Report progress"), "DR202")


def test_a_modules_logger_is_not_api(repo):
    loop = "import asyncio\nimport logging\n\nlogger = logging.getLogger(__name__)\nDEFAULT_LOOP = 'auto'\n\n\n" \
           "def setup_loop():\n    logger.debug('loop')\n    return asyncio.new_event_loop()\n"
    repo.commit("base", {"pkg/__init__.py": "", "pkg/loops.py": loop})
    quiet = loop.replace("logger = logging.getLogger(__name__)\n", "").replace("    logger.debug('loop')\n", "")
    assert of(check_worktree(repo, {"pkg/loops.py": quiet}, request="Support custom loops"), "DR202") == []
    (f,) = of(check_worktree(repo, {"pkg/loops.py": quiet.replace("DEFAULT_LOOP = 'auto'\n", "")},
                             request="Support custom loops"), "DR202")
    assert "DEFAULT_LOOP" in f.message


def test_a_value_the_message_passes_through_is_a_stated_parameter_change(repo):
    app = ("class App:\n    def handle_exception(self, e):\n        return e\n\n    def update_template_context(self, context):\n"
           "        return context\n")
    repo.commit("base", {"pkg/__init__.py": "", "pkg/app.py": app})
    threaded = app.replace("(self, e)", "(self, ctx, e)").replace("(self, context)", "(self, ctx, context)")
    findings = of(check_worktree(repo, {"pkg/app.py": threaded}, request="pass context through dispatch methods"), "DR202")
    assert findings and {f.severity for f in findings} == {"info"}
    findings = of(check_worktree(repo, {"pkg/app.py": threaded}, request="speed up dispatch"), "DR202")
    assert "warning" in {f.severity for f in findings}
