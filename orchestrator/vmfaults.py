"""VM-level faults: injected from the host, without the guest's help.

Builds on the machine layer (QMP) and on orchestrator.gdbstub (QEMU's
gdbstub in physical-memory mode). Knows nothing of campaigns: every
function returns a plain record (dataclass, ``as_dict()``) for the caller
to store.

Contract:
- ``guest_memory(machine)``: a context manager giving a ``GuestMemory``
  (read / write guest PHYSICAL memory and the current vCPU's registers).
  Opening it stops the guest (QEMU stops it when a debugger connects);
  closing it resumes the guest iff it was running before. Every function
  below takes an optional ``mem`` to reuse an open one (one debugger
  connection at a time per machine).
- ``pause(machine, ms)``: QMP stop, sleep, cont → ``PauseRecord`` with the
  real duration between the stop and the cont answers.
- ``flip_memory(machine, phys_addr, bit)`` → ``MemoryFlip`` (address, bit,
  old and new byte); exactly that bit changes. ``flip_target(machine,
  target, offset, bit)`` flips byte ``offset`` of a resolved region and also
  records the virtual address and the symbol there.
- ``flip_register(machine, reg, bit)`` → ``RegisterFlip`` (i386 names
  ``eax ... gs``, see ``REGISTERS``), on the current vCPU, with the guest
  stopped around it.
- ``resolve(machine, image_dir, label, region)`` → ``Target``: the physical
  extents of a running process's ``text`` / ``rodata`` / ``data`` / ``bss``
  / ``stack`` (or ``sym:NAME``, one symbol), found through the process's
  ELF (boot/<label>) for virtual addresses and its page tables in guest
  memory for physical ones. The process is found by name in the kernel's
  ``proc_table``, whose layout the kernel exports in the symbol
  ``crucible_debug_offsets`` (system/kernel/arch/i386/debug_offsets.c).
  A restarted process has new frames: resolve again after a restart.
- Errors: ``VMFaultError`` (base), ``ProcessNotFound``, ``NotMapped``;
  gdbstub / QMP errors pass through as their own types.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import time
from dataclasses import asdict, dataclass, field
from typing import Dict, Iterator, List, Optional

from .elf import SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, SHT_PROGBITS, ElfFile
from .gdbstub import GdbClient

__all__ = ["VMFaultError", "ProcessNotFound", "NotMapped", "REGISTERS", "GuestMemory",
           "guest_memory", "PauseRecord", "MemoryFlip", "RegisterFlip", "Extent", "Target",
           "ProcInfo", "pause", "flip_memory", "flip_target", "flip_register", "resolve",
           "find_process", "translate", "kernel_symbol", "read_kernel_u32"]

#: The i386 registers at the start of QEMU's ``g`` packet, 4 bytes each.
REGISTERS = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
             "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs")
REGIONS = ("text", "rodata", "data", "bss", "stack")
OFFSETS_MAGIC = 0x5346464F
_OFFSET_FIELDS = ("magic", "version", "proc_size", "nr_all_slots", "nr_tasks", "off_name",
                  "name_len", "off_endpoint", "off_rts_flags", "rts_slot_free", "off_pdir",
                  "off_nr")
PAGE = 4096


class VMFaultError(Exception):
    """Base class of this module's errors."""


class ProcessNotFound(VMFaultError):
    """No live process of that name in the kernel's process table."""


class NotMapped(VMFaultError):
    """A virtual address is not mapped in the process's page tables."""


# -- guest memory ---------------------------------------------------------

class GuestMemory:
    """Physical memory and registers of a stopped guest, through gdbstub."""

    def __init__(self, gdb: GdbClient):
        self.gdb = gdb

    def read(self, addr: int, length: int) -> bytes:
        return self.gdb.read_memory(addr, length)

    def write(self, addr: int, data: bytes) -> None:
        self.gdb.write_memory(addr, data)

    def read_u32(self, addr: int) -> int:
        return struct.unpack("<I", self.read(addr, 4))[0]

    def registers(self) -> Dict[str, int]:
        raw = self.gdb.read_registers()
        return {name: struct.unpack_from("<I", raw, 4 * i)[0] for i, name in enumerate(REGISTERS)}


