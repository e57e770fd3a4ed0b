"""The one place xyguard talks to a model, through litellm, under our own deadline.

litellm is imported only here and only when a model is configured: the
import is slow, and without LITELLM_LOCAL_MODEL_COST_MAP it fetches a
price list over the network. Its debug banner goes to stdout, which would
corrupt an LSP stdio stream, so it is suppressed. Retries are off and the
call runs in a daemon thread that we stop waiting for at the deadline, so
a hanging server costs the deadline and no more.

A reply is data from a server we do not control: its body is capped at
MAX_REPLY_BYTES while it is read (for OpenAI-compatible endpoints, whose
HTTP client litellm lets us supply: a 300 MB reply cost ~1 GB before), and
its text once more after any provider has returned it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import warnings
from typing import Any

log = logging.getLogger("xyguard.llm")

MAX_REPLY_BYTES = 1024 * 1024  # the HTTP body: every schema's answer fits in a small fraction of it
MAX_REPLY_TOKENS = 4096  # asked of the model; a hostile endpoint ignores it, hence the byte cap


_http_client = None  # one per process, handed to litellm for OpenAI-compatible endpoints


class ReplyTooLarge(OSError):
    """The endpoint sent more than MAX_REPLY_BYTES; reading stopped there."""


def _capped_http_client():
    """An httpx client whose responses stop at MAX_REPLY_BYTES (announced or streamed)."""
    import httpx  # noqa: PLC0415 - a litellm dependency, loaded with it

    class CappedStream(httpx.SyncByteStream):
        def __init__(self, inner):
            self.inner = inner

        def __iter__(self):
            seen = 0
            for chunk in self.inner:
                seen += len(chunk)
                if seen > MAX_REPLY_BYTES:
                    raise ReplyTooLarge(f"reply larger than {MAX_REPLY_BYTES} bytes")
                yield chunk

        def close(self):
            self.inner.close()

    class CappedTransport(httpx.HTTPTransport):
        def handle_request(self, request):
            response = super().handle_request(request)
            announced = response.headers.get("content-length", "")
            if announced.isdigit() and int(announced) > MAX_REPLY_BYTES:
                response.close()
                raise ReplyTooLarge(f"reply of {announced} bytes; the limit is {MAX_REPLY_BYTES}")
            return httpx.Response(response.status_code, headers=response.headers, stream=CappedStream(response.stream),
                                  extensions=response.extensions, request=request)

    return httpx.Client(transport=CappedTransport(), follow_redirects=False)


class LLMUnavailable(RuntimeError):
    """The model could not be used; the message is the reason shown as `llm: not used (reason)`."""


def _litellm():
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    # litellm's pydantic models warn as they are built (on import and first call); not the user's concern.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"pydantic\..*")
    try:
        import litellm  # noqa: PLC0415 - lazy on purpose
    except ImportError:
        raise LLMUnavailable("litellm is not installed (pip install 'xyguard[llm]')") from None
    litellm.suppress_debug_info = True
    litellm.telemetry = False
    global _http_client
    if _http_client is None:
        _http_client = _capped_http_client()
    litellm.client_session = _http_client
    for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm"):
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if getattr(h, "stream", None) is not sys.stdout]
        logger.propagate = False
        logger.setLevel(logging.WARNING)
    return litellm


def complete(messages: list[dict[str, str]], llm_config, deadline: float | None = None) -> str:
    """The model's reply text, or LLMUnavailable within `deadline` seconds (default: the configured timeout)."""
    if not llm_config or not llm_config.model:
        raise LLMUnavailable("no model configured")
    budget = float(deadline if deadline is not None else llm_config.timeout)
    started = time.monotonic()
    box: dict[str, Any] = {}
    done = threading.Event()

    def call() -> None:
        try:
            litellm = _litellm()
            remaining = max(0.1, budget - (time.monotonic() - started))
            kwargs: dict[str, Any] = {"model": llm_config.model, "messages": messages, "timeout": remaining,
                                      "max_retries": 0, "temperature": 0, "max_tokens": MAX_REPLY_TOKENS}
            if llm_config.api_base:
                kwargs["api_base"] = llm_config.api_base
            response = litellm.completion(**kwargs)
            text = response.choices[0].message.content or ""
            if len(text) > MAX_REPLY_BYTES:
                raise ReplyTooLarge(f"reply of {len(text)} characters; the limit is {MAX_REPLY_BYTES}")
            box["text"] = text
        except ReplyTooLarge as exc:
            box["error"] = str(exc)
        except LLMUnavailable as exc:
            box["error"] = str(exc)
        except Exception as exc:  # noqa: BLE001 - any provider failure means "not used", with the reason
            cause = _too_large(exc)
            box["error"] = str(cause) if cause is not None else \
                f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else 'failed'}"
        finally:
            done.set()

    threading.Thread(target=call, name="xyguard-llm", daemon=True).start()
    if not done.wait(budget):
        raise LLMUnavailable(f"no reply within {budget:g}s")
    if "error" in box:
        log.info("llm call failed: %s", box["error"])
        raise LLMUnavailable(box["error"])
    return box["text"]


def _too_large(exc: BaseException) -> BaseException | None:
    """The ReplyTooLarge behind a provider's wrapped exception, if that is what it was."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, ReplyTooLarge):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None
