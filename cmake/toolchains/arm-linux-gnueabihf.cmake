# armhf: 32-bit Raspberry Pi OS (Pi 2 and later; ARMv7 hard-float). Usage: scripts/cross-build.sh armhf
set(OPTIGA_TRIPLET arm-linux-gnueabihf)
set(OPTIGA_PROCESSOR arm)
set(OPTIGA_QEMU qemu-arm-static)
# GCC notes on every std::map iterator that the ARM calling convention changed in GCC 7.1; all
# code here is built with one compiler, so the note is noise (it is not a warning, -Werror holds).
set(OPTIGA_TARGET_FLAGS "-Wno-psabi")
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
