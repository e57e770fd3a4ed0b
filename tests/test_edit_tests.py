"""DR208 tests deleted and DR209 tests weakened: analyzers/edits/tests.py."""

from edit_support import check_worktree, of

TESTS = ("import pytest\nfrom app.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\n"
         "def test_add_negative():\n    assert add(-1, -2) == -3\n    assert add(-1, 1) == 0\n")
CALC = "def add(a, b):\n    return a + b\n"


def test_deleted_test_function_and_file(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS, "tests/test_other.py": "def test_x():\n    assert 1\n"})
    report = check_worktree(repo, {"tests/test_calc.py": TESTS.split("\n\n\ndef test_add_negative")[0] + "\n",
                                   "tests/test_other.py": None})
    messages = sorted(f.message for f in of(report, "DR208"))
    assert messages == ["Test 'test_add_negative' is deleted.", "Test file tests/test_other.py is deleted with 1 test (test_x)."]
    assert {f.severity for f in of(report, "DR208")} == {"warning"}


def test_moved_test_is_not_deleted(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS})
    report = check_worktree(repo, {"tests/test_calc.py": None, "tests/unit/test_calc.py": TESTS})
    assert of(report, "DR208") == []


def test_weakened_tests(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS})
    weakened = TESTS.replace("assert add(1, 2) == 3", "assert add(1, 2)").replace(
        "def test_add_negative():", "@pytest.mark.skip(reason='flaky')\ndef test_add_negative():").replace(
        "    assert add(-1, 1) == 0\n", "")
    report = check_worktree(repo, {"tests/test_calc.py": weakened})
    found = " | ".join(f.message for f in of(report, "DR209"))
    assert "loosened" in found and "skip" in found and "1 assertion removed" in found


def test_strengthened_test_is_quiet(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS})
    report = check_worktree(repo, {"tests/test_calc.py": TESTS.replace("assert add(1, 2) == 3",
                                                                         "assert add(1, 2) == 3\n    assert add(0, 0) == 0")})
    assert of(report, "DR209") == [] and of(report, "DR208") == []


def test_tests_of_deprecated_code_go_with_it_when_the_message_removes_deprecated_code(repo):
    deprecated = ("\n\n\ndef test_add_strings_is_deprecated():\n    with pytest.deprecated_call():\n"
                  "        assert add('a', 'b') == 'ab'\n")
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS + deprecated})
    for message, severity in [("Remove deprecated behaviour before 2.0", "info"), ("Faster addition", "warning")]:
        (f,) = of(check_worktree(repo, {"tests/test_calc.py": TESTS}, request=message), "DR208")
        assert f.severity == severity, message
    # A test that never mentions deprecation is not covered by that message.
    (f,) = of(check_worktree(repo, {"tests/test_calc.py": TESTS.split("\n\n\ndef test_add_negative")[0] + "\n" + deprecated},
                             request="Remove deprecated behaviour before 2.0"), "DR208")
    assert f.severity == "warning"


# ---- what goes with the change: stated test removals, tests of removed code, splits, environments ----------

SHOP = "def total(prices):\n    return sum(prices)\n\n\ndef discount(price, rate):\n    return price * (1 - rate)\n"
SHOP_TESTS = ("from shop.cart import discount, total\n\n\ndef test_total_sums_prices():\n    assert total([1, 2]) == 3\n\n\n"
              "def test_discount_takes_the_rate_off():\n    assert discount(100, 0.25) == 75\n")


def test_a_message_removing_a_test_states_the_deletion(repo):
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_cart.py": SHOP_TESTS})
    kept = SHOP_TESTS.split("\n\n\ndef test_discount")[0] + "\n"
    (f,) = of(check_worktree(repo, {"tests/test_cart.py": kept}, request="remove unneeded test"), "DR208")
    assert f.severity == "info" and "as stated" in f.message
    (f,) = of(check_worktree(repo, {"tests/test_cart.py": kept}, request="remove the cache and update tests"), "DR208")
    assert f.severity == "warning"


def test_a_test_of_code_the_change_removes_goes_with_it(repo):
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_cart.py": SHOP_TESTS})
    kept = SHOP_TESTS.replace("discount, total", "total").split("\n\n\ndef test_discount")[0] + "\n"
    without_discount = SHOP.split("\n\n\ndef discount")[0] + "\n"
    (f,) = of(check_worktree(repo, {"shop/cart.py": without_discount, "tests/test_cart.py": kept},
                             request="Remove deprecated helpers"), "DR208")
    assert f.severity == "info" and "code this change removes" in f.message
    # A public function dropped unasked is the drift: deleting its test goes with the drift, not with a decision.
    (f,) = of(check_worktree(repo, {"shop/cart.py": without_discount, "tests/test_cart.py": kept},
                             request="Simplify the cart"), "DR208")
    assert f.severity == "warning"
    # The code still there: the deleted test is a lost check.
    (f,) = of(check_worktree(repo, {"shop/cart.py": SHOP, "tests/test_cart.py": kept},
                             request="Remove deprecated helpers"), "DR208")
    assert f.severity == "warning"