@contextlib.contextmanager
def guest_memory(machine, timeout: float = 5.0) -> Iterator[GuestMemory]:
    """Open a debugger connection (stops the guest) in physical-memory mode;
    on exit leave physical mode, disconnect and resume the guest iff it was
    running when we came."""
    q = machine.qmp()
    was_running = q.command("query-status")["running"]
    gdb = GdbClient(machine.gdb_path, timeout=timeout).connect(wait=timeout)
    try:
        gdb.set_physical_memory(True)
        yield GuestMemory(gdb)
    finally:
        try:
            if gdb.connected:
                gdb.set_physical_memory(False)      # QEMU's mode is global
        finally:
            gdb.close()
            if was_running:
                q.command("cont")


@contextlib.contextmanager
def _session(machine, mem: Optional[GuestMemory]) -> Iterator[GuestMemory]:
    if mem is not None:
        yield mem
    else:
        with guest_memory(machine) as m:
            yield m


# -- records --------------------------------------------------------------

class _Record:
    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PauseRecord(_Record):
    requested_ms: float
    actual_ms: float           # wall ms from the stop's answer to the cont's answer
    was_running: bool
    started: float             # time.time() of the stop


@dataclass
class MemoryFlip(_Record):
    phys_addr: int
    bit: int                   # 0..7 within the byte
    old: int                   # byte before
    new: int                   # byte after (read back)
    label: Optional[str] = None
    region: Optional[str] = None
    vaddr: Optional[int] = None
    symbol: Optional[str] = None     # "name+0xoff" when known
    started: float = 0.0


@dataclass
class RegisterFlip(_Record):
    reg: str
    bit: int                   # 0..31
    old: int
    new: int                   # read back
    eip: int                   # where the vCPU was
    started: float = 0.0


@dataclass
class Extent(_Record):
    vaddr: int
    paddr: int
    size: int                  # never crosses a page


@dataclass
class ProcInfo(_Record):
    slot: int
    endpoint: int
    name: str
    pdir: int


@dataclass
class Target(_Record):
    """A region of one process: virtual range and its physical extents."""
    label: str
    region: str
    proc: ProcInfo
    vstart: int
    size: int
    extents: List[Extent] = field(default_factory=list)
    elf_path: str = ""

    def locate(self, offset: int) -> Extent:
        """(vaddr, paddr) of byte ``offset`` of the region as a 1-byte Extent.
        NotMapped if that byte is on an unmapped page."""
        va = self.vstart + offset
        for e in self.extents:
            if e.vaddr <= va < e.vaddr + e.size:
                return Extent(va, e.paddr + (va - e.vaddr), 1)
        raise NotMapped(f"{self.label} {self.region}+{offset:#x} is not mapped")


# -- pause and flips ------------------------------------------------------

def pause(machine, ms: float) -> PauseRecord:
    """Stop the whole VM for ``ms`` milliseconds (QMP stop / cont). A VM
    that was already stopped stays stopped (nothing to pause)."""
    q = machine.qmp()
    was_running = q.command("query-status")["running"]
    started = time.time()
    if not was_running:
        time.sleep(ms / 1000.0)
        return PauseRecord(ms, 0.0, False, started)
    q.command("stop")
    t0 = time.monotonic()
    remaining = ms / 1000.0 - (time.monotonic() - t0)
    if remaining > 0:
        time.sleep(remaining)
    q.command("cont")
    return PauseRecord(ms, (time.monotonic() - t0) * 1000.0, True, started)


def flip_memory(machine, phys_addr: int, bit: int, mem: Optional[GuestMemory] = None) -> MemoryFlip:
    """Flip bit ``bit`` (0..7) of the byte at guest physical ``phys_addr``."""
    if not 0 <= bit < 8:
        raise ValueError("bit must be 0..7")
    started = time.time()
    with _session(machine, mem) as m:
        old = m.read(phys_addr, 1)[0]
        m.write(phys_addr, bytes((old ^ (1 << bit),)))
        new = m.read(phys_addr, 1)[0]
    return MemoryFlip(phys_addr, bit, old, new, started=started)


