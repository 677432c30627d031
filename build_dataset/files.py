"""How commands touch the repository's files. A contributor's pull request can hold links, so
a file is read only when its real path lies inside the repository, and written only into a
folder whose real path does; a file is replaced by renaming over it a complete copy, created
exclusively under an unpredictable name beside it, so that no existing file or link is ever
written through and a stop at any moment leaves the old file or the new one."""

import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from build_dataset.problems import undecodable

TEMP_SUFFIX = ".tmp"


class FileRefused(Exception):
    """A file the command will not read or write: a link out of the repository, a folder
    that leads out of it, or a text that is not UTF-8."""


def inside(root: Path, path: Path) -> bool:
    """Whether path, its links followed, lies within root."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def link_out(root: Path, path: Path) -> str | None:
    """Where path leads outside root, or None when it stays inside."""
    return None if inside(root, path) else os.path.realpath(path)


def read_inside(root: Path, path: Path) -> bytes:
    """The bytes of a file of the repository, refused when a link takes it outside."""
    if (outside := link_out(root, path)) is not None:
        raise FileRefused(f"{path} leads outside the repository, to {outside}; {_REPLACE_LINK}")
    return path.read_bytes()


_REPLACE_LINK = "replace the link with the file itself"


def read_text_inside(root: Path, path: Path) -> str:
    """The text of a UTF-8 file of the repository (see read_inside)."""
    data = read_inside(root, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column, message = undecodable(data, error)
        raise FileRefused(f"{path}:{line}:{column}: {message}; save it as UTF-8") from None


def writable_folder(root: Path, folder: Path) -> None:
    """Refuses a folder whose real path lies outside root, so that nothing is written there."""
    if (outside := link_out(root, folder)) is not None:
        raise FileRefused(
            f"{folder} leads outside the repository, to {outside}; nothing is written through "
            "it: replace the link with a folder"
        )


def staged_copy(path: Path, data: bytes) -> Path:
    """A complete copy of data beside path, in a file created for it alone (never an existing
    file or link), to be renamed over path. Its name starts with '.<name>.' and ends in
    TEMP_SUFFIX, so that one left by a killed command can be recognized."""
    prefix, folder = f".{path.name}.", path.parent
    descriptor, name = tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, 0o666 & ~_umask())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(root: Path, path: Path, data: bytes) -> None:
    """Replace path, inside root, with data: the old file or the new one, whatever happens."""
    writable_folder(root, path.parent)
    staged = staged_copy(path, data)
    try:
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def leftover_copies(folder: Path, name: str) -> list[Path]:
    """The staged copies of a file named name that a killed command left in folder."""
    return sorted(folder.glob(f".{name}.*{TEMP_SUFFIX}"))


_ADVICE = {
    errno.ENOSPC: "free some disk space and run the command again",
    errno.EDQUOT: "free some of your disk quota and run the command again",
    errno.EACCES: "make it writable (or run the command as its owner) and run it again",
    errno.EPERM: "make it writable (or run the command as its owner) and run it again",
    errno.EROFS: "it is on a read-only file system: work in a writable copy of the repository",
    errno.ELOOP: f"it is a link; {_REPLACE_LINK}",
}


def describe(error: OSError) -> str:
    """One line for a user: the file, what went wrong and what to do."""
    where = f"{error.filename}: " if error.filename is not None else ""
    what = error.strerror or str(error)
    advice = _ADVICE.get(error.errno or 0)
    return f"{where}{what}" + (f"; {advice}" if advice else "")


def staged_folder(target: Path) -> Path:
    """A new empty folder beside target, created for this command alone under an
    unpredictable name ('.<name>.' ... TEMP_SUFFIX), where a whole tree is written before it
    takes target's place (replace_folder): a stop at any moment leaves target as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    os.chmod(folder, 0o777 & ~_umask())
    return Path(folder)


def write_new(path: Path, data: bytes) -> None:
    """data in a file created for it alone, in a folder made by staged_folder: an existing
    file or link is never opened, so nothing is written through one."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileNotFoundError:  # made only then: asking first costs every write a system call
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o666)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def replace_folder(staged: Path, target: Path) -> None:
    """The staged folder in target's place, and target's old contents removed. target, if it
    exists, is first renamed aside (never followed, were it a link), so that what is removed
    is only ever what was there."""
    aside = None
    if os.path.lexists(target):
        aside = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
        )
        try:
            os.replace(target, aside)  # a link is not a folder: refused here, not followed
        except BaseException:
            aside.rmdir()
            raise
    os.replace(staged, target)
    if aside is not None:
        shutil.rmtree(aside)


def process_running(pid: int) -> bool:
    """Whether a process of that id exists, another user's included: a staging folder named
    after a process that is gone was left by a killed build."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


SCRATCH_PREFIX = "build-dataset-"
_SCRATCH = re.compile(rf"{SCRATCH_PREFIX}[a-z]+-(?P<pid>[0-9]+)-")
LEFT_AFTER_S = 3600
"""How long a scratch folder of a process that is gone stays untouched before it counts as
left behind: a process of another container sharing the folder looks gone from here, but a
build writes into its folder at every shard."""


@contextmanager
def scratch_folder(purpose: str) -> Iterator[Path]:
    """A folder of this process's own in the system's temporary folder, removed at the end of
    the with. It is named after the process, so that the folders of builds killed before they
    could remove theirs (SIGKILL) are found and removed here: those of this user whose
    process is gone, untouched for LEFT_AFTER_S."""
    base = Path(tempfile.gettempdir())
    _remove_left_scratch(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{purpose}-{os.getpid()}-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_left_scratch(base: Path) -> None:
    try:
        found = list(os.scandir(base))
    except OSError:
        return
    for item in found:
        left = _SCRATCH.match(item.name)
        if left is None or process_running(int(left["pid"])):
            continue
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue
        untouched = time.time() - info.st_mtime > LEFT_AFTER_S
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and untouched:
            shutil.rmtree(item.path, ignore_errors=True)
