// The one handle manager (pkcs11/handle_manager.h): typed lookup, no reuse, thread safety.
#include "pkcs11/handle_manager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

namespace optiga::pkcs11 {
namespace {

TEST(HandleManager, LookupsAreTyped) {
  HandleManager m;
  const CK_SESSION_HANDLE s = m.add_session(Session{});
  const CK_OBJECT_HANDLE o = m.object_handle(ObjectKey{ObjectKey::Kind::public_key, 0xE0F1, 0, 0});
  SecretKeyObject secret;
  secret.label = "ecdh";
  const CK_OBJECT_HANDLE k = m.add_session_object(std::move(secret));
  EXPECT_NE(s, CK_INVALID_HANDLE);
  EXPECT_NE(s, o);
  EXPECT_NE(o, k);
  EXPECT_NE(m.session(s), nullptr);
  EXPECT_EQ(m.session(o), nullptr);  // an object handle is no session
  EXPECT_EQ(m.session(k), nullptr);
  EXPECT_FALSE(m.object_key(s));  // a session handle is no object
  ASSERT_TRUE(m.object_key(o));
  EXPECT_EQ(m.object_key(o)->oid, 0xE0F1);
  ASSERT_TRUE(m.object_key(k));
  EXPECT_EQ(m.object_key(k)->kind, ObjectKey::Kind::secret);
  EXPECT_EQ(m.object_key(k)->serial, k);
  ASSERT_NE(m.session_object(k), nullptr);
  EXPECT_EQ(m.session_object(k)->label, "ecdh");
  EXPECT_EQ(m.session_object(o), nullptr);
  EXPECT_FALSE(m.object_key(CK_INVALID_HANDLE));
}

TEST(HandleManager, ChipObjectsKeepTheirHandleUntilForgotten) {
  HandleManager m;
  const ObjectKey cert{ObjectKey::Kind::certificate, 0xE0E1, 0, 0};
  const ObjectKey chain_member{ObjectKey::Kind::certificate, 0xE0E1, 1, 0};
  const ObjectKey other{ObjectKey::Kind::certificate, 0xE0E2, 0, 0};
  const CK_OBJECT_HANDLE h = m.object_handle(cert);
  const CK_OBJECT_HANDLE member = m.object_handle(chain_member);
  const CK_OBJECT_HANDLE kept = m.object_handle(other);
  EXPECT_EQ(m.object_handle(cert), h);
  m.forget_slot(ObjectKey::Kind::certificate, 0xE0E1);
  EXPECT_FALSE(m.object_key(h));
  EXPECT_FALSE(m.object_key(member));
  EXPECT_EQ(m.object_handle(other), kept);
  const CK_OBJECT_HANDLE again = m.object_handle(cert);
  EXPECT_NE(again, h);  // a new certificate in the same slot is a new object
}

TEST(HandleManager, HandlesAreNeverReused) {
  std::set<CK_ULONG> seen;
  for (int round = 0; round < 3; ++round) {
    HandleManager m;  // a new context after C_Finalize/C_Initialize
    for (int i = 0; i < 10; ++i) {
      const CK_SESSION_HANDLE s = m.add_session(Session{});
      EXPECT_TRUE(seen.insert(s).second) << s;
      EXPECT_TRUE(m.remove(s));
      EXPECT_FALSE(m.remove(s));
      EXPECT_EQ(m.session(s), nullptr);
    }
  }
}

TEST(HandleManager, ConcurrentUseGivesDistinctHandles) {
  HandleManager m;
  constexpr int threads = 4, per_thread = 500;
  std::vector<std::vector<CK_ULONG>> got(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const CK_ULONG h = i % 2 ? m.add_session(Session{}) : m.add_session_object(SecretKeyObject{});
        got[t].push_back(h);
        if (i % 3 == 0) m.remove(h);
      }
    });
  for (auto& th : pool) th.join();
  std::set<CK_ULONG> all;
  for (const auto& v : got) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
  const std::size_t removed = threads * ((per_thread + 2) / 3);
  EXPECT_EQ(m.sessions().size() + m.session_objects().size(), threads * per_thread - removed);
}

}  // namespace
}  // namespace optiga::pkcs11
