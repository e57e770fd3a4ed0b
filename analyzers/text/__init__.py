"""Reading text: identifiers, paths, sentence spans, code lines, hidden characters, secrets.

The layer below the request, edit and session checks: each of them reads
text the same way because they all read it here.
"""
