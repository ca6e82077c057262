"""A minimal ELF32 little-endian reader: section headers, symbols and
section contents. Standard library only (struct); enough for the boot
image's static i386 executables. Knows nothing of machines.

Contract:
- ``ElfFile(path)`` parses the file once; ``ElfError`` if it is not an
  ELF32 LSB file or is truncated.
- ``sections`` (list of ``Section``), ``section(name)`` (or None),
  ``section_data(section)`` (bytes; zeros for NOBITS).
- ``symbols`` (list of ``Symbol``, from .symtab), ``symbol(name)`` (the
  first defined one of that name, or None), ``symbol_at(addr)`` (the sized
  object/function containing addr, else the nearest defined symbol below
  it in the same section, or None).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import List, Optional

__all__ = ["ElfError", "Section", "Symbol", "ElfFile",
           "SHF_WRITE", "SHF_ALLOC", "SHF_EXECINSTR", "SHT_PROGBITS", "SHT_NOBITS"]

SHT_PROGBITS = 1
SHT_SYMTAB = 2
SHT_NOBITS = 8
SHF_WRITE = 0x1
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4
STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE = 0, 1, 2, 3, 4


class ElfError(Exception):
    """Not a readable ELF32 little-endian file."""


@dataclass(frozen=True)
class Section:
    index: int
    name: str
    type: int
    flags: int
    addr: int
    offset: int
    size: int

    @property
    def alloc(self) -> bool:
        return bool(self.flags & SHF_ALLOC)


@dataclass(frozen=True)
class Symbol:
    name: str
    value: int
    size: int
    type: int          # STT_*
    bind: int          # STB_*
    shndx: int

    @property
    def defined(self) -> bool:
        return 0 < self.shndx < 0xFF00


class ElfFile:
    """One parsed ELF32 LSB file (see the module docstring)."""

    def __init__(self, path: str):
        self.path = path
        with open(path, "rb") as f:
            self._data = f.read()
        d = self._data
        if len(d) < 52 or d[:4] != b"\x7fELF":
            raise ElfError(f"{path}: not an ELF file")
        if d[4] != 1 or d[5] != 1:
            raise ElfError(f"{path}: not ELF32 little-endian")
        (self.type, self.machine, _ver, self.entry, _phoff, shoff, _flags, _ehsize,
         _phentsize, _phnum, shentsize, shnum, shstrndx) = struct.unpack_from(
            "<HHIIIIIHHHHHH", d, 16)
        if shoff == 0 or shnum == 0:
            raise ElfError(f"{path}: no section headers")
        if shentsize < 40 or shoff + shnum * shentsize > len(d):
            raise ElfError(f"{path}: section headers truncated")
        raw = [struct.unpack_from("<IIIIIIIIII", d, shoff + i * shentsize) for i in range(shnum)]
        strtab = raw[shstrndx] if shstrndx < shnum else None

        def name_at(table, off: int) -> str:
            if table is None:
                return ""
            start = table[4] + off
            end = d.find(b"\0", start)
            return d[start:end].decode("latin-1")

        self.sections: List[Section] = [
            Section(i, name_at(strtab, r[0]), r[1], r[2], r[3], r[4], r[5])
            for i, r in enumerate(raw)]
        self.symbols: List[Symbol] = []
        for i, r in enumerate(raw):
            if r[1] != SHT_SYMTAB:
                continue
            link = raw[r[6]] if r[6] < shnum else None
            entsize = r[9] or 16
            for off in range(r[4], r[4] + r[5] - entsize + 1, entsize):
                st_name, value, size, info, _other, shndx = struct.unpack_from(
                    "<IIIBBH", d, off)
                self.symbols.append(Symbol(name_at(link, st_name), value, size,
                                           info & 0xF, info >> 4, shndx))

    def section(self, name: str) -> Optional[Section]:
        for s in self.sections:
            if s.name == name:
                return s
        return None

    def section_data(self, section: Section) -> bytes:
        if section.type == SHT_NOBITS:
            return bytes(section.size)
        return self._data[section.offset:section.offset + section.size]

    def symbol(self, name: str) -> Optional[Symbol]:
        for s in self.symbols:
            if s.name == name and s.defined:
                return s
        return None

    def symbol_at(self, addr: int) -> Optional[Symbol]:
        best = None
        for s in self.symbols:
            if not s.defined or not s.name or s.type in (STT_SECTION, STT_FILE):
                continue
            if s.size and s.value <= addr < s.value + s.size:
                return s
            if s.value <= addr and (best is None or s.value > best.value):
                sec = self.sections[s.shndx] if s.shndx < len(self.sections) else None
                if sec is not None and sec.addr <= addr < sec.addr + max(sec.size, 1):
                    best = s
        return best
