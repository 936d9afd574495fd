# Where `cmake --install` puts what the system's other programs must find (docs/install.md).
#
# Every destination is relative to the install prefix, so `cmake --install build --prefix P` and
# DESTDIR move all of it together. A directory another package owns (p11-kit's module configs,
# udev's rules, OpenSSL's modules) is taken from that package's pkg-config file when it lies under
# the configured prefix (a /usr build: the system's own directories); otherwise the GNU default
# under the prefix is used and docs/install.md says how to point the program at it.
#
#   OPTIGA_PKCS11_DIR       the PKCS#11 module: ${libdir}/pkcs11
#   OPTIGA_P11KIT_DIR       p11-kit module configuration (optiga.module)
#   OPTIGA_UDEV_RULES_DIR   the udev rule
#   OPTIGA_PROVIDER_DIR     the OpenSSL provider optiga.so (a cache option: any relative or absolute path)
find_package(PkgConfig REQUIRED)

# `var` gets `path` relative to the configured prefix when it lies under it, else `fallback`.
function(optiga_under_prefix var path fallback)
  set(prefix "${CMAKE_INSTALL_PREFIX}")
  string(REGEX REPLACE "/+$" "" prefix "${prefix}")
  if(path AND prefix AND path MATCHES "^${prefix}/(.+)$")
    set(${var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  else()
    set(${var} "${fallback}" PARENT_SCOPE)
  endif()
endfunction()

set(OPTIGA_PKCS11_DIR ${CMAKE_INSTALL_LIBDIR}/pkcs11)

pkg_get_variable(OPTIGA_SYSTEM_P11KIT_CONFIGS p11-kit-1 p11_module_configs)
pkg_get_variable(OPTIGA_SYSTEM_P11KIT_MODULE_PATH p11-kit-1 p11_module_path)
optiga_under_prefix(OPTIGA_P11KIT_DIR "${OPTIGA_SYSTEM_P11KIT_CONFIGS}" ${CMAKE_INSTALL_DATADIR}/p11-kit/modules)

# udev.pc is not always installed (Debian ships it with udev itself); udev reads
# /usr/lib/udev/rules.d on every merged-/usr system.
pkg_get_variable(OPTIGA_SYSTEM_UDEVDIR udev udevdir)
optiga_under_prefix(udev_dir "${OPTIGA_SYSTEM_UDEVDIR}" lib/udev)
set(OPTIGA_UDEV_RULES_DIR ${udev_dir}/rules.d)

pkg_get_variable(OPTIGA_SYSTEM_OSSL_MODULESDIR libcrypto modulesdir)
optiga_under_prefix(provider_default "${OPTIGA_SYSTEM_OSSL_MODULESDIR}" ${CMAKE_INSTALL_LIBDIR}/ossl-modules)
set(OPTIGA_PROVIDER_DIR "${provider_default}" CACHE STRING
    "where the OpenSSL provider optiga.so is installed (relative: under the prefix); OpenSSL finds it by name only in its modules directory")

message(STATUS "optiga install: module ${OPTIGA_PKCS11_DIR}, p11-kit ${OPTIGA_P11KIT_DIR}, "
               "udev ${OPTIGA_UDEV_RULES_DIR}, provider ${OPTIGA_PROVIDER_DIR}")
