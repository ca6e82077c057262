"""Crucible's host side.

Layers, each knowing only the ones below it:
  qmp      the QMP protocol (stdlib client)
  machine  one QEMU: launch, console, exit status (uses qmp)
  image    where the build output is, the boot module list (uses machine)
  build    configure and build through CMake
  bench    benchmarks (uses image, machine)
  cli      the ``crucible`` subcommands
"""
