"""Cancellation of long context work (indexing, history): the one exception every reader raises."""


class Cancelled(Exception):
    """The caller's cancel event was set: the work stopped early and its partial result is discarded."""
