"""Latest-wins background jobs per key (a document URI): debounce, then run; a newer schedule cancels the older."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Hashable

log = logging.getLogger("xyguard.lsp")


class LatestOnly:
    def __init__(self) -> None:
        self._tasks: dict[Hashable, asyncio.Task] = {}

    def schedule(self, key: Hashable, delay_s: float, job: Callable[[], Awaitable[None]]) -> asyncio.Task:
        """Run `job` after `delay_s` unless `schedule` is called again for `key` first."""
        self.cancel(key)
        task = asyncio.ensure_future(self._run(key, delay_s, job))
        self._tasks[key] = task
        return task

    async def _run(self, key: Hashable, delay_s: float, job: Callable[[], Awaitable[None]]) -> None:
        try:
            if delay_s > 0:
                await asyncio.sleep(delay_s)
            await job()
        except asyncio.CancelledError:
            pass
        except Exception:  # a failing analysis must not take the document's future analyses with it
            log.exception("background job for %s failed", key)
        finally:
            if self._tasks.get(key) is asyncio.current_task():
                del self._tasks[key]

    def cancel(self, key: Hashable) -> None:
        task = self._tasks.pop(key, None)
        if task is not None:
            task.cancel()
