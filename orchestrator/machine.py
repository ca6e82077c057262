"""Machine layer: one QEMU running the Crucible OS (or any multiboot kernel).

This module starts and stops qemu-system-i386, reads the guest console and
decodes how the machine ended. It knows nothing of campaigns, faults or
reports; it talks QMP only through orchestrator.qmp.

Contract:
- ``Machine(kernel, modules, append)`` describes a machine; ``launch()``
  starts QEMU with ``-nodefaults -accel tcg -m 64 -display none -no-reboot``,
  isa-debug-exit at 0xf4, ``-kernel``, ``-initrd "m1,m2,..."``, ``-append``,
  COM1 into a console log file, COM2 as a unix-socket server (the control
  channel) and QMP on a unix socket. Files live in ``workdir`` (a fresh
  temporary directory, removed on ``close()``, unless one is given).
- ``wait_for_line(regex)`` tails the console from the last consumed line and
  returns the first match; it raises ``GuestPanic`` on a ``crucible: panic:``
  line, ``MachineExited`` when QEMU ends first and ``WaitTimeout`` on time.
- ``boot_to_ready()`` waits for ``crucible: ready services=N ticks=T`` and
  returns a ``Ready``; on timeout it kills QEMU and raises ``BootTimeout``.
- ``wait(timeout)`` waits for QEMU to end and returns an ``ExitStatus``
  (isa-debug-exit value, panic, reset, signal, QEMU error); on timeout QEMU
  is killed and ``WaitTimeout`` raised.
- Snapshots: unless ``snapshot_drive=False``, ``launch()`` creates a qcow2
  scratch image ``snapshots.qcow2`` in the workdir (qemu-img) and attaches
  it as block node ``snap0`` (no guest device sees it); it holds the
  vmstate. ``snapshot_save(tag)`` / ``snapshot_load(tag)`` /
  ``snapshot_delete(tag)`` run QEMU's ``snapshot-*`` QMP jobs on it, wait
  for them to conclude, dismiss them and return the wall milliseconds taken;
  failures raise ``SnapshotError`` (``SnapshotNotFound``, ``SnapshotExists``).
  The run state is kept: a running guest runs on after a save or a load, a
  stopped one stays stopped. After a load the guest resumes from the saved
  point; the console file and the control socket are host-side and carry on
  (the console keeps growing; lines printed after the save are printed again
  by the restored guest).
- gdbstub: unless ``gdbstub=False``, QEMU listens for GDB's remote protocol
  on the unix socket ``gdb_path`` (``-gdb unix:...,server=on,wait=off``).
  Connecting STOPS the guest (QEMU's rule); see orchestrator/gdbstub.py.
- A Machine is a context manager and NEVER leaves a QEMU behind: ``close()``
  (and ``__exit__``) terminates, then kills; an atexit hook kills whatever a
  crashed caller left running.
"""

from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import weakref
from dataclasses import dataclass
from typing import IO, List, Optional, Pattern, Sequence, Union

from .qmp import QMPClient, QMPError

__all__ = [
    "MachineError", "MachineExited", "WaitTimeout", "BootTimeout", "GuestPanic",
    "Ready", "ExitStatus", "decode_exit", "Machine", "PANIC_EXIT_STATUS",
    "READY_RE", "PANIC_RE", "SnapshotError", "SnapshotNotFound", "SnapshotExists",
    "SNAPSHOT_NODE",
]

QEMU = "qemu-system-i386"
QEMU_IMG = "qemu-img"
#: Block node name of the snapshot scratch image (holds the vmstate).
SNAPSHOT_NODE = "snap0"
READY_RE = re.compile(r"^crucible: ready services=(\d+) ticks=(\d+)")
PANIC_RE = re.compile(r"^crucible: panic: (.*)$")
#: The kernel writes 0x7d to isa-debug-exit on panic: QEMU status (0x7d<<1)|1.
PANIC_EXIT_VALUE = 0x7D
PANIC_EXIT_STATUS = (PANIC_EXIT_VALUE << 1) | 1   # 251


class MachineError(Exception):
    """Base class of machine errors. ``console_tail`` holds the last console
    lines when known (for error messages)."""

    def __init__(self, message: str, console_tail: str = ""):
        if console_tail:
            message = f"{message}\n--- console (tail) ---\n{console_tail}"
        super().__init__(message)
        self.console_tail = console_tail


class WaitTimeout(MachineError):
    """A console line or QEMU's exit did not come in time."""


class BootTimeout(WaitTimeout):
    """The ready line did not come in time (QEMU has been killed)."""


