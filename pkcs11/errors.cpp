#include "pkcs11/errors.h"

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

CK_RV refusal_rv(token::Refusal refusal) {
  switch (refusal) {
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
}

CK_RV translate(std::string* reason) {
  const auto why = [reason](const std::exception& e) {
    if (reason != nullptr) *reason = e.what();
  };
  try {
    throw;
  } catch (const CkError& e) {
    why(e);
    return e.rv();
  } catch (const chip::ChipError& e) {
    why(e);
    return chip_error_rv(e.code());
  } catch (const UsageError& e) {
    why(e);
    return CKR_ARGUMENTS_BAD;
  } catch (const TransportError& e) {
    why(e);
    return CKR_TOKEN_NOT_PRESENT;
  } catch (const ProtocolError& e) {
    why(e);
    return CKR_DEVICE_ERROR;
  } catch (const std::bad_alloc&) {
    return CKR_HOST_MEMORY;
  } catch (const std::exception& e) {
    why(e);
    return CKR_GENERAL_ERROR;
  } catch (...) {
    return CKR_GENERAL_ERROR;
  }
}

}  // namespace

CK_RV translate_current_exception(std::string* reason) noexcept {
  try {
    return translate(reason);
  } catch (...) {
    return CKR_HOST_MEMORY;  // only copying the reason can throw here
  }
}

void throw_write_error(WriteKind kind) {
  try {
    throw;
  } catch (const token::TokenError& e) {
    throw CkError(refusal_rv(e.refusal()), e.what());
  } catch (const UsageError& e) {
    throw CkError(kind == WriteKind::label ? CKR_ATTRIBUTE_VALUE_INVALID : CKR_TEMPLATE_INCONSISTENT, e.what());
  }
}

}  // namespace optiga::pkcs11
