"""DR202 understands refactorings that keep callers working: aliases, inheritance, overloads, conditional
definitions; and what the message states is not drift."""

from edit_support import check_worktree, of

from xyguard.analyzers.findings import at_or_above

FILES = '''"""Helpers for temporary files."""

import os
import warnings


class TempDir:
    """A directory removed when the block ends."""

    def __init__(self, prefix="tmp"):
        self.prefix = prefix

    def cleanup(self):
        os.rmdir(self.prefix)


def fetch_all(paths):
    return [open(p).read() for p in paths]
'''


def blocking(report):
    return [f for f in of(report, "DR202") if at_or_above(f.severity, "warning")]


def test_a_name_served_by_the_module_getattr_is_not_removed(repo):
    repo.commit("base", {"pkg/__init__.py": "", "pkg/files.py": FILES})
    renamed = FILES.replace("class TempDir:", "class _TempDir:") + '''

_DEPRECATED = {"TempDir": "_TempDir"}


def __getattr__(name):
    if name in _DEPRECATED:
        warnings.warn(f"{name} is deprecated", DeprecationWarning, stacklevel=2)
        return globals()[_DEPRECATED[name]]
    raise AttributeError(name)
'''
    report = check_worktree(repo, {"pkg/files.py": renamed}, request="Warn when code still uses the old helper")
    assert of(report, "DR202") == []


def test_a_rename_without_an_alias_is_a_removal_error(repo):
    repo.commit("base", {"pkg/__init__.py": "", "pkg/files.py": FILES})
    report = check_worktree(repo, {"pkg/files.py": FILES.replace("class TempDir:", "class _TempDir:")},
                            request="Fix cleanup of nested folders")
    (f,) = blocking(report)
    assert f.severity == "error" and "TempDir" in f.message


def test_a_method_a_builtin_base_provides_is_not_removed(repo):
    before = ("class Settings(dict):\n    def get(self, key, default=None):\n        return self[key] if key in self else default\n\n"
              "class ConfigError(ValueError):\n    args = ('invalid configuration',)\n")
    after = "class Settings(dict):\n    pass\n\nclass ConfigError(ValueError):\n    pass\n"
    repo.commit("base", {"pkg/__init__.py": "", "pkg/settings.py": before})
    report = check_worktree(repo, {"pkg/settings.py": after}, request="Simplify the settings mapping")
    assert blocking(report) == []


def test_a_method_served_by_a_base_in_the_module_or_by_super_is_not_removed(repo):
    before = ("from werkzeug.datastructures import CallbackDict\n\n\nclass Base:\n    def close(self):\n        pass\n\n\n"
              "class Child(Base):\n    def close(self):\n        pass\n\n\n"
              "class Session(CallbackDict):\n    def get(self, key, default=None):\n        self.accessed = True\n"
              "        return super().get(key, default)\n\n    def touch(self):\n        self.accessed = True\n")
    after = ("from werkzeug.datastructures import CallbackDict\n\n\nclass Base:\n    def close(self):\n        pass\n\n\n"
             "class Child(Base):\n    pass\n\n\nclass Session(CallbackDict):\n    pass\n")
    repo.commit("base", {"pkg/__init__.py": "", "pkg/session.py": before})
    report = check_worktree(repo, {"pkg/session.py": after}, request="Track access in the callback instead")
    # close() comes from Base, get() from the external base it delegated to; touch() is really gone.
    assert [f.evidence for f in blocking(report)] == ["pkg.session.Session.touch"]


def test_overload_stubs_and_version_branches_still_define_the_name(repo):
    stub_before = "def pick(a: int, b: int = ...) -> int: ...\n"
    stub_after = ("from typing import overload\n\n@overload\ndef pick(a: int) -> int: ...\n"
                  "@overload\ndef pick(a: int, b: int) -> int: ...\n")
    module_before = "class Options(dict):\n    size: int\n"
    module_after = ("import sys\n\nif sys.version_info >= (3, 11):\n    class Options(dict):\n        size: int\n"
                    "else:\n    class Options:\n        size: int\n")
    repo.commit("base", {"pkg/__init__.py": "", "pkg/pick.pyi": stub_before, "pkg/opts.py": module_before})
    report = check_worktree(repo, {"pkg/pick.pyi": stub_after, "pkg/opts.py": module_after},
                            request="Type pick precisely on every version")
    assert blocking(report) == []


