package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {
  private static TollgateConfig load(String... keyValues) {
    Map<String, String> props = new HashMap<>();
    props.put("tollgate.wallet", "redis");
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of()));
  }

  @Test
  void defaults_localRedis_walletDefault_fivePercentLease_thirtySecondTtl_oneSecondRefresh() {
    TollgateConfig c = load("tollgate.budget", "20");
    assertThat(c.redis.where()).isEqualTo("redis://127.0.0.1:6379/0");
    assertThat(c.redis.name).isEqualTo("default");
    assertThat(c.redis.leaseNanos).isEqualTo(1_000_000_000L);
    assertThat(c.redis.leaseTtl).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.balanceRefresh).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.source).isNull();
  }

  @Test
  void url_withUserPasswordTlsAndDatabase_isParsed_andNeverShown() {
    TollgateConfig c = load("tollgate.redis.url", "rediss://app:p%40ss-Word@redis.example.com:6380/3", "tollgate.redis.lease", "0.5");
    assertThat(c.redis.tls).isTrue();
    assertThat(c.redis.user).isEqualTo("app");
    assertThat(c.redis.password).isEqualTo("p@ss-Word");
    assertThat(c.redis.database).isEqualTo(3);
    assertThat(c.redis.leaseNanos).isEqualTo(500_000_000L);
    assertThat(c.redis.toString()).isEqualTo("redis rediss://redis.example.com:6380/3 wallet default (password set)");
  }

  @Test
  void key_winsOverTheUrlsPassword() {
    TollgateConfig c = load("tollgate.redis.url", "redis://:old@127.0.0.1", "tollgate.redis.key", "new", "tollgate.redis.lease", "1");
    assertThat(c.redis.password).isEqualTo("new");
  }

  @Test
  void environment_TOLLGATE_REDIS_KEY_and_LEASE_TTL_reachTheRedisKeys() {
    TollgateConfig c = TollgateConfig.load(ConfigSource.of(Map.of(), Map.of(), Map.of("TOLLGATE_WALLET", "redis",
        "TOLLGATE_REDIS_KEY", "from-env", "TOLLGATE_REDIS_LEASE_TTL", "9s", "TOLLGATE_REDIS_LEASE", "2")));
    assertThat(c.redis.password).isEqualTo("from-env");
    assertThat(c.redis.leaseTtl).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void invalidValues_nameTheKey_andNeverThePassword() {
    assertThatThrownBy(() -> load("tollgate.redis.url", "redis://u:hunter2-Secret@host:port/x", "tollgate.redis.lease", "1"))
        .hasMessageStartingWith("invalid configuration tollgate.redis.url=redis://…@host:port/x: redis://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> load("tollgate.redis.url", "http://127.0.0.1:6379", "tollgate.redis.lease", "1"))
        .hasMessageContaining("tollgate.redis.url=http://127.0.0.1:6379");
    assertThatThrownBy(() -> load("tollgate.redis.url", "redis://:pw-Secret@127.0.0.1:6379/db", "tollgate.redis.lease", "1"))
        .hasMessageContaining("a database number").hasMessageNotContaining("pw-Secret");
    assertThatThrownBy(() -> load("tollgate.redis.name", "a{b}", "tollgate.redis.lease", "1"))
        .hasMessageContaining("tollgate.redis.name=a{b}");
    assertThatThrownBy(() -> load("tollgate.redis.lease", "0")).hasMessageContaining("tollgate.redis.lease=0");
    assertThatThrownBy(() -> load("tollgate.redis.lease", "5%")).hasMessageContaining("without tollgate.budget");
    assertThat(load().redis.leaseNanos).as("no budget, no lease: leased per call").isZero();
    assertThatThrownBy(() -> load("tollgate.redis.lease", "1", "tollgate.redis.lease-ttl", "1s"))
        .hasMessageContaining("tollgate.redis.lease-ttl=1s: a duration at least twice tollgate.balance-refresh");
    assertThatThrownBy(() -> load("tollgate.budget", "10000000")).hasMessageContaining("at most 9007199 credits");
    assertThatThrownBy(() -> load("tollgate.redis.lease", "1", "tollgate.redis.pasword", "x"))
        .hasMessageContaining("tollgate.redis.pasword=x").hasMessageContaining("tollgate.redis.url, .key");
    assertThatThrownBy(() -> load("tollgate.redis.lease", "1", "tollgate.redis.api-key", "s3cret"))
        .hasMessageContaining("(hidden)").hasMessageNotContaining("s3cret");
  }
}
