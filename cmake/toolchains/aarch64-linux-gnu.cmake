# arm64: Raspberry Pi 3/4/5 with a 64-bit OS. Usage: scripts/cross-build.sh arm64
set(OPTIGA_TRIPLET aarch64-linux-gnu)
set(OPTIGA_PROCESSOR aarch64)
set(OPTIGA_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