def test_a_removed_type_variable_is_information(repo):
    repo.commit("base", {"pkg/__init__.py": "", "pkg/types.py": "import typing as t\n\nV = t.TypeVar('V')\n\n"
                                                                "def first(x: list[V]) -> V:\n    return x[0]\n"})
    report = check_worktree(repo, {"pkg/types.py": "import typing as t\n\n_V = t.TypeVar('_V')\n\n"
                                                   "def first(x: list[_V]) -> _V:\n    return x[0]\n"},
                            request="Fix variance of the helpers")
    (f,) = of(report, "DR202")
    assert f.severity == "info" and "type variable" in f.message


def test_a_removal_the_message_states_is_information_as_stated(repo):
    repo.commit("base", {"pkg/__init__.py": "", "pkg/files.py": FILES})
    gone = FILES[:FILES.index("def fetch_all")]
    stated = check_worktree(repo, {"pkg/files.py": gone}, request="Remove the deprecated fetch_all helper")
    (f,) = of(stated, "DR202")
    assert f.severity == "info" and "As stated" in f.message
    unstated = check_worktree(repo, {"pkg/files.py": gone}, request="Fix cleanup of nested folders")
    assert [f.severity for f in of(unstated, "DR202")] == ["error"]


def test_modules_nobody_can_import_are_not_api(repo):
    example = "def show(x):\n    return x\n"
    repo.commit("base", {"pkg/__init__.py": "", "typing-examples/basics.py": example, "my-scripts/run.py": example})
    report = check_worktree(repo, {"typing-examples/basics.py": "x = 1\n", "my-scripts/run.py": "x = 1\n"},
                            request="Trim the examples")
    assert of(report, "DR202") == []


def test_a_removed_special_method_is_information_and_object_still_provides_repr(repo):
    before = ("class Stream:\n    def __repr__(self):\n        return 'Stream()'\n\n    def __del__(self):\n"
              "        self.close()\n\n    def __iter__(self):\n        return iter(())\n\n    def close(self):\n        pass\n")
    after = "class Stream:\n    def close(self):\n        pass\n"
    repo.commit("base", {"pkg/__init__.py": "", "pkg/stream.py": before})
    report = check_worktree(repo, {"pkg/stream.py": after}, request="Close streams explicitly")
    severities = {f.evidence.rsplit(".", 1)[-1]: f.severity for f in of(report, "DR202")}
    # __repr__ comes from object; __del__ is behaviour; iterating a Stream is what callers did and now cannot.
    assert severities == {"__del__": "info", "__iter__": "error"}


def test_a_signature_whose_parameters_all_shift_is_one_finding_and_stubs_are_typing(repo):
    stub = "def build(name: str, repr: bool = ..., eq: bool = ..., order: bool = ...) -> type: ...\n" \
           "def legacy(name: str) -> None: ...\n"
    repo.commit("base", {"pkg/__init__.py": "", "pkg/api.pyi": stub})
    shifted = stub.replace("name: str, repr", "name: str, body: dict | None = ..., repr").replace(
        "def legacy(name: str) -> None: ...\n", "")
    report = check_worktree(repo, {"pkg/api.pyi": shifted}, request="Let build take a class body")
    found = {f.evidence.rsplit(".", 1)[-1]: f for f in of(report, "DR202")}
    assert "3 parameters (repr, eq, order)" in found["build"].message
    # Removed from the stub only: type checkers notice, running code does not.
    assert found["legacy"].severity == "warning" and len(of(report, "DR202")) == 2


def test_a_requested_removal_against_a_stated_api_constraint_stays_blocking(repo):
    repo.commit("base", {"pkg/__init__.py": "", "pkg/files.py": FILES})
    gone = FILES[:FILES.index("def fetch_all")]
    report = check_worktree(repo, {"pkg/files.py": gone},
                            request="Remove fetch_all but keep the public API backwards compatible")
    (f,) = of(report, "DR202")
    assert f.severity == "error" and "keep the public API stable" in f.message