def flip_target(machine, target: Target, offset: int, bit: int,
                mem: Optional[GuestMemory] = None) -> MemoryFlip:
    """Flip bit ``bit`` of byte ``offset`` of a resolved region; the record
    names the process, region, virtual address and symbol."""
    where = target.locate(offset)
    rec = flip_memory(machine, where.paddr, bit, mem)
    rec.label, rec.region, rec.vaddr = target.label, target.region, where.vaddr
    if target.elf_path:
        sym = ElfFile(target.elf_path).symbol_at(where.vaddr)
        if sym is not None:
            rec.symbol = f"{sym.name}+{where.vaddr - sym.value:#x}"
    return rec


def flip_register(machine, reg: str, bit: int, mem: Optional[GuestMemory] = None) -> RegisterFlip:
    """Flip bit ``bit`` (0..31) of register ``reg`` of the current vCPU."""
    if reg not in REGISTERS:
        raise ValueError(f"unknown register {reg!r} (one of {', '.join(REGISTERS)})")
    if not 0 <= bit < 32:
        raise ValueError("bit must be 0..31")
    i = REGISTERS.index(reg)
    started = time.time()
    with _session(machine, mem) as m:
        raw = bytearray(m.gdb.read_registers())
        old = struct.unpack_from("<I", raw, 4 * i)[0]
        eip = struct.unpack_from("<I", raw, 4 * REGISTERS.index("eip"))[0]
        struct.pack_into("<I", raw, 4 * i, old ^ (1 << bit))
        m.gdb.write_registers(bytes(raw))
        new = m.registers()[reg]
    return RegisterFlip(reg, bit, old, new, eip, started)


# -- targeting ------------------------------------------------------------

def kernel_symbol(image_dir: str, name: str) -> int:
    """Address of a kernel symbol (virtual = physical: identity-mapped)."""
    sym = ElfFile(os.path.join(image_dir, "kernel.elf")).symbol(name)
    if sym is None:
        raise VMFaultError(f"kernel.elf has no symbol {name}")
    return sym.value


def read_kernel_u32(machine, image_dir: str, name: str, mem: Optional[GuestMemory] = None) -> int:
    """The 32-bit value of a kernel variable (e.g. ``kernel_ticks``)."""
    addr = kernel_symbol(image_dir, name)
    with _session(machine, mem) as m:
        return m.read_u32(addr)


def _offsets(m: GuestMemory, kernel: ElfFile) -> Dict[str, int]:
    sym = kernel.symbol("crucible_debug_offsets")
    if sym is None:
        raise VMFaultError("kernel.elf has no crucible_debug_offsets (kernel too old?)")
    vals = struct.unpack(f"<{len(_OFFSET_FIELDS)}I", m.read(sym.value, 4 * len(_OFFSET_FIELDS)))
    table = dict(zip(_OFFSET_FIELDS, vals))
    if table["magic"] != OFFSETS_MAGIC:
        raise VMFaultError(f"crucible_debug_offsets: bad magic {table['magic']:#x}")
    return table


def find_process(machine, image_dir: str, label: str,
                 mem: Optional[GuestMemory] = None) -> ProcInfo:
    """The live process named ``label`` (first slot in table order)."""
    kernel = ElfFile(os.path.join(image_dir, "kernel.elf"))
    table_sym = kernel.symbol("proc_table")
    if table_sym is None:
        raise VMFaultError("kernel.elf has no proc_table")
    with _session(machine, mem) as m:
        o = _offsets(m, kernel)
        raw = m.read(table_sym.value, o["proc_size"] * o["nr_all_slots"])
    for i in range(o["nr_all_slots"]):
        base = i * o["proc_size"]
        rts = struct.unpack_from("<I", raw, base + o["off_rts_flags"])[0]
        if rts & o["rts_slot_free"]:
            continue
        name = raw[base + o["off_name"]:base + o["off_name"] + o["name_len"]]
        name = name.split(b"\0", 1)[0].decode("latin-1")
        pdir = struct.unpack_from("<I", raw, base + o["off_pdir"])[0]
        if name == label and pdir:
            ep = struct.unpack_from("<i", raw, base + o["off_endpoint"])[0]
            return ProcInfo(i - o["nr_tasks"], ep, name, pdir)
    raise ProcessNotFound(f"no live process named {label!r}")


