// The attribute tables (pkcs11/attribute_rules.h) and the rules read from them
// (pkcs11/attributes.h), on a session secret key: no chip needed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "pkcs11/attributes.h"

namespace optiga::pkcs11 {
namespace {

const ObjectClass all_classes[] = {ObjectClass::private_key,      ObjectClass::public_key,
                                   ObjectClass::x509_certificate, ObjectClass::trust_anchor,
                                   ObjectClass::secret_key,       ObjectClass::data};

TEST(AttributeTables, EveryTableIsConsistent) {
  for (const auto cls : all_classes) {
    const AttributeTable& table = attribute_table(cls);
    std::set<CK_ATTRIBUTE_TYPE> types;
    for (const AttributeRule& r : table) {
      EXPECT_TRUE(types.insert(r.type).second) << "attribute 0x" << std::hex << r.type << " twice";
      EXPECT_EQ(r.source == Source::constant, r.value == nullptr) << std::hex << r.type;
      EXPECT_EQ(r.change == Change::always, r.set != nullptr) << std::hex << r.type;
      if (r.on_create == OnCreate::fixed) {
        EXPECT_EQ(r.source, Source::constant) << std::hex << r.type;
      }
    }
    for (const auto t :
         {CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE, CKA_LABEL})
      EXPECT_NE(find_rule(table, t), nullptr)
          << "class " << static_cast<int>(cls) << " lacks 0x" << std::hex << t;
  }
}

TEST(AttributeTables, PrivateValuesAreSecretAndOnlyLabelsChange) {
  const AttributeRule* value = find_rule(attribute_table(ObjectClass::private_key), CKA_VALUE);
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->secrecy, Secrecy::always);
  for (const auto cls : all_classes)
    for (const AttributeRule& r : attribute_table(cls)) {
      if (r.change == Change::always) {
        EXPECT_EQ(r.type, CKA_LABEL) << std::hex << r.type;
      }
    }
  EXPECT_EQ(find_rule(attribute_table(ObjectClass::x509_certificate), CKA_EC_POINT), nullptr);
}

class SecretKeyAttributes : public ::testing::Test {
 protected:
  SecretKeyAttributes() : ctx_(make_context()), slot_(config::DeviceSpec{}, std::nullopt, Logger{}) {
    secret_.value = Bytes(32, 0x5A);
    secret_.label = "ecdh";
    view_.key = ObjectKey{ObjectKey::Kind::secret, 0, 0, 1};
    view_.secret = &secret_;
  }
  static ModuleContext make_context() {
    setenv("OPTIGA_CONF", "/dev/null", 1);  // no slot: the context needs no chip
    unsetenv("OPTIGA_DEVICE");
    return ModuleContext(nullptr);
  }
  AttributeSource source() { return AttributeSource(ctx_, slot_, view_); }

