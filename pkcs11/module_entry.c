/* The shared module is the static library optiga_pkcs11 linked whole; this file only gives the
   MODULE target a source. */
typedef int optiga_pkcs11_module_entry;