def translate(mem: GuestMemory, pdir: int, vaddr: int) -> Optional[int]:
    """Physical address of ``vaddr`` in the address space ``pdir``, or None
    when not mapped (i386 two-level paging, 4 MiB PDEs honoured)."""
    pde = mem.read_u32(pdir + 4 * (vaddr >> 22))
    if not pde & 1:
        return None
    if pde & 0x80:
        return (pde & 0xFFC00000) | (vaddr & 0x3FFFFF)
    pte = mem.read_u32((pde & 0xFFFFF000) + 4 * ((vaddr >> 12) & 0x3FF))
    if not pte & 1:
        return None
    return (pte & 0xFFFFF000) | (vaddr & 0xFFF)


def _config(name: str, default: int) -> int:
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "system", "include", "crucible", "config.h")
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return default
    mt = re.search(rf"^#define\s+{name}\s+(.+?)\s*(/\*.*)?$", text, re.M)
    if not mt:
        return default
    # Only a number or a product of numbers ("0xBFFFF000u", "(64 * 1024)").
    expr = mt.group(1).strip().strip("()")
    value = 1
    for part in expr.split("*"):
        num = re.fullmatch(r"\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\s*", part)
        if not num:
            return default
        value *= int(num.group(1), 0)
    return value


def _region_range(elf: ElfFile, region: str) -> List[tuple]:
    """[(vstart, size)] of a region in the ELF."""
    if region.startswith("sym:"):
        sym = elf.symbol(region[4:])
        if sym is None:
            raise VMFaultError(f"{elf.path}: no symbol {region[4:]}")
        return [(sym.value, max(sym.size, 1))]
    if region == "stack":
        top = _config("USER_STACK_TOP", 0xBFFFF000)
        size = _config("USER_STACK_SIZE", 64 * 1024)
        return [(top - size, size)]
    want = {
        "text": lambda s: s.flags & SHF_EXECINSTR,
        "rodata": lambda s: s.type == SHT_PROGBITS and not s.flags & (SHF_WRITE | SHF_EXECINSTR),
        "data": lambda s: s.type == SHT_PROGBITS and s.flags & SHF_WRITE,
        "bss": lambda s: s.type == SHT_NOBITS and s.flags & SHF_WRITE,
    }.get(region)
    if want is None:
        raise ValueError(f"unknown region {region!r} (one of {', '.join(REGIONS)}, sym:NAME)")
    out = [(s.addr, s.size) for s in elf.sections if s.alloc and s.size and want(s)]
    if not out:
        raise VMFaultError(f"{elf.path}: no {region} section")
    return out


def resolve(machine, image_dir: str, label: str, region: str,
            mem: Optional[GuestMemory] = None) -> Target:
    """Physical extents of ``region`` of the live process ``label`` (see
    the module docstring). Pages not mapped are left out; NotMapped if none
    is. When the region has several sections, the Target spans from the
    first one's start to the last one's end and holes are left out."""
    elf_path = os.path.join(image_dir, label)
    elf = ElfFile(elf_path)
    ranges = _region_range(elf, region)
    with _session(machine, mem) as m:
        proc = find_process(machine, image_dir, label, m)
        extents: List[Extent] = []
        for vstart, size in ranges:
            va, end = vstart, vstart + size
            while va < end:
                n = min(end, (va & ~(PAGE - 1)) + PAGE) - va
                pa = translate(m, proc.pdir, va)
                if pa is not None:
                    extents.append(Extent(va, pa, n))
                va += n
    if not extents:
        raise NotMapped(f"{label} {region}: no page mapped")
    vstart = ranges[0][0]
    return Target(label, region, proc, vstart, ranges[-1][0] + ranges[-1][1] - vstart,
                  extents, elf_path)