class MachineExited(MachineError):
    """QEMU ended while we were waiting for something else."""

    def __init__(self, message: str, status: "ExitStatus", console_tail: str = ""):
        super().__init__(message, console_tail)
        self.status = status


class SnapshotError(MachineError):
    """A snapshot job failed. ``op`` is ``save``/``load``/``delete``, ``tag``
    the snapshot name, ``qemu_error`` QEMU's message (job error or QMP
    error). After a failed load other than SnapshotNotFound the guest is
    left stopped: its state is undefined (restart the machine)."""

    def __init__(self, op: str, tag: str, qemu_error: str, console_tail: str = ""):
        super().__init__(f"snapshot {op} {tag!r} failed: {qemu_error}", console_tail)
        self.op = op
        self.tag = tag
        self.qemu_error = qemu_error


class SnapshotNotFound(SnapshotError):
    """No snapshot of that tag (load, delete). Nothing was changed; the
    guest's run state is as before."""


class SnapshotExists(SnapshotError):
    """``snapshot_save`` without ``overwrite`` of a tag that already exists."""


class GuestPanic(MachineError):
    """The kernel printed ``crucible: panic: <what>``."""

    def __init__(self, what: str, console_tail: str = ""):
        super().__init__(f"guest kernel panic: {what}", console_tail)
        self.what = what


@dataclass(frozen=True)
class Ready:
    """The parsed ready line and the wall time since QEMU started."""
    services: int
    ticks: int
    elapsed_s: float
    line: str


@dataclass(frozen=True)
class ExitStatus:
    """How QEMU ended.

    kind: ``debug-exit`` (the guest wrote ``value`` to isa-debug-exit),
    ``panic`` (status 251 = debug-exit 0x7d, ``panic`` holds the message if
    the console had the line), ``reset`` (status 0: with -no-reboot a guest
    reset or triple fault ends QEMU normally; also QMP quit), ``killed``
    (the harness ended it: timeout, close; QEMU exits 0 on SIGTERM),
    ``signal`` (killed by signal ``-returncode`` by someone else),
    ``qemu-error`` (QEMU refused to run:
    status 1 with an error on stderr and nothing on the console).
    """
    returncode: int
    kind: str
    value: Optional[int] = None
    panic: Optional[str] = None
    stderr: str = ""

    @property
    def guest_ok(self) -> bool:
        """True when the guest ended itself with debug-exit value 0."""
        return self.kind == "debug-exit" and self.value == 0


def decode_exit(returncode: int, console: str = "", stderr: str = "",
                killed: bool = False) -> ExitStatus:
    """Decode QEMU's exit status (see ExitStatus). ``killed``: the harness
    terminated QEMU itself. Pure function."""
    panic = None
    for line in console.splitlines():
        m = PANIC_RE.match(line.rstrip("\r"))
        if m:
            panic = m.group(1)
            break
    if killed:
        return ExitStatus(returncode, "killed", stderr=stderr, panic=panic)
    if returncode < 0:
        return ExitStatus(returncode, "signal", stderr=stderr, panic=panic)
    if returncode == PANIC_EXIT_STATUS:
        return ExitStatus(returncode, "panic", PANIC_EXIT_VALUE, panic, stderr)
    if returncode == 0:
        return ExitStatus(returncode, "reset", stderr=stderr, panic=panic)
    if returncode == 1 and not console.strip() and re.search(r"^qemu[^:]*:", stderr, re.M):
        return ExitStatus(returncode, "qemu-error", stderr=stderr)
    if returncode & 1:
        return ExitStatus(returncode, "debug-exit", returncode >> 1, panic, stderr)
    return ExitStatus(returncode, "qemu-error", stderr=stderr, panic=panic)


_live: "weakref.WeakSet[Machine]" = weakref.WeakSet()


@atexit.register
def _kill_leftovers() -> None:
    for m in list(_live):
        m.kill()