def test_a_parameter_the_message_removes_or_renames_is_information(repo):
    client = ("class Client:\n    def get(self, url, allow_redirects=None, follow=True):\n        return url\n\n"
              "    def post(self, url, allow_redirects=None, follow=True):\n        return url\n")
    repo.commit("base", {"pkg/__init__.py": "", "pkg/client.py": client})
    dropped = client.replace("allow_redirects=None, ", "")
    # Removing it from get() and post() also moves `follow` one place up: part of the same stated change.
    report = check_worktree(repo, {"pkg/client.py": dropped}, request="Remove the deprecated `allow_redirects` argument")
    assert len(of(report, "DR202")) == 4 and {f.severity for f in of(report, "DR202")} == {"info"}
    report = check_worktree(repo, {"pkg/client.py": dropped}, request="Speed up requests")
    assert {f.severity for f in of(report, "DR202")} == {"warning"}
    renamed = client.replace("follow=True", "follow_redirects=True")
    report = check_worktree(repo, {"pkg/client.py": renamed}, request="Add follow_redirects, rename argument")
    assert {f.severity for f in of(report, "DR202")} == {"info"}


def test_state_moved_to_a_base_class_in_the_module_is_still_there(repo):
    before = ("class Responder:\n    def __init__(self, app, size):\n        self.app = app\n        self.size = size\n"
              "        self.started = False\n        self.buffer = []\n\n    def send(self, message):\n"
              "        self.buffer.append(message)\n")
    after = ("class BaseResponder:\n    def __init__(self, app, size):\n        self.app = app\n        self.size = size\n"
             "        self.started = False\n        self.buffer = []\n\n\nclass Responder(BaseResponder):\n"
             "    def send(self, message):\n        self.buffer.append(message)\n")
    repo.commit("base", {"pkg/__init__.py": "", "pkg/respond.py": before})
    assert of(check_worktree(repo, {"pkg/respond.py": after}, request="Share the responder state"), "DR202") == []
    gone = before[:before.index("    def send")].replace("        self.started = False\n        self.buffer = []\n", "")
    (f,) = of(check_worktree(repo, {"pkg/respond.py": gone}, request="Share the responder state"), "DR202")
    assert "3 public members were removed (started, buffer, send)" in f.message


API = "__all__ = ['get', 'post']\n\n\ndef get(url):\n    return url\n\n\ndef post(url, data=None):\n    return url\n"


def test_names_a_package_re_exports_with_a_star_import_from_their_module_are_kept(repo):
    """A package `__init__` that stops listing names and star-imports the module they came from (httpx 0.27's
    shape) still serves them."""
    repo.commit("base", {"pkg/__init__.py": "from ._api import get, post\n\n__all__ = ['get', 'post']\n",
                         "pkg/_api.py": API})
    report = check_worktree(repo, {"pkg/__init__.py": "from ._api import *\n\n__all__ = ['get', 'post']\n"},
                            request="Define and expose the API from the same place")
    assert of(report, "DR202") == []


def test_a_star_import_from_another_module_does_not_serve_a_removed_name(repo):
    repo.commit("base", {"pkg/__init__.py": "from ._api import get, post\n\n__all__ = ['get', 'post']\n",
                         "pkg/_api.py": API, "pkg/_models.py": "class Request:\n    pass\n"})
    report = check_worktree(repo, {"pkg/__init__.py": "from ._api import get\nfrom ._models import *\n\n"
                                                      "__all__ = ['get']\n"},
                            request="Expose the models from the package")
    (f,) = blocking(report)
    assert "post" in f.message