  ModuleContext ctx_;
  Slot slot_;
  SecretKeyObject secret_;
  ObjectView view_;
};

TEST_F(SecretKeyAttributes, ValueIsRevealedOnlyWhenExtractableAndNotSensitive) {
  CK_BYTE buf[32];
  CK_ATTRIBUTE a{CKA_VALUE, buf, sizeof buf};
  EXPECT_EQ(get_attribute_values(source(), &a, 1), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_EQ(a.ulValueLen, CK_UNAVAILABLE_INFORMATION);
  secret_.sensitive = false;
  a.ulValueLen = sizeof buf;
  EXPECT_EQ(get_attribute_values(source(), &a, 1), CKR_ATTRIBUTE_SENSITIVE);  // still unextractable
  secret_.extractable = true;
  a.ulValueLen = sizeof buf;
  EXPECT_EQ(get_attribute_values(source(), &a, 1), CKR_OK);
  EXPECT_EQ(a.ulValueLen, 32u);
  EXPECT_EQ(buf[31], 0x5A);
}

TEST_F(SecretKeyAttributes, ReturnPrecedenceAndPerAttributeAnswers) {
  CK_BYTE small[4], big[64];
  CK_ULONG len = 0;
  CK_ATTRIBUTE t[4];
  // A fresh template for each call: the module writes every ulValueLen.
  auto fresh = [&] {
    t[0] = {CKA_LABEL, small, 2};            // too small
    t[1] = {CKA_EC_POINT, big, sizeof big};  // not a secret-key attribute
    t[2] = {CKA_VALUE, big, sizeof big};     // sensitive
    t[3] = {CKA_VALUE_LEN, &len, sizeof len};
    return t;
  };
  EXPECT_EQ(get_attribute_values(source(), fresh(), 2), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(get_attribute_values(source(), fresh(), 1), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(get_attribute_values(source(), fresh(), 4), CKR_ATTRIBUTE_SENSITIVE);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t[i].ulValueLen, CK_UNAVAILABLE_INFORMATION) << i;
  EXPECT_EQ(t[3].ulValueLen, sizeof len);
  EXPECT_EQ(len, 32u);
  CK_ATTRIBUTE q{CKA_LABEL, nullptr, 0};
  EXPECT_EQ(get_attribute_values(source(), &q, 1), CKR_OK);
  EXPECT_EQ(q.ulValueLen, 4u);
}

TEST_F(SecretKeyAttributes, FindSkipsHiddenValuesAndComparesBytes) {
  CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE by_token{CKA_TOKEN, &no, 1};
  EXPECT_TRUE(matches(source(), Template(&by_token, 1)));
  CK_BYTE value[32];
  std::fill(std::begin(value), std::end(value), 0x5A);
  CK_ATTRIBUTE by_value{CKA_VALUE, value, sizeof value};
  EXPECT_FALSE(matches(source(), Template(&by_value, 1)));  // never matched on a secret it hides
  CK_ATTRIBUTE by_label{CKA_LABEL, const_cast<char*>("ecdX"), 4};
  EXPECT_FALSE(matches(source(), Template(&by_label, 1)));
}

TEST_F(SecretKeyAttributes, SetChecksTheWholeTemplateFirst) {
  Session session;
  const AttributeTarget target{ctx_, slot_, session, view_};
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE t[] = {{CKA_LABEL, const_cast<char*>("new"), 3}, {CKA_SENSITIVE, &yes, 1}};
  try {
    set_attribute_values(target, Template(t, 2));
    ADD_FAILURE() << "CKA_SENSITIVE changed";
  } catch (const CkError& e) {
    EXPECT_EQ(e.rv(), CKR_ATTRIBUTE_READ_ONLY);
  }
  EXPECT_EQ(secret_.label, "ecdh");
  set_attribute_values(target, Template(t, 1));
  EXPECT_EQ(secret_.label, "new");
  CK_ATTRIBUTE unknown{0x7FFF0000UL, nullptr, 0};
  try {
    set_attribute_values(target, Template(&unknown, 1));
    ADD_FAILURE() << "unknown attribute accepted";
  } catch (const CkError& e) {
    EXPECT_EQ(e.rv(), CKR_ATTRIBUTE_TYPE_INVALID);
  }
}

TEST_F(SecretKeyAttributes, NothingIsCopyable) {
  try {
    check_copy(source(), Template(nullptr, 0));
    ADD_FAILURE() << "copy allowed";
  } catch (const CkError& e) {
    EXPECT_EQ(e.rv(), CKR_ACTION_PROHIBITED);
  }
  CK_ULONG len = 16;
  CK_ATTRIBUTE t{CKA_VALUE_LEN, &len, sizeof len};
  try {
    check_copy(source(), Template(&t, 1));
    ADD_FAILURE() << "copy allowed";
  } catch (const CkError& e) {
    EXPECT_EQ(e.rv(), CKR_ATTRIBUTE_READ_ONLY);
  }
}

}  // namespace
}  // namespace optiga::pkcs11