def test_a_test_grown_into_a_class_of_its_name_is_kept(repo):
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_cart.py": SHOP_TESTS})
    as_class = SHOP_TESTS.split("\n\n\ndef test_discount")[0] + (
        "\n\n\nclass TestDiscountTakesTheRateOff:\n    def test_none(self):\n        assert discount(80, 0) == 80\n\n"
        "    def test_all(self):\n        assert discount(10, 1) == 0\n")
    assert of(check_worktree(repo, {"tests/test_cart.py": as_class}, request="Cover more rates"), "DR208") == []
    unrelated = as_class.replace("TestDiscountTakesTheRateOff", "TestRounding")
    assert of(check_worktree(repo, {"tests/test_cart.py": unrelated}, request="Cover more rates"), "DR208")


def test_a_skip_where_the_platform_or_an_optional_module_is_missing_is_information(repo):
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_cart.py": "import sys\n\nimport pytest\n" + SHOP_TESTS})
    for marker, severity in [('@pytest.mark.skipif(sys.platform == "win32", reason="no fork")\n', "info"),
                             ('@pytest.mark.skipif(not HAS_BROTLI, reason="brotli is not installed")\n', "info"),
                             ('@pytest.mark.skip(reason="flaky")\n', "warning")]:
        marked = ("import sys\n\nimport pytest\n" + SHOP_TESTS).replace("def test_total", marker + "def test_total")
        (f,) = of(check_worktree(repo, {"tests/test_cart.py": marked}, request="Speed up totals"), "DR209")
        assert f.severity == severity, marker


def test_an_assertion_on_what_the_message_deprecates_goes_with_it(repo):
    tests = SHOP_TESTS + "\n\ndef test_cart_legacy_total():\n    cart = make_cart()\n    assert cart.size == 2\n" \
                         "    assert cart.legacy_total == 3\n"
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_cart.py": tests})
    dropped = tests.replace("    assert cart.legacy_total == 3\n", "")
    assert of(check_worktree(repo, {"tests/test_cart.py": dropped}, request="deprecate the legacy total"), "DR209") == []
    (f,) = of(check_worktree(repo, {"tests/test_cart.py": dropped}, request="Speed up totals"), "DR209")
    assert "1 assertion removed" in f.message


def test_a_hamcrest_equality_matcher_is_as_strict_as_equality(repo):
    tests = "from hamcrest import assert_that, is_\n" + SHOP_TESTS
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_cart.py": tests})
    rewritten = tests.replace("assert total([1, 2]) == 3", "assert_that(total([1, 2]), is_(3))")
    assert of(check_worktree(repo, {"tests/test_cart.py": rewritten}, request="Use hamcrest"), "DR209") == []
    loosened = tests.replace("assert total([1, 2]) == 3", "assert total([1, 2])")
    assert of(check_worktree(repo, {"tests/test_cart.py": loosened}, request="Use hamcrest"), "DR209")


def test_a_skip_only_for_the_variant_the_change_adds_is_information(repo):
    protocols = "class H11Protocol:\n    pass\n"
    tests = ("import pytest\n\nfrom shop.protocols import H11Protocol\n\n\n@pytest.mark.parametrize('cls', [H11Protocol])\n"
             "def test_sends_body(cls):\n    assert cls().send(b'x') == 1\n")
    repo.commit("base", {"shop/protocols.py": protocols, "tests/test_protocols.py": tests})
    with_new = protocols + "\n\nclass SansIOProtocol:\n    pass\n"
    skipped = tests.replace("[H11Protocol]", "[H11Protocol, SansIOProtocol]").replace(
        "import H11Protocol", "import H11Protocol, SansIOProtocol").replace(
        "def test_sends_body(cls):\n", "def test_sends_body(cls):\n    if cls is SansIOProtocol:\n"
                                       "        pytest.skip('sends start and body in one message')\n")
    (f,) = of(check_worktree(repo, {"shop/protocols.py": with_new, "tests/test_protocols.py": skipped},
                             request="Add a sans-I/O protocol"), "DR209")
    assert f.severity == "info" and "what this change adds" in f.message
    old_skipped = skipped.replace("if cls is SansIOProtocol:", "if cls is H11Protocol:")
    (f,) = of(check_worktree(repo, {"shop/protocols.py": with_new, "tests/test_protocols.py": old_skipped},
                             request="Add a sans-I/O protocol"), "DR209")
    assert f.severity == "warning"