class Machine:
    """One QEMU process. See the module docstring for the contract.

    kernel: path of the multiboot kernel ELF; modules: paths of the boot
    modules, in order (a module's name in the guest is its basename);
    append: kernel command line; icount: ``-icount shift=<icount>`` when not
    None (deterministic instruction-counted time); extra_args: appended
    verbatim to the QEMU command line.
    """

    def __init__(self, kernel: str, modules: Sequence[str] = (), append: str = "", *,
                 workdir: Optional[str] = None, memory_mb: int = 64,
                 icount: Optional[int] = None, extra_args: Sequence[str] = (),
                 qemu: str = QEMU, name: str = "crucible",
                 snapshot_drive: bool = True, gdbstub: bool = True):
        self.kernel = os.path.abspath(kernel)
        self.modules = [os.path.abspath(m) for m in modules]
        for m in self.modules:
            if "," in m:
                raise MachineError(f"module path contains a comma: {m}")
        self.append = append
        self.memory_mb = memory_mb
        self.icount = icount
        self.extra_args = list(extra_args)
        self.qemu = qemu
        self.name = name
        self._own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix=f"{name}-")
        os.makedirs(self.workdir, exist_ok=True)
        self.console_path = os.path.join(self.workdir, "console.log")
        self.stderr_path = os.path.join(self.workdir, "qemu.stderr")
        self.qmp_path = os.path.join(self.workdir, "qmp.sock")
        self.control_path = os.path.join(self.workdir, "control.sock")
        self.snapshot_drive = snapshot_drive
        self.snapshot_path = os.path.join(self.workdir, "snapshots.qcow2")
        self.gdbstub = gdbstub
        self.gdb_path = os.path.join(self.workdir, "gdb.sock")
        self._snapshot_tags: set = set()
        self._jobs = itertools.count(1)
        self.proc: Optional[subprocess.Popen] = None
        self.started_at: Optional[float] = None
        self._status: Optional[ExitStatus] = None
        self._qmp: Optional[QMPClient] = None
        self._console: Optional[IO[bytes]] = None
        self._partial = b""
        self._lines: List[str] = []
        self._cursor = 0          # index of the next unconsumed console line
        self._killed = False      # the harness ended QEMU (not the guest)

    # -- lifecycle --------------------------------------------------------

    def command_line(self) -> List[str]:
        """The full QEMU argument vector."""
        # Perf: -nodefaults drops the devices QEMU adds on its own and the
        # guest never uses (VGA with its 16 MB of VRAM and option ROMs, the
        # e1000 NIC, floppy, CD-ROM, parallel port): every snapshot load
        # restored them (a smaller vmstate, less reset work). The guest uses
        # only what is named below (COM1, COM2, PIT/PIC, isa-debug-exit).
        args = [self.qemu, "-nodefaults", "-accel", "tcg", "-m", str(self.memory_mb),
                "-display", "none", "-no-reboot", "-monitor", "none",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", self.kernel]
        if self.modules:
            args += ["-initrd", ",".join(self.modules)]
        args += ["-append", self.append,
                 "-chardev", f"file,id=console,path={self.console_path}",
                 "-serial", "chardev:console",
                 "-chardev", f"socket,id=control,path={self.control_path},server=on,wait=off",
                 "-serial", "chardev:control",
                 "-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        if self.icount is not None:
            args += ["-icount", f"shift={self.icount}"]
        if self.snapshot_drive:
            args += ["-blockdev", f"driver=qcow2,node-name={SNAPSHOT_NODE},"
                     f"file.driver=file,file.filename={self.snapshot_path}"]
        if self.gdbstub:
            args += ["-gdb", f"unix:{self.gdb_path},server=on,wait=off"]
        return args + self.extra_args

    def launch(self) -> "Machine":
        """Start QEMU. Returns self. Raises MachineError if QEMU refuses to
        start (bad arguments, missing kernel): the error carries its stderr."""
        if self.proc is not None:
            raise MachineError("machine already launched")
        for path in [self.kernel] + self.modules:
            if not os.path.isfile(path):
                raise MachineError(f"no such file: {path}")
        for path in (self.console_path, self.qmp_path, self.control_path, self.gdb_path,
                     self.snapshot_path):
            if os.path.exists(path):
                os.unlink(path)
        self._snapshot_tags.clear()
        if self.snapshot_drive:
            # The size is virtual (qcow2 grows on demand); vmstate lives past it.
            res = subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2", self.snapshot_path,
                                  "64M"], stdin=subprocess.DEVNULL, capture_output=True)
            if res.returncode != 0:
                raise MachineError(f"qemu-img create failed: "
                                   f"{res.stderr.decode('utf-8', 'replace').strip()}")
        # The console file exists before QEMU opens it, so tailing never races.
        open(self.console_path, "wb").close()
        with open(self.stderr_path, "wb") as err:
            self.started_at = time.monotonic()
            self.proc = subprocess.Popen(self.command_line(), stdin=subprocess.DEVNULL,
                                         stdout=err, stderr=err, start_new_session=True)
        _live.add(self)
        self._console = open(self.console_path, "rb")
        # QEMU creates its sockets while parsing the command line; if it exits
        # without creating them, it refused to start.
        deadline = time.monotonic() + 10
        while not os.path.exists(self.qmp_path):
            if self.proc.poll() is not None:
                status = self._reap()
                raise MachineError(f"QEMU failed to start (status {status.returncode}): "
                                   f"{status.stderr.strip()}")
            if time.monotonic() > deadline:
                self.kill()
                raise MachineError("QEMU did not create its QMP socket within 10 s")
            time.sleep(0.002)
        return self

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> Optional[int]:
        return self.proc.pid if self.proc else None

    def wait(self, timeout: float) -> ExitStatus:
        """Wait for QEMU to end; return its decoded status. On timeout QEMU
        is killed and WaitTimeout raised."""
        self._require_launched()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise WaitTimeout(f"QEMU still running after {timeout:.1f} s (killed)",
                              self.console_tail()) from None
        return self._reap()

    @property
    def exit_status(self) -> Optional[ExitStatus]:
        """The decoded status once QEMU has ended, else None."""
        if self._status is None and self.proc is not None and self.proc.poll() is not None:
            self._reap()
        return self._status

    def kill(self) -> None:
        """End QEMU now: SIGTERM, then SIGKILL after 2 s. Idempotent."""
        if self._qmp is not None:
            self._qmp.close()
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self._killed = True
            try:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        _live.discard(self)

    def close(self) -> None:
        """Kill QEMU if needed, close files, remove an owned workdir."""
        self.kill()
        if self.proc is not None and self._status is None:
            self._reap()
        if self._console is not None:
            self._console.close()
            self._console = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "Machine":
        if self.proc is None:
            self.launch()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):  # last resort; close() is the contract
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
        except Exception:
            pass

    # -- console ----------------------------------------------------------

    def console_text(self) -> str:
        """The whole console log so far."""
        with open(self.console_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def console_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.console_text().splitlines()[-lines:])
        except OSError:
            return ""

    def _pump(self, final: bool = False) -> None:
        """Read new console bytes into complete lines; with ``final`` also
        the unterminated last line (QEMU has ended)."""
        if self._console is None:
            return
        data = self._console.read()
        if data:
            self._partial += data
            *done, self._partial = self._partial.split(b"\n")
            self._lines += [d.decode("utf-8", "replace").rstrip("\r") for d in done]
        if final and self._partial:
            self._lines.append(self._partial.decode("utf-8", "replace").rstrip("\r"))
            self._partial = b""

    def lines(self) -> List[str]:
        """Every complete console line read so far (consumed or not)."""
        self._pump()
        return list(self._lines)

    def wait_for_line(self, regex: Union[str, Pattern[str]], timeout: float,
                      panic_is_error: bool = True) -> "re.Match[str]":
        """Return the match of the first unconsumed console line matching
        ``regex`` (lines up to it are consumed).

        Raises GuestPanic when a panic line comes first (unless
        ``panic_is_error`` is False or ``regex`` matches it), MachineExited
        when QEMU ends without the line, WaitTimeout after ``timeout`` s
        (QEMU is left running).
        """
        self._require_launched()
        pattern = re.compile(regex) if isinstance(regex, str) else regex
        deadline = time.monotonic() + timeout
        while True:
            exited = self.proc.poll() is not None
            self._pump(final=exited)
            while self._cursor < len(self._lines):
                line = self._lines[self._cursor]
                self._cursor += 1
                m = pattern.search(line)
                if m:
                    return m
                p = PANIC_RE.match(line)
                if p and panic_is_error:
                    raise GuestPanic(p.group(1), self.console_tail())
            if exited:
                status = self._reap()
                raise MachineExited(
                    f"QEMU ended ({status.kind}, status {status.returncode}) "
                    f"before a line matching {pattern.pattern!r}", status, self.console_tail())
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"no console line matching {pattern.pattern!r} "
                                  f"within {timeout:.1f} s", self.console_tail())
            time.sleep(0.002)

    def boot_to_ready(self, timeout: float = 60.0) -> Ready:
        """Wait for the ready line; return it parsed. On timeout QEMU is
        killed and BootTimeout raised; GuestPanic / MachineExited as in
        wait_for_line."""
        try:
            m = self.wait_for_line(READY_RE, timeout)
        except WaitTimeout as exc:
            self.kill()
            raise BootTimeout(f"no ready line within {timeout:.1f} s (QEMU killed)",
                              exc.console_tail) from None
        return Ready(int(m.group(1)), int(m.group(2)),
                     time.monotonic() - (self.started_at or 0.0), m.group(0))

    # -- channels ---------------------------------------------------------

    def qmp(self, timeout: float = 5.0) -> QMPClient:
        """The machine's QMP client, connected on first use."""
        self._require_launched()
        if self._qmp is None or not self._qmp.connected:
            self._qmp = QMPClient(self.qmp_path, timeout=timeout)
            self._qmp.connect(wait=timeout)
        return self._qmp

    def connect_control(self, timeout: float = 5.0) -> socket.socket:
        """A new connection to the COM2 control channel (the caller owns it)."""
        self._require_launched()
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.control_path)
                return s
            except OSError as exc:
                s.close()
                if time.monotonic() >= deadline:
                    raise MachineError(f"cannot connect to control channel: {exc}") from exc
                time.sleep(0.01)

    # -- snapshots --------------------------------------------------------

    def snapshot_save(self, tag: str, overwrite: bool = False, timeout: float = 30.0) -> float:
        """Save the whole machine (RAM, CPU, devices) as snapshot ``tag``;
        return the wall ms of the save job. An existing tag raises
        SnapshotExists unless ``overwrite`` (then it is deleted first; the
        delete is not counted). SnapshotError on any other failure."""
        if overwrite and tag in self._snapshot_tags:
            self.snapshot_delete(tag, timeout)
        ms = self._snapshot_job("snapshot-save", "save", tag, timeout)
        self._snapshot_tags.add(tag)
        return ms

    def snapshot_load(self, tag: str, timeout: float = 30.0) -> float:
        """Return the machine to snapshot ``tag``; return the wall ms of the
        load job. The guest continues (or stays stopped) as before the call.
        SnapshotNotFound (guest untouched) or SnapshotError (guest stopped,
        state undefined)."""
        return self._snapshot_job("snapshot-load", "load", tag, timeout)

    def snapshot_delete(self, tag: str, timeout: float = 30.0) -> float:
        """Delete snapshot ``tag``; return the wall ms. SnapshotNotFound if
        this Machine saved none of that tag (QEMU itself ignores a missing
        tag; the scratch drive is new at each launch, so the Machine knows
        every tag on it)."""
        if tag not in self._snapshot_tags:
            raise SnapshotNotFound("delete", tag, f"Snapshot '{tag}' does not exist")
        ms = self._snapshot_job("snapshot-delete", "delete", tag, timeout)
        self._snapshot_tags.discard(tag)
        return ms

    def snapshot_tags(self) -> List[str]:
        """Tags saved (and not deleted) through this Machine since launch."""
        return sorted(self._snapshot_tags)

    def _snapshot_job(self, command: str, op: str, tag: str, timeout: float) -> float:
        """Run one snapshot job to its end; raise SnapshotError on failure."""
        self._require_launched()
        if not self.snapshot_drive:
            raise SnapshotError(op, tag, "machine launched without a snapshot drive")
        q = self.qmp()
        job = f"{op}-{next(self._jobs)}"
        args = {"job-id": job, "tag": tag, "devices": [SNAPSHOT_NODE]}
        if op != "delete":
            args["vmstate"] = SNAPSHOT_NODE
        was_running = None
        if op == "load":
            was_running = q.command("query-status", timeout=timeout)["running"]
        start = time.monotonic()
        deadline = start + timeout
        try:
            q.command(command, args, timeout=timeout)
            while True:
                ev = q.get_event("JOB_STATUS_CHANGE", timeout=max(0.0, deadline - time.monotonic()))
                data = ev.get("data", {})
                if data.get("id") == job and data.get("status") == "concluded":
                    break
            elapsed_ms = (time.monotonic() - start) * 1000.0
            error = None
            for info in q.command("query-jobs", timeout=timeout):
                if info.get("id") == job:
                    error = info.get("error")
            q.command("job-dismiss", id=job, timeout=timeout)
        except QMPError as exc:
            raise SnapshotError(op, tag, str(exc), self.console_tail()) from exc
        if error:
            if "does not exist" in error:
                # QEMU checks the tag before touching the guest, but a failed
                # load leaves it stopped (RUN_STATE_RESTORE_VM): resume it.
                if was_running:
                    try:
                        q.command("cont", timeout=timeout)
                    except QMPError:
                        pass
                raise SnapshotNotFound(op, tag, error)
            if "already exists" in error:
                raise SnapshotExists(op, tag, error)
            raise SnapshotError(op, tag, error, self.console_tail())
        return elapsed_ms

    # -- internals --------------------------------------------------------

    def _require_launched(self) -> None:
        if self.proc is None:
            raise MachineError("machine not launched")

    def _reap(self) -> ExitStatus:
        if self._status is None:
            rc = self.proc.wait()
            _live.discard(self)
            try:
                with open(self.stderr_path, "rb") as f:
                    err = f.read().decode("utf-8", "replace")
            except OSError:
                err = ""
            try:
                console = self.console_text()
            except OSError:
                console = ""
            self._status = decode_exit(rc, console, err, self._killed)
        return self._status