def test_names_served_through_a_subpackage_that_star_imports_its_modules_are_kept(repo):
    transports = "class HTTPTransport:\n    pass\n\n\nclass MockTransport:\n    pass\n"
    repo.commit("base", {"pkg/__init__.py": "from ._transports.default import HTTPTransport, MockTransport\n\n"
                                            "__all__ = ['HTTPTransport', 'MockTransport']\n",
                         "pkg/_transports/__init__.py": "", "pkg/_transports/default.py": transports})
    report = check_worktree(repo, {"pkg/__init__.py": "from ._transports import *\n\n"
                                                      "__all__ = ['HTTPTransport', 'MockTransport']\n",
                                   "pkg/_transports/__init__.py": "from .default import *\n"})
    assert of(report, "DR202") == []


def test_a_name_removed_from_a_private_module_the_package_star_imports_is_a_break(repo):
    repo.commit("base", {"pkg/__init__.py": "from ._api import *\n", "pkg/_api.py": API})
    report = check_worktree(repo, {"pkg/_api.py": API.replace("def post", "def _post")}, request="Tidy the helpers")
    assert [f for f in blocking(report) if "post" in f.message]


def test_api_added_after_the_latest_release_changes_freely_but_released_api_does_not(repo):
    released = "def fetch(url):\n    return url\n"
    repo.commit("release", {"pkg/__init__.py": "", "pkg/net.py": released})
    repo.git("tag", "v1.0.0")
    repo.commit("new helper", {"pkg/net.py": released + "\n\ndef fetch_all(urls):\n    return [fetch(u) for u in urls]\n"})
    report = check_worktree(repo, {"pkg/net.py": released + "\n\ndef fetch_many(urls):\n    return [fetch(u) for u in urls]\n"},
                            request="Tidy the helpers")
    (f,) = of(report, "DR202")
    assert f.severity == "info" and "v1.0.0" in f.message and "fetch_all" in f.message
    report = check_worktree(repo, {"pkg/net.py": "def get(url):\n    return url\n"}, request="Tidy the helpers")
    assert [f.severity for f in of(report, "DR202") if "fetch:" in f.message] == ["error"]


def test_a_module_added_after_the_latest_release_may_go_away(repo):
    repo.commit("release", {"pkg/__init__.py": "", "pkg/net.py": "def fetch(url):\n    return url\n"})
    repo.git("tag", "2.0")
    repo.commit("draft", {"pkg/draft.py": "def sketch():\n    return 1\n"})
    report = check_worktree(repo, {"pkg/draft.py": None}, request="Tidy the helpers")
    assert [f.severity for f in of(report, "DR202")] == ["info"]
    report = check_worktree(repo, {"pkg/draft.py": "def sketch():\n    return 1\n", "pkg/net.py": None},
                            request="Tidy the helpers")
    assert [f.severity for f in of(report, "DR202")] == ["error"]


def test_a_method_still_inherited_from_a_base_class_in_another_module_is_not_removed(repo):
    base = "class DefaultDialect:\n    def has_table(self, connection, name):\n        return False\n"
    oracle = ("from ..engine import default\nfrom ..engine.default import DefaultDialect\n\n\n"
              "class OracleDialect(default.DefaultDialect):\n    name = 'oracle'\n\n    def has_table(self, connection, name):\n"
              "        return connection.exists(name)\n\n\nclass PlainDialect:\n    def has_table(self, connection, name):\n"
              "        return True\n\n\nclass MssqlDialect(DefaultDialect):\n    def has_table(self, connection, name):\n"
              "        return connection.lookup(name)\n")
    repo.commit("base", {"lib/__init__.py": "", "lib/engine/__init__.py": "", "lib/engine/default.py": base,
                         "lib/dialects/__init__.py": "", "lib/dialects/oracle.py": oracle})
    inherited = oracle.replace("    def has_table(self, connection, name):\n        return connection.exists(name)\n", "    pass\n") \
        .replace("    def has_table(self, connection, name):\n        return connection.lookup(name)\n", "    pass\n")
    assert of(check_worktree(repo, {"lib/dialects/oracle.py": inherited}, request="Add has_multi_table"), "DR202") == []
    gone = inherited.replace("    def has_table(self, connection, name):\n        return True\n", "    pass\n")
    (f,) = of(check_worktree(repo, {"lib/dialects/oracle.py": gone}, request="Add has_multi_table"), "DR202")
    assert "PlainDialect.has_table" in f.message