def test_an_assertion_in_a_test_of_what_the_message_removes_goes_with_it(repo):
    tests = ("import pytest\n\nfrom shop import reload\n\n\ndef test_watchgod_reloader_warns():\n"
             "    with pytest.deprecated_call():\n        reloader = reload.WatchGodReload()\n    assert reloader.ready\n")
    repo.commit("base", {"shop/reload.py": "class WatchGodReload:\n    ready = True\n", "tests/test_reload.py": tests})
    dropped = tests.replace("    with pytest.deprecated_call():\n        reloader", "    reloader")
    assert of(check_worktree(repo, {"tests/test_reload.py": dropped}, request="Remove WatchGod"), "DR209") == []
    assert of(check_worktree(repo, {"tests/test_reload.py": dropped}, request="Faster reloads"), "DR209")


def test_a_test_rewritten_in_place_under_a_broader_name_is_kept(repo):
    filters = ("import pytest\n\n\ndef test_xmlattr_key_with_spaces(env):\n    with pytest.raises(ValueError, match='Spaces are not allowed'):\n"
               "        env.from_string(\"{{ {'src=1 onerror=alert(1)': 'my_class'}|xmlattr }}\").render()\n\n\n"
               "def test_sort(env):\n    assert env.from_string('{{ [2, 1]|sort }}').render() == '[1, 2]'\n")
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_filters.py": filters})
    broader = filters.replace(
        "def test_xmlattr_key_with_spaces(env):\n    with pytest.raises(ValueError, match='Spaces are not allowed'):\n"
        "        env.from_string(\"{{ {'src=1 onerror=alert(1)': 'my_class'}|xmlattr }}\").render()\n",
        "@pytest.mark.parametrize('sep', ('\\t', '\\n', ' ', '/', '>', '='))\ndef test_xmlattr_key_invalid(env, sep):\n"
        "    with pytest.raises(ValueError, match='Invalid character'):\n"
        "        env.from_string(\"{{ {key: 'my_class'}|xmlattr }}\").render(key=f'class{sep}onclick=alert(1)')\n")
    assert of(check_worktree(repo, {"tests/test_filters.py": broader}, request="disallow invalid keys"), "DR208") == []
    elsewhere = broader.replace("test_xmlattr_key_invalid", "test_rendering_rejects_bad_input")
    assert of(check_worktree(repo, {"tests/test_filters.py": elsewhere}, request="disallow invalid keys"), "DR208")


def test_a_helper_branch_for_what_the_message_removes_goes_with_it(repo):
    tests = ("import pytest\n\nfrom shop import reload\n\n\nclass TestReload:\n    def _make(self, cls):\n"
             "        if cls is reload.WatchGodReload:\n            with pytest.deprecated_call():\n                return cls()\n"
             "        return cls()\n\n    def test_ready(self):\n        assert self._make(reload.StatReload).ready\n\n"
             "    def test_watchgod_ready(self):\n        assert self._make(reload.WatchGodReload).ready\n")
    repo.commit("base", {"shop/reload.py": "class StatReload:\n    ready = True\n", "tests/test_reload.py": tests})
    plain = tests.replace("        if cls is reload.WatchGodReload:\n            with pytest.deprecated_call():\n"
                          "                return cls()\n", "").split("\n\n    def test_watchgod_ready")[0] + "\n"
    assert of(check_worktree(repo, {"tests/test_reload.py": plain}, request="Remove WatchGod"), "DR209") == []
    assert of(check_worktree(repo, {"tests/test_reload.py": plain}, request="Faster reloads"), "DR209")


def test_a_test_whose_signature_is_reformatted_over_lines_keeps_its_assertions(repo):
    tests = ("def test_initialize_without_the_parent_flag(client_server):  # pylint: disable=redefined-outer-name\n"
             "    response = client_server.request('initialize', {'processId': 1234})\n"
             "    assert 'capabilities' in response\n")
    repo.commit("base", {"shop/cart.py": SHOP, "tests/test_server.py": tests})
    black = ("def test_initialize_without_the_parent_flag(\n    client_server,\n):  # pylint: disable=redefined-outer-name\n"
             "    response = client_server.request(\"initialize\", {\"processId\": 1234})\n"
             "    assert \"capabilities\" in response\n")
    assert of(check_worktree(repo, {"tests/test_server.py": black}, request="Format the whole repo with Black"), "DR209") == []
    dropped = black.replace("    assert \"capabilities\" in response\n", "")
    assert of(check_worktree(repo, {"tests/test_server.py": dropped}, request="Format the whole repo with Black"), "DR209")
