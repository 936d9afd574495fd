#include "pkcs11/errors.h"

#include <exception>
#include <new>

#include "core/chip/chip_error.h"
#include "core/token/token_error.h"
#include "core/util/error.h"

namespace optiga::pkcs11 {

namespace {

// The one table of chip errors with a meaning of their own in PKCS#11 (docs/pkcs11.md, "Error
// codes"). Every other chip error is CKR_DEVICE_ERROR: the module checks the caller's arguments
// before it asks the chip, so a command the chip finds malformed (0x01-0x06 and the like) is the
// module's or the chip's fault, never the caller's CKR_ARGUMENTS_BAD.
struct ChipErrorRv {
  std::uint8_t code;
  CK_RV rv;
};
constexpr ChipErrorRv chip_error_table[] = {
    {chip::err::access_conditions, CKR_ACTION_PROHIBITED},
    {chip::err::boundary_exceeded, CKR_DEVICE_MEMORY},
    {chip::err::insufficient_buffer, CKR_DEVICE_MEMORY},
    {chip::err::counter_threshold, CKR_ACTION_PROHIBITED},
    {chip::err::signature_verification, CKR_SIGNATURE_INVALID},
};

}  // namespace

CK_RV ck_rv_of_chip_error(std::uint8_t code) {
  for (const auto& row : chip_error_table)
    if (row.code == code) return row.rv;
  return CKR_DEVICE_ERROR;
}

namespace {

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
    return ck_rv_of_chip_error(e.code());
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
