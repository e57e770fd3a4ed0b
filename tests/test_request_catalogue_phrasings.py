"""Each XY catalogue entry catches its phenomenon however people phrase it, and stays quiet on a near miss."""

import pytest

from xyguard.analyzers.request.xy_catalogue import detect

PHRASINGS = {
    "filename-last-chars": (["How do I get the last three characters of a filename?",
                             "take the final 4 chars of the file name to know if it's a jpeg",
                             "check the last 3 letters of the path to see whether it is a csv"],
                            ["Show the last three lines of the log file."]),
    "markup-with-regex": (["Write a regex to pull the links out of this HTML page.",
                           "use a regular expression to grab every <td> from the html",
                           "extract the version field from the yaml with re.search"],
                          ["Write a regex that matches ISO dates like 2024-01-31."]),
    "tls-verification-off": (["requests.get fails with SSLError CERTIFICATE_VERIFY_FAILED, how do I turn off verification?",
                              "just pass verify=False so the certificate error goes away",
                              "how can I ignore the certificate error from our internal server?",
                              "disable SSL verification in the http client",
                              "set NODE_TLS_REJECT_UNAUTHORIZED=0 in the CI job"],
                             ["Verify the certificate chain of the upload server before sending data.",
                              "Turn off verification emails for test accounts."]),
    "sleep-for-race": (["The test is flaky, just add a sleep before the assert.",
                        "put a time.sleep(2) in so the file exists before we read it",
                        "it fails randomly in CI, maybe retry it a couple of times until it passes",
                        "wait 5 seconds before checking the queue so the worker has finished"],
                       ["Sleep mode drains the battery; show the remaining charge before the screen turns off."]),
    "catch-all-exception": (["How can I catch all exceptions so the script stops crashing?",
                             "wrap everything in try/except Exception: pass",
                             "just swallow any errors in the importer"],
                            ["Catch the FileNotFoundError and print the missing path."]),
    "chmod-777-sudo": (["I get permission denied, should I chmod 777 the folder?",
                        "sudo pip install fixes it, should I just do that?",
                        "chmod -R 777 /var/www so the upload works"],
                       ["Make the deploy script executable for its owner only."]),
    "recursion-limit": (["How do I increase the recursion limit in Python? My tree walk hits maximum recursion depth.",
                         "bump sys.setrecursionlimit to 100000",
                         "raise the stack size so the recursive parser stops crashing"],
                        ["Turn the recursive directory walk into a loop with an explicit stack."]),
    "eval-exec-strings": (["How can I use eval to turn the user's input string into a dict?",
                           "just call eval(expr) on the formula the user typed",
                           "run this string as code with exec()"],
                          ["Evaluate the model on the validation split."]),
    "globals-shared-state": (["How do I use a global variable to share the connection between functions?",
                              "make the db session a global so every module can access it",
                              "share the cache between threads with a module-level variable"],
                             ["Document the global settings file format."]),
    "force-push": (["How do I force push to main to get rid of my last commit?",
                    "git push --force to fix the history on the shared branch",
                    "just force-push over whatever is on origin"],
                   ["Push the release tag after the changelog is updated."]),
    "commit-generated-vendored": (["Should I commit the node_modules folder so the deploy works?",
                                   "add the venv to git so the server has the packages",
                                   "commit the build/ directory to the repo"],
                                  ["Commit the updated lock file with the dependency bump."]),
    "silence-warnings": (["How do I suppress all the deprecation warnings in my test output?",
                          "hide the warnings pytest prints",
                          "warnings.filterwarnings('ignore') at the top of main"],
                         ["Fix the deprecation warning about datetime.utcnow by using timezone-aware dates."]),
    "longer-timeout": (["Tests time out in CI, how do I increase the timeout to 10 minutes?",
                        "bump the request timeout to 120 s, the export keeps timing out",
                        "the job hits the deadline, raise the time limit"],
                       ["Add a timeout parameter to fetch_page, defaulting to 10 seconds."]),
    "copy-instead-of-import": (["Copy the parse_date function from billing into reports so I can use it there.",
                                "duplicate the validation code from the api module into the cli",
                                "copy-paste the helper class over to the other service"],
                               ["Copy the uploaded file to the archive folder after processing."]),
    "hand-parse-paths": (["Split the path on '/' to get the folder name.",
                          "build the output path by string concatenation of the folder and the file name",
                          "parse the file paths by hand to find the extension"],
                         ["Print the absolute path of the config file at start-up."]),
    "hand-parse-urls": (["Split the URL on '?' and '&' to get the query parameters.",
                         "use a regex to get the domain out of the url",
                         "parse the query string manually"],
                        ["Add the docs URL to the error message.",
                         "Add '@' to the URL regex pattern of the highlighter and a test for it."]),
    "hand-parse-dates": (["Use a regex to pull the year, month and day out of the timestamp string.",
                          "split the date on '-' and compare the parts",
                          "parse the dates by hand from the log lines"],
                         ["Show the date of the last successful backup in the status page."]),
    "hand-parse-csv": (["Read the CSV file and split each line on ',' to get the columns.",
                        "parse the csv by hand, it's just commas",
                        "split on a comma to read the export"],
                       ["Add a CSV export of the invoices using the csv module."]),
    "email-regex": (["Write a regex to validate email addresses in the signup form.",
                     "validate the email with a pattern like ^\\S+@\\S+$",
                     "what regular expression matches every valid e-mail?"],
                    ["Send the confirmation e-mail after signup."]),
    "float-equality": (["Why is 0.1 + 0.2 == 0.3 false? How do I make the float comparison equal?",
                        "compare two floats with == in the test",
                        "the float sum is not equal to 1.0, why is that wrong?"],
                       ["Round the displayed price to two decimals."]),
    "homemade-crypto": (["Hash the user passwords with sha256 before saving them.",
                         "store the password as md5 so we don't keep plain text",
                         "write my own encryption for the tokens"],
                        ["Verify downloads against their published sha256 checksums."]),
    "sql-string-concat": (["Build the SQL query with an f-string using the username from the form.",
                           "concatenate the user input into the query string",
                           "format the sql with .format(name) and run it"],
                          ["Add an index on the orders table for the customer id column."]),
    "disable-linter-tests": (["Disable the failing tests so CI passes and I can merge.",
                              "skip the broken test so the pipeline goes green",
                              "comment out the failing tests to get the build to pass"],
                             ["Add tests for the parser's error messages."]),
    "hardcoded-credentials": (["Just hardcode the API key in the code for now.",
                               "put my password in the config file in the repo",
                               "the token is hard-coded in settings.py, that's fine right?"],
                              ["Read the API key from the XYZ_API_KEY environment variable."]),
    "parse-command-output": (["Parse the output of ls to get the list of files in the folder.",
                              "grep the output of ps to find the process id",
                              "use subprocess to run df and split the output"],
                             ["Print the command's output to the log."]),
    "random-for-security": (["Generate the session token with random.randint.",
                             "make the password reset code with random.choice over letters",
                             "the otp comes from math.random, is that ok?"],
                            ["Shuffle the quiz questions with random.shuffle."]),
    "reinvent-stdlib": (["Write my own JSON parser to read the config file.",
                         "implement a custom csv parser for the import",
                         "create a home-made argument parser for the cli"],
                        ["Write a parser for our own query language."]),
    "kill-process-on-port": (["How do I kill whatever is on port 8000? I get address already in use.",
                              "address already in use on startup, how to fix",
                              "kill the process holding port 5432"],
                             ["Make the port configurable with --port."]),
    "pin-old-version": (["Downgrade to an older version so the deprecation error goes away.",
                         "pin an old version of the library so the warning stops",
                         "revert to the previous version of numpy"],
                        ["Pin the build tools in requirements-dev.txt for reproducible builds."]),
}


def fired(text):
    return {f.message.split("(", 1)[1].split(")", 1)[0] for f in detect(text)}


@pytest.mark.parametrize("entry_id", sorted(PHRASINGS))
def test_everyday_phrasings_trigger_the_entry(entry_id):
    positives, _ = PHRASINGS[entry_id]
    assert len(positives) >= 3
    for text in positives:
        assert entry_id in fired(text), text


@pytest.mark.parametrize("entry_id", sorted(PHRASINGS))
def test_a_near_miss_does_not_trigger_the_entry(entry_id):
    _, negatives = PHRASINGS[entry_id]
    for text in negatives:
        assert entry_id not in fired(text), text


def test_every_catalogue_entry_has_phrasings():
    from xyguard.analyzers.request.xy_catalogue import catalogue

    assert {e.id for e in catalogue()} == set(PHRASINGS)
