#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <future>

#include "auth/container_credentials_provider.h"
#include "auth/refreshing_credentials_provider.h"
#include "fake_http_server.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::system_clock;
using testing::TestEpoch;

constexpr milliseconds kWait{10000};  // a bound for waits that normally end at once

class FakeClock {
 public:
  system_clock::time_point Now() const {
    return system_clock::time_point(system_clock::duration(ticks_.load()));
  }
  void Set(system_clock::time_point t) { ticks_ = t.time_since_epoch().count(); }
  RefreshingCredentialsProvider::Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  std::atomic<system_clock::rep> ticks_{TestEpoch().time_since_epoch().count()};
};

// A source that answers from a script, and can be held inside Fetch until released.
class ScriptedSource : public CredentialsProvider {
 public:
  void Push(Result<Credentials> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_.push_back(std::move(answer));
  }
  void Hold() { held_ = std::make_shared<std::promise<void>>(); }
  void Release() { held_->set_value(); }
  // Resolves when a held Fetch has started.
  std::future<void> Entered() { return entered_.get_future(); }

  Result<Credentials> Fetch() override {
    if (auto held = held_) {
      entered_.set_value();
      held->get_future().wait();
      held_.reset();
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (answers_.empty()) return Status::NotFound("script is empty");
    Result<Credentials> answer = std::move(answers_.front());
    answers_.pop_front();
    return answer;
  }
  std::string_view name() const override { return "scripted"; }

 private:
  std::mutex mu_;
  std::deque<Result<Credentials>> answers_;
  std::shared_ptr<std::promise<void>> held_;
  std::promise<void> entered_;
};

Credentials Temporary(const std::string& id, system_clock::time_point expiration) {
  return {id, "secret-of-" + id, "token-of-" + id, expiration};
}

struct Fixture {
  FakeClock clock;
  ScriptedSource* source = nullptr;
  std::unique_ptr<RefreshingCredentialsProvider> provider;

