"""DR210 code or an import a revert or a removal commit took out comes back: analyzers/edits/reintroduced.py."""

from edit_support import check_worktree, of

AUTH = ("def legacy_auth(user, password):\n    token = build_token(user.name, password, salt=LEGACY_SALT)\n"
        "    session = open_session(token, verify=False, timeout=LEGACY_TIMEOUT)\n"
        "    return session.exchange_credentials(token, scope='legacy')\n")


def test_reverted_function_coming_back_is_cited(repo):
    repo.commit("base", {"app/auth.py": "def login(user):\n    return user\n"})
    added = repo.commit("add legacy auth", {"app/auth.py": "def login(user):\n    return user\n\n\n" + AUTH})
    revert = repo.commit(f'Revert "add legacy auth"\n\nThis reverts commit {added}.',
                         {"app/auth.py": "def login(user):\n    return user\n"})
    report = check_worktree(repo, {"app/auth.py": "def login(user):\n    return user\n\n\n" + AUTH},
                            request="support old clients")
    (f,) = of(report, "DR210")
    assert revert[:10] in f.message and "legacy_auth" in f.message


def test_history_check_is_quiet_for_unrelated_additions(repo):
    repo.commit("base", {"app/auth.py": "def login(user):\n    return user\n"})
    added = repo.commit("add legacy auth", {"app/auth.py": "def login(user):\n    return user\n\n\n" + AUTH})
    repo.commit(f'Revert "add legacy auth"\n\nThis reverts commit {added}.', {"app/auth.py": "def login(user):\n    return user\n"})
    report = check_worktree(repo, {"app/auth.py": "def login(user):\n    return user.strip()\n"})
    assert of(report, "DR210") == []


def test_reimporting_a_package_a_revert_removed_is_cited_but_stdlib_is_not(repo):
    base = "import json\n\n\ndef lookup(slug):\n    return json.loads('{}').get(slug)\n"
    repo.commit("base", {"app/store.py": base})
    added = repo.commit("add redis cache", {"app/store.py": "import json\nimport redis\n\n_client = redis.Redis()\n\n\n"
                                                           "def lookup(slug):\n    return _client.get(slug)\n"})
    revert = repo.commit(f'Revert "add redis cache"\n\nThis reverts commit {added}.', {"app/store.py": base})
    report = check_worktree(repo, {"app/store.py": "import redis\n" + base}, request="speed up lookup")
    (f,) = of(report, "DR210")
    assert revert[:10] in f.message and "'redis'" in f.message and f.range.start.line == 0
    quiet = check_worktree(repo, {"app/store.py": base.replace("import json\n", "import json\nimport os\n")})
    assert of(quiet, "DR210") == []


def test_importing_the_project_itself_never_comes_back(repo):
    """A commit that removed docs with code samples took out `import shop` lines: the package never left."""
    repo.commit("base", {"shop/__init__.py": "def buy():\n    return 1\n", "docs/usage.py": "import shop\nshop.buy()\n",
                         "tests/test_a.py": "def test_a():\n    assert 1\n"})
    repo.commit("Remove the usage docs", {"docs/usage.py": None})
    report = check_worktree(repo, {"tests/test_buy.py": "import shop\n\n\ndef test_buy():\n    assert shop.buy() == 1\n"},
                            request="Test buying")
    assert of(report, "DR210") == []


def test_code_a_revert_took_out_is_information_when_the_message_restores_it(repo):
    repo.commit("base", {"app/auth.py": "def login():\n    return 1\n"})
    repo.commit("Add legacy auth", {"app/auth.py": "def login():\n    return 1\n\n\n" + AUTH})
    repo.commit('Revert "Add legacy auth"\n\nThis reverts commit deadbeef.', {"app/auth.py": "def login():\n    return 1\n"})
    restored = "def login():\n    return 1\n\n\n" + AUTH
    (f,) = of(check_worktree(repo, {"app/auth.py": restored}, request="Restore legacy auth for the old clients"), "DR210")
    assert f.severity == "info"
    (f,) = of(check_worktree(repo, {"app/auth.py": restored}, request="Speed up login"), "DR210")
    assert f.severity == "warning"


def test_an_import_of_a_still_declared_dependency_does_not_come_back(repo):
    repo.commit("base", {"requirements.txt": "python-multipart>=0.0.9\n", "app/forms.py": "import multipart\n"})
    repo.commit("Use the new package name", {"app/forms.py": "import python_multipart\n"})
    repo.commit('Revert "Use the new package name"\n\nThis reverts commit 1234567.', {"app/forms.py": "import multipart\n"})
    report = check_worktree(repo, {"app/forms.py": "import python_multipart\n"}, request="Silence the mypy warning")
    assert of(report, "DR210") == []


SHIM = ("import warnings\n\n\ndef __getattr__(name):\n    if name == '{old}':\n        warnings.warn(\n"
        "            \"'{old}' is deprecated and will be removed in the next release.\",\n"
        "            DeprecationWarning,\n            stacklevel=2,\n        )\n        from .legacy import {new} as replacement\n\n"
        "        return replacement\n"
        "    raise AttributeError(name)\n")


def test_deprecating_another_name_is_not_bringing_back_the_removed_one(repo):
    base = "def parse(text):\n    return text\n"
    repo.commit("base", {"app/http.py": base + "\n\n" + SHIM.format(old="OrderedDict", new="OrderedMapping")})
    repo.commit("remove previously deprecated code", {"app/http.py": base})
    deprecating = base + "\n\n" + SHIM.format(old="STATUS_CODES", new="_codes")
    assert of(check_worktree(repo, {"app/http.py": deprecating}, request="deprecate STATUS_CODES"), "DR210") == []
    # The removed shim itself, back word for word, is what the removal took out.
    assert of(check_worktree(repo, {"app/http.py": base + "\n\n" + SHIM.format(old="OrderedDict", new="OrderedMapping")},
                             request="add compatibility"), "DR210")
