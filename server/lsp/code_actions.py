"""Code actions: insert the clarifying question, rewrite the request with its intent explicit, suppress a code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from .features import feature
from pygls.uris import from_fs_path

from xyguard.analyzers.findings import Finding, utf16_len

from .diagnostics import from_lsp_range, overlaps
from .suppress import config_suppression, inline_suppression, position_of
from .workspaces import document_path

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from .server import XyguardServer

KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite]


def _report_dict(report: Any) -> dict:
    if report is None:
        return {}
    return report.to_dict() if hasattr(report, "to_dict") else dict(report)


def _end_of(doc: "TextDocument") -> types.Position:
    lines = doc.lines
    if not lines:
        return types.Position(line=0, character=0)
    last = lines[-1]
    if last.endswith(("\n", "\r")):
        return types.Position(line=len(lines), character=0)
    return types.Position(line=len(lines) - 1, character=utf16_len(last))


def _edit(uri: str, version: int | None, edits: list[types.TextEdit], caps) -> types.WorkspaceEdit:
    if _supports_document_changes(caps):
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})


def _supports_document_changes(caps) -> bool:
    we = caps.workspace.workspace_edit if caps and caps.workspace else None
    return bool(we and we.document_changes)


def _supports_create(caps) -> bool:
    we = caps.workspace.workspace_edit if caps and caps.workspace else None
    return bool(we and we.document_changes and we.resource_operations
                and types.ResourceOperationKind.Create in we.resource_operations)


def request_actions(doc: "TextDocument", report: Any, caps) -> list[types.CodeAction]:
    """Actions on the whole request: insert the clarifying question, replace with the concretized request."""
    data = _report_dict(report)
    actions = []
    question = (data.get("clarify") or {}).get("question")
    if question and question not in doc.source:
        end = _end_of(doc)
        sep = "" if doc.source.endswith("\n") or not doc.source else "\n"
        text = f"{sep}\n**Question:** {question}\n\n**Answer:** \n"
        actions.append(types.CodeAction(
            title="xyguard: insert the clarifying question", kind=types.CodeActionKind.QuickFix,
            edit=_edit(doc.uri, doc.version, [types.TextEdit(range=types.Range(start=end, end=end), new_text=text)],
                       caps)))
    concretized = data.get("concretized")
    if isinstance(concretized, str) and concretized.strip() and concretized.strip() != doc.source.strip():
        whole = types.Range(start=types.Position(line=0, character=0), end=_end_of(doc))
        actions.append(types.CodeAction(
            title="xyguard: rewrite the request with its inferred intent made explicit",
            kind=types.CodeActionKind.RefactorRewrite,
            edit=_edit(doc.uri, doc.version, [types.TextEdit(range=whole, new_text=concretized.rstrip() + "\n")],
                       caps)))
    return actions


def suppress_actions(server: "XyguardServer", doc: "TextDocument", findings: list[Finding], markdown: bool,
                     caps) -> list[types.CodeAction]:
    actions = []
    path = document_path(doc.uri)
    root = server.workspaces.root_for(doc.uri)
    seen: set[tuple[str, int]] = set()
    for f in findings:
        line = f.range.start.line if f.range else 0
        if (f.code, line) in seen:
            continue
        seen.add((f.code, line))
        line_text = doc.lines[line] if line < len(doc.lines) else ""
        inline = inline_suppression(line_text, f.code, str(path or doc.uri), markdown)
        if inline is not None:
            start, end, text = inline
            rng = types.Range(start=types.Position(line=line, character=start),
                              end=types.Position(line=line, character=end))
            actions.append(types.CodeAction(
                title=f"xyguard: ignore {f.code} on this line", kind=types.CodeActionKind.QuickFix,
                diagnostics=None, edit=_edit(doc.uri, doc.version, [types.TextEdit(range=rng, new_text=text)], caps)))
        if root is not None:
            config_action = _config_action(server, root, f.code, caps)
            if config_action is not None and all(a.title != config_action.title for a in actions):
                actions.append(config_action)
    return actions


def _config_action(server: "XyguardServer", root, code: str, caps) -> types.CodeAction | None:
    planned = config_suppression(root, code)
    if planned is None:
        return None
    path, text, offset, insert = planned
    uri = from_fs_path(str(path)) or path.as_uri()
    title = f"xyguard: ignore {code} in {path.name}"
    if text is None:  # the file does not exist yet
        if not _supports_create(caps):
            return None
        edit = types.WorkspaceEdit(document_changes=[
            types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)),
            types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                                   edits=[types.TextEdit(range=types.Range(start=types.Position(line=0, character=0),
                                                                           end=types.Position(line=0, character=0)),
                                                         new_text=insert)])])
        return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, edit=edit)
    open_doc = server.open_document(uri)
    if open_doc is not None and open_doc.source != text:
        return None  # unsaved edits: our offsets would be wrong
    line, character = position_of(text, offset)
    pos = types.Position(line=line, character=character)
    return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                            edit=_edit(uri, None, [types.TextEdit(range=types.Range(start=pos, end=pos),
                                                                  new_text=insert)], caps))


@feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=KINDS))
def code_action(ls: "XyguardServer", params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    published = ls.published.get(uri)
    doc = ls.open_document(uri)
    if published is None or doc is None or published.version != doc.version:
        return None
    wanted = from_lsp_range(params.range)
    in_range = [f for f in published.findings if f.range is not None and overlaps(f.range, wanted)]
    actions: list[types.CodeAction] = []
    if published.kind == "request" and published.report is not None:  # a clear request may still be restated
        actions += request_actions(doc, published.report, ls.client_capabilities)
    actions += suppress_actions(ls, doc, in_range, published.kind == "request", ls.client_capabilities)
    only = params.context.only
    if only:
        wanted_kinds = [getattr(k, "value", k) for k in only]
        actions = [a for a in actions
                   if a.kind and any(getattr(a.kind, "value", a.kind).startswith(k) for k in wanted_kinds)]
    return actions or None

