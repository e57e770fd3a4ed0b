"""The one place xyguard talks to a model, through litellm, under our own deadline.

litellm is imported only here and only when a model is configured: the
import is slow, and without LITELLM_LOCAL_MODEL_COST_MAP it fetches a
price list over the network. Its debug banner goes to stdout, which would
corrupt an LSP stdio stream, so it is suppressed. Retries are off and the
call runs in a daemon thread that we stop waiting for at the deadline, so
a hanging server costs the deadline and no more.
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
                                      "max_retries": 0, "temperature": 0}
            if llm_config.api_base:
                kwargs["api_base"] = llm_config.api_base
            response = litellm.completion(**kwargs)
            box["text"] = response.choices[0].message.content or ""
        except LLMUnavailable as exc:
            box["error"] = str(exc)
        except Exception as exc:  # noqa: BLE001 - any provider failure means "not used", with the reason
            box["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else 'failed'}"
        finally:
            done.set()

    threading.Thread(target=call, name="xyguard-llm", daemon=True).start()
    if not done.wait(budget):
        raise LLMUnavailable(f"no reply within {budget:g}s")
    if "error" in box:
        log.info("llm call failed: %s", box["error"])
        raise LLMUnavailable(box["error"])
    return box["text"]
