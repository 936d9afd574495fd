// The PKCS#11 2.40 header (p11-kit's copy) and the few 3.0 declarations the module exports
// (C_GetInterfaceList / C_GetInterface). p11-kit's header defines lower-case compatibility
// macros (value, count, parameter, ...) that would rewrite ordinary C++ names such as
// std::optional::value(); they are removed right after the include.
#pragma once

#include <p11-kit-1/p11-kit/pkcs11.h>

#undef aad_len
#undef aad_ptr
#undef ck_attribute
#undef ck_attribute_type_t
#undef ck_c_initialize_args
#undef ck_certificate_type_t
#undef ck_createmutex_t
#undef ck_date
#undef ck_destroymutex_t
#undef ck_flags_t
#undef ck_function_list
#undef ck_hw_feature_type_t
#undef ck_info
#undef ck_key_type_t
#undef ck_lockmutex_t
#undef ck_mechanism
#undef ck_mechanism_info
#undef ck_mechanism_type_t
#undef ck_notification_t
#undef ck_notify_t
#undef ck_object_class_t
#undef ck_object_handle_t
#undef ck_otp_param
#undef ck_otp_params
#undef ck_otp_signature_info
#undef ck_param_type
#undef ck_rsa_pkcs_mgf_type_t
#undef ck_rsa_pkcs_oaep_source_type_t
#undef ck_rv_t
#undef ck_session_handle_t
#undef ck_session_info
#undef ck_slot_id_t
#undef ck_slot_info
#undef ck_state_t
#undef ck_token_info
#undef ck_unlockmutex_t
#undef ck_user_type_t
#undef ck_version
#undef count
#undef counter_bits
#undef create_mutex
#undef cryptoki_version
#undef data_params
#undef destroy_mutex
#undef device_error
#undef firmware_version
#undef free_private_memory
#undef free_public_memory
#undef hardware_version
#undef hash_alg
#undef iv_bits
#undef iv_len
#undef iv_ptr
#undef library_description
#undef library_version
#undef lock_mutex
#undef manufacturer_id
#undef max_key_size
#undef max_pin_len
#undef max_rw_session_count
#undef max_session_count
#undef min_key_size
#undef min_pin_len
#undef parameter
#undef parameter_len
#undef params
#undef public_data
#undef public_data_len
#undef reserved
#undef rw_session_count
#undef s_len
#undef serial_number
#undef session_count
#undef shared_data
#undef shared_data_len
#undef slot_description
#undef slot_id
#undef source_data
#undef source_data_len
#undef string_data
#undef string_data_len
#undef tag_bits
#undef total_private_memory
#undef total_public_memory
#undef unlock_mutex
#undef utc_time
#undef value
#undef value_len

#ifndef CKR_CURVE_NOT_SUPPORTED
#define CKR_CURVE_NOT_SUPPORTED 0x00000140UL
#endif

// PKCS#11 3.0 interface discovery (§5.4 of the 3.0 base specification).
extern "C" {
typedef struct CK_INTERFACE {
  CK_CHAR* pInterfaceName;
  CK_VOID_PTR pFunctionList;
  CK_FLAGS flags;
} CK_INTERFACE;
typedef CK_INTERFACE* CK_INTERFACE_PTR;
typedef CK_INTERFACE_PTR* CK_INTERFACE_PTR_PTR;

CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount);
CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion, CK_INTERFACE_PTR_PTR ppInterface,
                     CK_FLAGS flags);
}
