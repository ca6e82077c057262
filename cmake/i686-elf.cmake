# Cross toolchain for the i386 boot image: clang + ld.lld, no libc, no
# multilib. 64-bit division helpers come from libclang_rt.builtins-i386.a
# (Debian package libclang-rt-14-dev).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER clang)
set(CMAKE_ASM_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET i686-unknown-none-elf)
set(CMAKE_ASM_COMPILER_TARGET i686-unknown-none-elf)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-ffreestanding -fno-builtin -fno-pic -fno-stack-protector -mno-sse -mno-mmx -mno-80387 -fno-omit-frame-pointer")
set(CMAKE_ASM_FLAGS_INIT "-ffreestanding")
find_program(CRUCIBLE_LLD ld.lld REQUIRED)
# Link with ld.lld directly: the clang driver has no notion of this target.
set(CMAKE_C_LINK_EXECUTABLE "${CRUCIBLE_LLD} -m elf_i386 -static -nostdlib <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
