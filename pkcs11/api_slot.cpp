// Slots, tokens and mechanisms: C_GetSlotList, C_GetSlotInfo, C_GetTokenInfo,
// C_GetMechanismList, C_GetMechanismInfo.
#include "pkcs11/api.h"
#include "pkcs11/mechanisms.h"

using namespace optiga;
using namespace optiga::pkcs11;

namespace {

bool emulated(const Slot& slot) {
  return slot.spec().kind == config::DeviceKind::sim || slot.spec().kind == config::DeviceKind::sim_unix;
}

}  // namespace

extern "C" {

CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
    std::vector<CK_SLOT_ID> ids;
    for (CK_SLOT_ID id = 0; id < ctx.slot_count(); ++id)
      if (!tokenPresent || ctx.slot(id).present()) ids.push_back(id);
    if (pSlotList == nullptr) {
      *pulCount = ids.size();
      return CKR_OK;
    }
    if (*pulCount < ids.size()) {
      *pulCount = ids.size();
      return CKR_BUFFER_TOO_SMALL;
    }
    std::copy(ids.begin(), ids.end(), pSlotList);
    *pulCount = ids.size();
    return CKR_OK;
  });
}

CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    Slot& slot = ctx.slot(slotID);
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    *pInfo = CK_SLOT_INFO{};
    set_text(pInfo->slotDescription, sizeof pInfo->slotDescription, "OPTIGA on " + slot.spec().text);
    set_text(pInfo->manufacturerID, sizeof pInfo->manufacturerID,
             emulated(slot) ? "optiga-host emulator" : "optiga-host");
    pInfo->flags = CKF_HW_SLOT | (slot.present() ? CKF_TOKEN_PRESENT : 0);
    pInfo->hardwareVersion = {1, 0};
    pInfo->firmwareVersion = {0, 1};
    return CKR_OK;
  });
}

CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    Slot& slot = ctx.slot(slotID);
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    if (!slot.present()) return CKR_TOKEN_NOT_PRESENT;
    const token::TokenInfo info = slot.token().info();
    const std::string& serial = info.serial;
    *pInfo = CK_TOKEN_INFO{};
    set_text(pInfo->label, sizeof pInfo->label, info.label);
    set_text(pInfo->manufacturerID, sizeof pInfo->manufacturerID,
             emulated(slot) ? "Infineon Technologies (emulated)" : "Infineon Technologies");
    // The model field has 16 characters: "Trust M V3 (emu)".
    set_text(pInfo->model, sizeof pInfo->model, info.model_name + (emulated(slot) ? " (emu)" : ""));
    set_text(pInfo->serialNumber, sizeof pInfo->serialNumber, serial);
    pInfo->flags = CKF_RNG | CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED |
                   (slot.login_required() ? CKF_LOGIN_REQUIRED : 0);
    CK_ULONG sessions = 0, rw = 0;
    for (const auto& [h, s] : ctx.sessions()) {
      if (s.slot != slotID) continue;
      ++sessions;
      if (s.read_write()) ++rw;
    }
    pInfo->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    pInfo->ulSessionCount = sessions;
    pInfo->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    pInfo->ulRwSessionCount = rw;
    pInfo->ulMaxPinLen = 64;
    pInfo->ulMinPinLen = 1;
    pInfo->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->hardwareVersion = {1, 0};
    pInfo->firmwareVersion = {info.firmware_major, info.firmware_minor};
    set_text(pInfo->utcTime, sizeof pInfo->utcTime, "");
    return CKR_OK;
  });
}

CK_RV C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList, CK_ULONG_PTR pulCount) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    Slot& slot = ctx.slot(slotID);
    if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
    if (!slot.present()) return CKR_TOKEN_NOT_PRESENT;
    const auto table = mechanisms_for(slot.token().curves());
    if (pMechanismList == nullptr) {
      *pulCount = table.size();
      return CKR_OK;
    }
    if (*pulCount < table.size()) {
      *pulCount = table.size();
      return CKR_BUFFER_TOO_SMALL;
    }
    for (std::size_t i = 0; i < table.size(); ++i) pMechanismList[i] = table[i].type;
    *pulCount = table.size();
    return CKR_OK;
  });
}

CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    Slot& slot = ctx.slot(slotID);
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    if (!slot.present()) return CKR_TOKEN_NOT_PRESENT;
    const auto info = mechanism_info(slot.token().curves(), type);
    if (!info) return CKR_MECHANISM_INVALID;
    *pInfo = *info;
    return CKR_OK;
  });
}

}  // extern "C"
