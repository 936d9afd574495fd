#include "core/token/token.h"
#include "core/token/token_error.h"
#include "core/token/certificate_write.h"

#include "core/util/openssl_ptr.h"
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include "core/chip/cert_format.h"
#include "core/chip/chip_error.h"
#include "core/chip/key_usage.h"
#include "core/chip/object_map.h"
#include "core/device/key_slots.h"
#include "core/device/spki.h"
#include "core/util/error.h"

namespace optiga::token {

namespace {
// Whether the object's change access condition allows a write right now (life cycle included).
bool writable(const chip::Metadata& m) {
  if (!m.change) return false;  // absent = NEV
  chip::AcContext ctx;
  ctx.lcs_object = m.lcso.value_or(chip::lcs::operational);
  return m.change->evaluate(ctx);
}

std::string slot_text(std::uint16_t oid) { return chip::oid_text(oid); }

// Parses one DER certificate through the device's private library context.
std::unique_ptr<X509, X509Free> parse_x509(const device::CryptoContext& ctx, ByteView der) {
  std::unique_ptr<X509, X509Free> cert(X509_new_ex(ctx.get(), nullptr));
  X509* raw = cert.get();
  const unsigned char* p = der.data();
  if (!cert || !d2i_X509(&raw, &p, static_cast<long>(der.size())) || p != der.data() + der.size())
    throw TokenError(Refusal::not_a_certificate, "not an X.509 certificate in DER form (" + std::to_string(der.size()) + " bytes)");
  return cert;
}

Bytes certificate_spki(const X509* cert) {
  const X509_PUBKEY* pub = X509_get_X509_PUBKEY(cert);
  int len = pub ? i2d_X509_PUBKEY(pub, nullptr) : -1;
  if (len <= 0) return {};
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d_X509_PUBKEY(pub, &p);
  return out;
}
// "612 bytes of PEM text" / "4 bytes": for a slot whose content is not a certificate.
std::string describe_non_certificate(ByteView content) {
  std::string what = std::to_string(content.size()) + (content.size() == 1 ? " byte" : " bytes");
  constexpr std::string_view pem = "-----BEGIN ";
  if (content.size() >= pem.size() && std::equal(pem.begin(), pem.end(), content.begin())) what += " of PEM text";
  return what;
}
}  // namespace

Token::Token(device::Device& device) : device_(device) {}

void Token::refresh() {
  // One locked operation: the picture of the chip is consistent.
  device::Device::Operation op(device_);
  if (cached_epoch_ && *cached_epoch_ == device_.epoch()) return;
  const chip::Model model = device_.model();
  std::vector<KeyObject> keys;
  std::vector<CertificateObject> certs;
  torn_.clear();  // load_certificates records every torn slot again
  for (const auto& info : chip::objects(model)) {
    auto kind = token::slot_kind(info.oid, model);
    if (!kind || *kind == SlotKind::rsa_key) continue;  // RSA keys are not offered until they can be used
    if (*kind == SlotKind::ecc_key) {
      if (auto k = load_key(info.oid)) keys.push_back(std::move(*k));
      continue;
    }
    for (auto& c : load_certificates(info.oid, *kind)) certs.push_back(std::move(c));
  }
  keys_ = std::move(keys);
  certificates_ = std::move(certs);
  cached_epoch_ = device_.epoch();
}

void Token::invalidate() {
  cached_epoch_.reset();
  key_slots_.clear();
  certificate_slots_.clear();
}

std::optional<KeyObject> Token::load_key(std::uint16_t oid) {
  const chip::Metadata m = device_.read_metadata(oid);
  if (!m.algorithm) return std::nullopt;  // no key generated yet
  auto curve = chip::curve_info(static_cast<chip::Algorithm>(*m.algorithm));
  if (!curve) return std::nullopt;
  KeyObject k;
  k.oid = oid;
  k.curve = curve->algorithm;
  k.usage = m.key_usage.value_or(0);
  try {
    k.public_key = device_.public_key(oid);
  } catch (const UsageError&) {
    // A key whose public half is nowhere (not stored, no certificate) cannot be used to
    // verify its own signatures, so it is not offered.
    return std::nullopt;
  }
  k.id = oid_id(oid);
  k.label = oid_label(oid);
  k.modifiable = writable(m);
  return k;
}

std::vector<CertificateObject> Token::load_certificates(std::uint16_t oid, SlotKind kind) {
  std::vector<CertificateObject> certs;
  torn_.erase(oid);
  const chip::Metadata m = device_.read_metadata(oid);
  if (m.used_size && *m.used_size == 0) return certs;  // empty slot: nothing to read
  const Bytes content = device_.read_object(oid);
  std::vector<Bytes> chain;
  try {
    chain = chip::parse_certificate_object(content);
  } catch (const chip::TornCertificateObject& e) {
    torn_[oid] = torn_certificate_message(oid, e.detail());
    torn_reported_ = false;
    return certs;
  } catch (const ParseError&) {
    return certs;  // not a certificate format we know: not presented as a certificate
  }
  const bool anchor = kind == SlotKind::trust_anchor;
  const auto key = paired_key_slot(oid);
  for (std::size_t i = 0; i < chain.size(); ++i) {
    CertificateObject c;
    c.oid = oid;
    c.chain_index = i;
    c.der = std::move(chain[i]);
    c.id = (i == 0 && key) ? oid_id(*key) : oid_id(oid);
    c.label = oid_label(oid) + (i == 0 ? "" : "." + std::to_string(i));
    c.trusted = anchor;
    c.modifiable = writable(m);
    certs.push_back(std::move(c));
  }
  return certs;
}

bool Token::still_valid(std::uint16_t oid, std::uint64_t at) const {
  if (at == device_.epoch()) return true;
  if (device_.changed_since(oid, at)) return false;
  // A key's public key may come from its public-key object or its certificate.
  if (auto o = device::public_key_object(oid); o && device_.changed_since(*o, at)) return false;
  if (auto o = device::paired_certificate(oid); o && device_.changed_since(*o, at)) return false;
  return true;
}

std::vector<KeyObject> Token::keys() {
  refresh();
  return keys_;
}

std::vector<CertificateObject> Token::certificates() {
  refresh();
  // The slot is left out: say why, once per change of the chip.
  if (!torn_reported_)
    for (const auto& [oid, message] : torn_) device_.logger().warn(message);
  torn_reported_ = true;
  return certificates_;
}

std::optional<KeyObject> Token::key(std::uint16_t oid) {
  device::Device::Operation op(device_);
  if (cached_epoch_ && *cached_epoch_ == device_.epoch()) {
    for (const auto& k : keys_)
      if (k.oid == oid) return k;
    return std::nullopt;
  }
  if (auto it = key_slots_.find(oid); it != key_slots_.end() && still_valid(oid, it->second.epoch)) {
    it->second.epoch = device_.epoch();
    return it->second.value;
  }
  std::optional<KeyObject> k;
  if (token::slot_kind(oid, device_.model()) == SlotKind::ecc_key) k = load_key(oid);
  key_slots_[oid] = {device_.epoch(), k};
  return k;
}

std::vector<CertificateObject> Token::certificates_in(std::uint16_t oid) {
  device::Device::Operation op(device_);
  if (cached_epoch_ && *cached_epoch_ == device_.epoch()) {
    if (auto t = torn_.find(oid); t != torn_.end()) throw TornCertificate(oid, t->second);
    std::vector<CertificateObject> out;
    for (const auto& c : certificates_)
      if (c.oid == oid) out.push_back(c);
    return out;
  }
  if (auto it = certificate_slots_.find(oid); it != certificate_slots_.end() && still_valid(oid, it->second.epoch)) {
    it->second.epoch = device_.epoch();
    if (auto t = torn_.find(oid); t != torn_.end()) throw TornCertificate(oid, t->second);
    return it->second.value;
  }
  std::vector<CertificateObject> certs;
  const auto kind = token::slot_kind(oid, device_.model());
  if (kind == SlotKind::certificate || kind == SlotKind::trust_anchor) certs = load_certificates(oid, *kind);
  certificate_slots_[oid] = {device_.epoch(), certs};
  if (auto t = torn_.find(oid); t != torn_.end()) throw TornCertificate(oid, t->second);
  return certs;
}

std::optional<std::string> Token::non_certificate_content(std::uint16_t oid) {
  // Asked only after a slot turned out to hold no certificate: read it once more and say what it is.
  device::Device::Operation op(device_);
  const chip::Metadata m = device_.read_metadata(oid);
  if (m.used_size && *m.used_size == 0) return std::nullopt;
  const Bytes content = device_.read_object(oid);
  try {
    chip::parse_certificate_object(content);
    return std::nullopt;
  } catch (const ParseError&) {
    return describe_non_certificate(content);
  }
}

KeyObject Token::generate_key(std::uint16_t oid, chip::Algorithm curve, std::optional<std::uint8_t> usage, bool replace) {
  device::Device::Operation op(device_);
  const chip::Model model = device_.model();
  auto kind = token::slot_kind(oid, model);
  if (!kind || *kind != SlotKind::ecc_key)
    throw TokenError(Refusal::wrong_slot_kind, slot_text(oid) + " is not an ECC key slot of " + std::string(chip::model_name(model)));
  if (!chip::model_supports(model, curve))
    throw TokenError(Refusal::unsupported_curve, std::string(chip::model_name(model)) + " cannot generate " +
                     std::string(chip::algorithm_name(static_cast<std::uint8_t>(curve))) + " keys");
  const chip::Metadata m = device_.read_metadata(oid);
  if (!writable(m))
    throw TokenError(Refusal::slot_locked, slot_text(oid) + " is locked: its change access condition (" +
                     (m.change ? m.change->to_string() : std::string("NEV")) + ") does not allow a new key" +
                     (m.lcso ? " in life cycle " + std::string(chip::lcs_name(*m.lcso)) : std::string()));
  if (oid == chip::oid::ecc_key_1 && !replace)
    throw TokenError(Refusal::factory_key, "0xE0F0 holds the chip's factory key (its certificate is in 0xE0E0); a new key there "
                     "destroys that identity, so it is refused unless replacing it is asked for explicitly");
  if (m.algorithm && !replace)
    throw TokenError(Refusal::slot_occupied, slot_text(oid) + " already holds a " + std::string(chip::algorithm_name(*m.algorithm)) +
                     " key; choose an empty slot, or ask explicitly to replace it (the old key is lost)");
  device_.generate_key(oid, curve, usage.value_or(chip::default_key_usage));
  invalidate();
  auto k = key(oid);
  if (!k) throw ProtocolError("key generated in " + slot_text(oid) + " but the chip does not report it");
  return *k;
}

std::uint16_t Token::store_certificate(ByteView der, const CertificateTarget& target) {
  device::Device::Operation op(device_);
  const chip::Model model = device_.model();
  device::CryptoContext crypto;
  auto cert = parse_x509(crypto, der);
  const Bytes cert_spki = certificate_spki(cert.get());

  // Which slot: an explicit id or label naming a slot, else the key the certificate belongs to.
  std::optional<std::uint16_t> named;
  auto from_oid = [&](std::uint16_t oid) -> std::optional<std::uint16_t> {
    auto kind = token::slot_kind(oid, model);
    if (!kind) return std::nullopt;
    if (*kind == SlotKind::ecc_key || *kind == SlotKind::rsa_key) return paired_certificate_slot(oid);
    return oid;
  };
  if (target.id && target.id->size() == 2) named = from_oid(get_u16(*target.id, 0));
  if (!named && target.label) {
    try {
      named = from_oid(token::parse_slot(*target.label, model).oid);
    } catch (const UsageError&) {
      // A free-text label names no slot; fall through to matching by public key.
    }
  }
  if (!named) {
    for (const auto& k : keys()) {
      if (device::subject_public_key_info(crypto, k.public_key) == cert_spki) named = paired_certificate_slot(k.oid);
      if (named) break;
    }
  }
  if (!named && target.trusted) {
    for (const auto& o : chip::objects(model)) {
      if (token::slot_kind(o.oid, model) != SlotKind::trust_anchor) continue;
      if (device_.read_metadata(o.oid).used_size.value_or(1) == 0) {
        named = o.oid;
        break;
      }
    }
  }
  if (!named)
    throw TokenError(Refusal::no_matching_slot, "cannot tell which slot this certificate is for: its public key matches no key on the chip; "
                     "name the slot (CKA_ID or label E0E1, or a key id such as E0F1)");
  const std::uint16_t slot = *named;

  // Check everything before writing, so a refused write leaves the old content.
  const chip::Metadata m = device_.read_metadata(slot);
  const std::size_t max = m.max_size.value_or(0);
  if (max && der.size() > max)
    throw TokenError(Refusal::does_not_fit, "certificate of " + std::to_string(der.size()) + " bytes does not fit " + slot_text(slot) +
                     " (at most " + std::to_string(max) + " bytes)");
  if (!writable(m))
    throw TokenError(Refusal::slot_locked, slot_text(slot) + " is locked: its change access condition (" +
                     (m.change ? m.change->to_string() : std::string("NEV")) + ") does not allow writing");
  if (auto key_slot = paired_key_slot(slot)) {
    auto k = key(*key_slot);
    if (k && !target.other_key_allowed && device::subject_public_key_info(crypto, k->public_key) != cert_spki)
      throw TokenError(Refusal::wrong_key, "certificate is for another key: its public key differs from the key in " +
                       slot_text(*key_slot) + ", so it is not written to " + slot_text(slot));
  }
  invalidate();  // before writing: an interrupted write changes the slot too
  write_certificate_object(device_, slot, der);
  return slot;
}

void Token::erase_certificate(std::uint16_t oid) {
  device::Device::Operation op(device_);
  auto kind = token::slot_kind(oid, device_.model());
  if (!kind || (*kind != SlotKind::certificate && *kind != SlotKind::trust_anchor))
    throw TokenError(Refusal::wrong_slot_kind, slot_text(oid) + " is not a certificate or trust-anchor slot");
  const chip::Metadata m = device_.read_metadata(oid);
  if (!writable(m))
    throw TokenError(Refusal::slot_locked, slot_text(oid) + " is locked: its change access condition (" +
                     (m.change ? m.change->to_string() : std::string("NEV")) + ") does not allow erasing it");
  invalidate();
  device_.write_object(oid, {}, true);
}

}  // namespace optiga::token
