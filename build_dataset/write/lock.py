"""One command that writes at a time in a checkout: two builds (or a build and an import)
running together would release, set aside and clean up each other's folders and files."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from build_dataset.files import FileRefused, describe

LOCK_FILE = ".build-dataset.lock"


@contextmanager
def exclusive(root: Path, on_wait: Callable[[str], object] = lambda _: None) -> Iterator[None]:
    """Hold the checkout's lock for the body; while another command holds it, on_wait is told
    once and the lock is waited for. The operating system frees the lock of a command that is
    killed, so a wait always ends. The lock file is never opened through a link."""
    lock = FileLock(root / LOCK_FILE, is_singleton=False)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            on_wait(f"another build or import holds {root / LOCK_FILE}; waiting for it to finish")
            lock.acquire()
    except OSError as error:  # a link planted under the lock's name (O_NOFOLLOW), a read-only
        raise FileRefused(f"cannot take the lock: {describe(error)}") from None  # checkout
    try:
        yield
    finally:
        lock.release()
