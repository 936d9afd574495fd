# Run by `cmake --install` (pkcs11/CMakeLists.txt sets the variables): writes optiga.module with
# the `module:` p11-kit needs to load the module from where this install puts it.
cmake_path(NORMAL_PATH optiga_module_dir)
string(REGEX REPLACE "/+$" "" optiga_module_dir "${optiga_module_dir}")
string(REGEX REPLACE "/+$" "" optiga_p11kit_module_path "${optiga_p11kit_module_path}")
if(optiga_module_dir STREQUAL optiga_p11kit_module_path)
  set(OPTIGA_PKCS11_MODULE optiga-pkcs11.so)
else()
  set(OPTIGA_PKCS11_MODULE ${optiga_module_dir}/optiga-pkcs11.so)
endif()
configure_file(${optiga_module_template} ${optiga_module_conf} @ONLY)