  // `prepare` scripts the source before the thread starts.
  template <typename Prepare>
  explicit Fixture(Prepare prepare) {
    auto owned = std::make_unique<ScriptedSource>();
    source = owned.get();
    prepare(*source);
    RefreshingCredentialsProvider::Options options;
    options.clock = clock.AsClock();
    options.min_retry = std::chrono::seconds(1);
    options.max_retry = std::chrono::seconds(8);
    provider = std::make_unique<RefreshingCredentialsProvider>(std::move(owned), options);
  }
};

TEST(RefreshingProviderTest, RefreshesFiveMinutesBeforeExpiry) {
  Fixture f([](ScriptedSource& s) {
    s.Push(Temporary("KEY1", TestEpoch() + hours(1)));
    s.Push(Temporary("KEY2", TestEpoch() + hours(2)));
  });
  ASSERT_TRUE(f.provider->WaitUntilReady(kWait).ok());
  EXPECT_EQ((*f.provider->Current())->access_key_id, "KEY1");
  EXPECT_EQ(f.provider->next_refresh(), TestEpoch() + minutes(55));

  f.clock.Set(TestEpoch() + minutes(56));
  f.provider->Wake();
  ASSERT_TRUE(f.provider->WaitForFetches(2, kWait));
  EXPECT_EQ((*f.provider->Current())->access_key_id, "KEY2");
  EXPECT_EQ(f.provider->next_refresh(), TestEpoch() + hours(2) - minutes(5));
}

TEST(RefreshingProviderTest, ShortLivedCredentialsAreAskedForAgainAfterHalfTheirLife) {
  Fixture f([](ScriptedSource& s) {
    s.Push(Temporary("SHORT", TestEpoch() + std::chrono::seconds(4)));
    s.Push(Temporary("SHORT2", TestEpoch() + minutes(4)));
  });
  ASSERT_TRUE(f.provider->WaitUntilReady(kWait).ok());
  EXPECT_EQ((*f.provider->Current())->access_key_id, "SHORT");  // used although short-lived
  EXPECT_EQ(f.provider->next_refresh(), TestEpoch() + std::chrono::seconds(2));
  f.clock.Set(TestEpoch() + std::chrono::seconds(2));
  f.provider->Wake();
  ASSERT_TRUE(f.provider->WaitForFetches(2, kWait));
  // Two minutes of half-life, capped by max_retry (8 s in this fixture).
  EXPECT_EQ(f.provider->next_refresh(), TestEpoch() + std::chrono::seconds(10));
}

TEST(RefreshingProviderTest, CurrentDoesNotWaitForARefreshInProgress) {
  Fixture f([](ScriptedSource& s) {
    s.Push(Temporary("KEY1", TestEpoch() + hours(1)));
    s.Push(Temporary("KEY2", TestEpoch() + hours(2)));
  });
  ASSERT_TRUE(f.provider->WaitUntilReady(kWait).ok());
  f.source->Hold();
  auto entered = f.source->Entered();
  f.provider->RefreshNow();
  entered.wait();  // the refresh thread is now blocked inside Fetch
  auto during = f.provider->Current();
  ASSERT_TRUE(during.ok());
  EXPECT_EQ((*during)->access_key_id, "KEY1");
  f.source->Release();
  ASSERT_TRUE(f.provider->WaitForFetches(2, kWait));
  EXPECT_EQ((*f.provider->Current())->access_key_id, "KEY2");
}

TEST(RefreshingProviderTest, BeforeTheFirstFetchCurrentFailsAtOnce) {
  Fixture f([](ScriptedSource& s) {
    s.Hold();
    s.Push(Temporary("KEY1", TestEpoch() + hours(1)));
  });
  auto entered = f.source->Entered();
  entered.wait();
  auto none = f.provider->Current();
  EXPECT_EQ(none.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(none.status().message().find("in progress"), std::string::npos);
  f.source->Release();
  EXPECT_TRUE(f.provider->WaitUntilReady(kWait).ok());
}

TEST(RefreshingProviderTest, FailuresAreRetriedWithBackoff) {
  Fixture f([](ScriptedSource& s) {
    s.Push(Status::Unavailable("metadata endpoint down"));
    s.Push(Status::Unavailable("metadata endpoint still down"));
    s.Push(Temporary("KEY1", TestEpoch() + hours(1)));
  });
  EXPECT_EQ(f.provider->WaitUntilReady(kWait).code(), StatusCode::kUnavailable);
  auto failed = f.provider->Current();
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(failed.status().message().find("metadata endpoint down"), std::string::npos);
  EXPECT_EQ(f.provider->next_refresh(), TestEpoch() + std::chrono::seconds(1));

  f.clock.Set(TestEpoch() + std::chrono::seconds(1));
  f.provider->Wake();
  ASSERT_TRUE(f.provider->WaitForFetches(2, kWait));
  EXPECT_EQ(f.provider->next_refresh(), TestEpoch() + std::chrono::seconds(3));  // doubled

  f.clock.Set(TestEpoch() + std::chrono::seconds(3));
  f.provider->Wake();
  ASSERT_TRUE(f.provider->WaitForFetches(3, kWait));
  EXPECT_EQ((*f.provider->Current())->access_key_id, "KEY1");
}

TEST(RefreshingProviderTest, ExpiredCredentialsAreNotServed) {
  Fixture f([](ScriptedSource& s) {
    s.Push(Temporary("KEY1", TestEpoch() + hours(1)));
    s.Push(Status::Unavailable("sts unreachable"));
  });
  ASSERT_TRUE(f.provider->WaitUntilReady(kWait).ok());
  f.clock.Set(TestEpoch() + hours(1));
  f.provider->Wake();
  ASSERT_TRUE(f.provider->WaitForFetches(2, kWait));
  auto expired = f.provider->Current();
  EXPECT_EQ(expired.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
  EXPECT_NE(expired.status().message().find("sts unreachable"), std::string::npos);
}

TEST(RefreshingProviderTest, MissingCredentialsArePermissionDenied) {
  Fixture f([](ScriptedSource&) {});
  EXPECT_EQ(f.provider->WaitUntilReady(kWait).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(f.provider->Current().status().code(), StatusCode::kPermissionDenied);
}

TEST(RefreshingProviderTest, LongLivedKeysAreFetchedOnceUntilRefreshNow) {
  Fixture f([](ScriptedSource& s) {
    s.Push(Credentials{"STATIC1", "s", "", std::nullopt});
    s.Push(Credentials{"STATIC2", "s", "", std::nullopt});
  });
  ASSERT_TRUE(f.provider->WaitUntilReady(kWait).ok());
  EXPECT_EQ(f.provider->next_refresh(), system_clock::time_point::max());
  f.provider->RefreshNow();
  ASSERT_TRUE(f.provider->WaitForFetches(2, kWait));
  EXPECT_EQ((*f.provider->Current())->access_key_id, "STATIC2");
}

TEST(RefreshingProviderTest, ManyReadersDuringRefreshes) {
  Fixture f([](ScriptedSource& s) {
    for (int i = 0; i < 50; ++i)
      s.Push(Temporary("KEY" + std::to_string(i), TestEpoch() + hours(1)));
  });
  ASSERT_TRUE(f.provider->WaitUntilReady(kWait).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        auto current = f.provider->Current();
        if (!current.ok() || (*current)->access_key_id.rfind("KEY", 0) != 0) ++failures;
      }
    });
  }
  for (uint64_t n = 2; n <= 20; ++n) {
    f.provider->RefreshNow();
    ASSERT_TRUE(f.provider->WaitForFetches(n, kWait));
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(RefreshingProviderTest, ContainerCredentialsAreRefreshedFromTheServer) {
  std::atomic<int> served{0};
  testing::FakeHttpServer server([&served](const testing::FakeRequest&) {
    int n = ++served;
    testing::FakeResponse response;
    response.body =
        testing::MetadataDocument("ASIA" + std::to_string(n), "s", "t", TestEpoch() + hours(n));
    return response;
  });
  ContainerCredentialsProvider::Options container;
  container.relative_uri_host = server.url();
  FakeClock clock;
  RefreshingCredentialsProvider::Options options;
  options.clock = clock.AsClock();
  RefreshingCredentialsProvider provider(
      std::make_unique<ContainerCredentialsProvider>(
          MapEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"}}),
          DefaultHttpFetcher(), container),
      options);
  ASSERT_TRUE(provider.WaitUntilReady(kWait).ok());
  EXPECT_EQ((*provider.Current())->access_key_id, "ASIA1");
  clock.Set(TestEpoch() + minutes(58));
  provider.Wake();
  ASSERT_TRUE(provider.WaitForFetches(2, kWait));
  EXPECT_EQ((*provider.Current())->access_key_id, "ASIA2");
  EXPECT_EQ(server.requests().size(), 2u);
}

}  // namespace
}  // namespace kinesis::auth
