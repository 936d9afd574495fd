#include "pkcs11/errors.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>

#include "core/chip/chip_error.h"
#include "core/token/token_error.h"
#include "core/util/error.h"

namespace optiga::pkcs11 {
namespace {

CK_RV chip_error_rv(std::uint8_t code) {
  switch (code) {
    case chip::err::access_conditions: return CKR_ACTION_PROHIBITED;
    case chip::err::boundary_exceeded:
    case chip::err::insufficient_buffer: return CKR_DEVICE_MEMORY;
    case chip::err::invalid_oid:
    case chip::err::invalid_param:
    case chip::err::invalid_length:
    case chip::err::invalid_parameter_in_data:
    case chip::err::unsupported_parameters: return CKR_ARGUMENTS_BAD;
    case chip::err::signature_verification: return CKR_SIGNATURE_INVALID;
    case chip::err::counter_threshold: return CKR_ACTION_PROHIBITED;
    default: return CKR_DEVICE_ERROR;
  }
}


}  // namespace

void debug_log(const std::string& message) noexcept {
  if (std::getenv("OPTIGA_PKCS11_DEBUG") != nullptr) std::fprintf(stderr, "optiga-pkcs11: %s\n", message.c_str());
}

CK_RV translate_current_exception() noexcept {
  try {
    throw;
  } catch (const CkError& e) {
    if (*e.what()) debug_log(e.what());
    return e.rv();
  } catch (const chip::ChipError& e) {
    debug_log(e.what());
    return chip_error_rv(e.code());
  } catch (const UsageError& e) {
    debug_log(e.what());
    return CKR_ARGUMENTS_BAD;
  } catch (const TransportError& e) {
    debug_log(e.what());
    return CKR_TOKEN_NOT_PRESENT;
  } catch (const ProtocolError& e) {
    debug_log(e.what());
    return CKR_DEVICE_ERROR;
  } catch (const std::bad_alloc&) {
    return CKR_HOST_MEMORY;
  } catch (const std::exception& e) {
    debug_log(e.what());
    return CKR_GENERAL_ERROR;
  } catch (...) {
    return CKR_GENERAL_ERROR;
  }
}

CK_RV translate_write_error(WriteKind kind) noexcept {
  try {
    throw;
  } catch (const token::TokenError& e) {
    debug_log(e.what());
    switch (e.refusal()) {
      case token::Refusal::slot_locked:
      case token::Refusal::slot_occupied:
      case token::Refusal::factory_key: return CKR_ACTION_PROHIBITED;
      case token::Refusal::does_not_fit: return CKR_DEVICE_MEMORY;
      case token::Refusal::not_a_certificate:
      case token::Refusal::label_invalid: return CKR_ATTRIBUTE_VALUE_INVALID;
      case token::Refusal::unsupported_curve: return CKR_CURVE_NOT_SUPPORTED;
      case token::Refusal::not_a_slot:
      case token::Refusal::wrong_slot_kind:
      case token::Refusal::wrong_key:
      case token::Refusal::no_matching_slot: return CKR_TEMPLATE_INCONSISTENT;
    }
    return CKR_TEMPLATE_INCONSISTENT;
  } catch (const UsageError& e) {
    debug_log(e.what());
    return kind == WriteKind::label ? CKR_ATTRIBUTE_VALUE_INVALID : CKR_TEMPLATE_INCONSISTENT;
  } catch (...) {
    return translate_current_exception();
  }
}

}  // namespace optiga::pkcs11
