"""Publish the outputs of one run into an output folder: all together or not at all.

Every file of a run is written into a fresh folder beside the target
(``.out.new-XXXX``), synced, and then swapped with the target in one step
(``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames a few
microseconds apart). A reader of the folder sees the previous run's files
or this run's, never a mix; a run killed before the swap leaves the
previous outputs untouched and a hidden staging folder that the next run
into the same folder removes.

What the previous folder held besides this command's outputs is carried
into the new one: subfolders (``out/compare`` of ``talenta compare``) are
moved, other files (the user's, another command's) are hard-linked. Output
files of an earlier run of the same command that this run does not write (a
talent-box picture the new scenario no longer draws) are not carried over:
they would mix two runs. A run into a subfolder (``out/compare``) at the
moment a run publishes the folder above it may fail with a message; neither
folder is left mixed.

One run at a time: the folder is locked (``flock`` on ``.out.lock`` beside
it) from before the inputs are read until the outputs are published; a
second run into the same folder is refused with a message naming the
process that holds it.

Every refusal is an :class:`~engine.errors.InputError` (exit code 2): an
``--out`` that is a file or a device, an output folder that holds or is an
input of the round, a folder that cannot be written, a full disk.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from engine.errors import InputError, Message, Problem, message, os_reason

__all__ = ["OutputFolder", "publish"]

# The files each talenta command writes into an output folder. A previous
# run's file of the same command is dropped, not carried over, when the new
# run does not write it; another command's files are kept.
_FAMILIES = (
    re.compile(r"^(plan\.json|plan\.xlsx|run\.json|report\.md|report\.html)$"),
    re.compile(r"^compare\.(json|md|html|xlsx)$"),
    re.compile(r"^succession[\w.-]*\.(json|md|graphml|svg)$"),
)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputFolder:
    """The output folder of one run, locked while the run lasts.

    Use as a context manager: entering checks the path and takes the lock,
    :meth:`refuse_inputs` refuses a folder holding an input of the round,
    :meth:`publish` writes the run's files and swaps them in.
    """

    def __init__(self, out: Path):
        self.out = out
        self.shown = str(out)
        self.target = Path(os.path.realpath(out))
        self._lock: int | None = None

    def __enter__(self) -> OutputFolder:
        self._check_shape()
        self._take_lock()
        try:
            self._clean_stale()
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._release()

    def _refuse(
        self, what: Message, allowed: Message | None = None, hint: Message | None = None
    ) -> None:
        raise InputError([Problem(f"--out {self.shown}", what, allowed=allowed, hint=hint)])

    def _check_shape(self) -> None:
        try:
            st = os.stat(self.target)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            self._refuse(message("out_unusable", reason=os_reason(exc)))
        if st is not None and not stat.S_ISDIR(st.st_mode):
            what = "out_is_file" if stat.S_ISREG(st.st_mode) else "out_not_folder"
            self._refuse(message(what), allowed=message("out_folder_allowed"))
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._refuse(message("out_parent", reason=os_reason(exc)))

    def _take_lock(self) -> None:
        path = self.target.parent / f".{self.target.name}.lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            self._refuse(
                message("out_unwritable", reason=os_reason(exc)),
                hint=message("out_writable_hint"),
            )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                self._refuse(message("out_unlockable", reason=os_reason(exc)))
            holder_said = holder or message("out_holder_unknown")
            self._refuse(message("out_locked", holder=holder_said), hint=message("out_locked_hint"))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._lock = fd

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the only descriptor releases the flock
            self._lock = None

    def _clean_stale(self) -> None:
        """Remove what a killed run left beside the folder (we hold the lock: no run is live)."""
        parent, name = self.target.parent, self.target.name
        for old in parent.glob(f".{glob_escape(name)}.old-*"):
            if (old / "x").is_dir() and not self.target.exists():
                os.rename(old / "x", self.target)  # killed between the fallback's renames
            shutil.rmtree(old, ignore_errors=True)
        for staging in parent.glob(f".{glob_escape(name)}.new-*"):
            # Subfolders are moved into the staging folder just before the swap:
            # give back any a kill left there.
            if self.target.is_dir():
                for entry in os.scandir(staging):
                    back = self.target / entry.name
                    if entry.is_dir(follow_symlinks=False) and not back.exists():
                        os.rename(entry.path, back)
            shutil.rmtree(staging, ignore_errors=True)

    def refuse_inputs(self, inputs: Iterable[Path], what: Message | None = None) -> None:
        """Refuse an output folder that is, or holds, one of ``inputs``."""
        problems = []
        for path in inputs:
            real = Path(os.path.realpath(path))
            if real == self.target or self.target in real.parents:
                problems.append(
                    Problem(
                        f"--out {self.shown}",
                        message("out_holds_input", path=path, what=what or message("the_round")),
                        allowed=message("out_no_input"),
                        hint=message("out_other_hint"),
                    )
                )
        if problems:
            raise InputError(problems)

    def publish(self, contents: dict[str, str | bytes]) -> list[Path]:
        """Write ``contents`` (file name -> text or bytes) and swap them in; return the paths."""
        assert self._lock is not None, "publish inside 'with OutputFolder(...)'"
        staging: Path | None = None
        moved: list[str] = []
        try:
            staging = Path(
                tempfile.mkdtemp(prefix=f".{self.target.name}.new-", dir=self.target.parent)
            )
            _write_files(staging, contents)
            os.chmod(staging, self._mode())
            if self.target.exists():
                moved = _carry_over(self.target, staging, contents)
                _exchange(staging, self.target)
                shutil.rmtree(staging, ignore_errors=True)
            else:
                os.rename(staging, self.target)
            staging = None
            _fsync_dir(self.target.parent)
        except OSError as exc:
            self._undo(staging, moved)
            self._refuse(
                message("out_write_failed", reason=os_reason(exc)),
                allowed=message("out_write_allowed"),
                hint=message("out_unchanged_hint"),
            )
        return [self.out / name for name in contents]

    def _mode(self) -> int:
        try:
            return stat.S_IMODE(os.stat(self.target).st_mode)
        except OSError:
            return 0o777 & ~_umask()

    def _undo(self, staging: Path | None, moved: list[str]) -> None:
        if staging is None:
            return
        for name in moved:  # a failed swap: the subfolders go back
            with contextlib.suppress(OSError):
                os.rename(staging / name, self.target / name)
        shutil.rmtree(staging, ignore_errors=True)


def glob_escape(name: str) -> str:
    """``name`` with glob wildcards escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def publish(contents: dict[str, str | bytes], out: Path, inputs: Iterable[Path] = ()) -> list[Path]:
    """Lock ``out``, refuse it if it holds one of ``inputs``, publish ``contents`` into it."""
    with OutputFolder(out) as folder:
        folder.refuse_inputs(inputs)
        return folder.publish(contents)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_files(folder: Path, contents: dict[str, str | bytes]) -> None:
    mode = 0o666 & ~_umask()
    for name, content in contents.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    _fsync_dir(folder)


def _carry_over(old: Path, new: Path, contents: dict[str, str | bytes]) -> list[str]:
    """Link the old folder's other files into the new one; move its subfolders last."""
    ours = [f for f in _FAMILIES if any(f.match(name) for name in contents)]
    folders = []
    for entry in os.scandir(old):
        if entry.name in contents or any(f.match(entry.name) for f in ours):
            continue
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry.name)
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), new / entry.name)
        else:
            try:
                os.link(entry.path, new / entry.name, follow_symlinks=False)
            except OSError:
                shutil.copy2(entry.path, new / entry.name, follow_symlinks=False)
    moved = []
    for name in folders:
        os.rename(old / name, new / name)
        moved.append(name)
    return moved


def _exchange(new: Path, target: Path) -> None:
    """Swap ``new`` and ``target`` in one step where the system can; else two renames."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        done = renameat2(
            _AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE
        )
        if done == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code))
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rename(target, aside / "x")  # a rename onto a fresh empty folder's child
    os.rename(new, target)
    os.rename(aside / "x", new)
    os.rmdir(aside)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
