"""Agent hosts: thin adapters that turn a host's hook events into pipeline calls and its answers back.

Each host module parses the host's input, calls `xyguard.analyzers.pipeline`, and renders the host's
answer. Nothing here filters, gates or records on its own: that is the pipeline's.
"""
