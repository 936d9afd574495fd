# Shared part of the Debian cross toolchains; the per-architecture files set OPTIGA_TRIPLET,
# OPTIGA_PROCESSOR and OPTIGA_QEMU and include this. scripts/cross-build.sh installs the cross
# compiler (crossbuild-essential-<arch>) and the target's -dev packages.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${OPTIGA_PROCESSOR})
set(CMAKE_C_COMPILER ${OPTIGA_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${OPTIGA_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${OPTIGA_TRIPLET})

# Where the target's libraries are unpacked when apt cannot install them next to the host's
# (multiarch needs identical versions; see docs/cross-build.md). Empty: installed multiarch.
if(NOT OPTIGA_CROSS_DEPS AND DEFINED ENV{OPTIGA_CROSS_DEPS})
  set(OPTIGA_CROSS_DEPS "$ENV{OPTIGA_CROSS_DEPS}" CACHE PATH "unpacked target -dev packages")
endif()
# try_compile() re-reads this file in-process, and the ENV settings below would then undo the
# top-level ones: pass the directory on so every reading agrees.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES OPTIGA_CROSS_DEPS)

# Programs run on the host; libraries, headers and CMake packages must be the target's.
# Multiarch keeps the target's files under /usr itself, so / is one of the roots searched.
set(CMAKE_FIND_ROOT_PATH ${OPTIGA_CROSS_DEPS} /usr/${OPTIGA_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must read the target's .pc files: without this, libusb/libgpiod/p11-kit would
# resolve to the host's (amd64) copies and fail at link time.
set(ENV{PKG_CONFIG_PATH} "")
set(library_path /usr/lib/${OPTIGA_TRIPLET}:/lib/${OPTIGA_TRIPLET})
set(CMAKE_C_FLAGS_INIT "${OPTIGA_TARGET_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${OPTIGA_TARGET_FLAGS}")
if(OPTIGA_CROSS_DEPS)
  set(d ${OPTIGA_CROSS_DEPS})
  set(ENV{PKG_CONFIG_LIBDIR} "${d}/usr/lib/${OPTIGA_TRIPLET}/pkgconfig:${d}/usr/share/pkgconfig")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${d}")
  # opensslconf.h and friends live in the multiarch include directory.
  string(APPEND CMAKE_C_FLAGS_INIT " -isystem ${d}/usr/include/${OPTIGA_TRIPLET} -isystem ${d}/usr/include")
  string(APPEND CMAKE_CXX_FLAGS_INIT " -isystem ${d}/usr/include/${OPTIGA_TRIPLET} -isystem ${d}/usr/include")
  # The linker must also find the libraries those libraries need (libudev for libusb, ...).
  set(link "-L${d}/usr/lib/${OPTIGA_TRIPLET} -Wl,-rpath-link,${d}/usr/lib/${OPTIGA_TRIPLET}:${d}/lib/${OPTIGA_TRIPLET}")
  set(CMAKE_EXE_LINKER_FLAGS_INIT "${link}")
  set(CMAKE_SHARED_LINKER_FLAGS_INIT "${link}")
  set(CMAKE_MODULE_LINKER_FLAGS_INIT "${link}")
  set(library_path ${d}/usr/lib/${OPTIGA_TRIPLET}:${d}/lib/${OPTIGA_TRIPLET}:${library_path})
else()
  set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${OPTIGA_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
endif()

# Test binaries (gtest discovery at build time, ctest) run under qemu-user: -L gives qemu the
# dynamic loader of the cross toolchain (/usr/<triplet>/lib), and libc must come from the same
# place: the multiarch libc6:<arch> (pulled in by the -dev packages) can be a newer build, and a
# loader and libc of different builds hang every fork() child. The library path gives the rest.
set(CMAKE_CROSSCOMPILING_EMULATOR ${OPTIGA_QEMU} -L /usr/${OPTIGA_TRIPLET}
    -E LD_LIBRARY_PATH=/usr/${OPTIGA_TRIPLET}/lib:${library_path})
