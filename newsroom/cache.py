"""Django's Redis cache backend, without building a client for every operation
nor checking every key against memcached's limits, and answering as an empty
cache while Redis does not answer.

``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for each get or set;
its constructor fills a table of some 170 response callbacks, about 150 µs of
Python, which was a third of the time a cached page took to serve. A client is
thread-safe and only wraps the connection pool, so one per pool does.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as Unreachable
from redis.exceptions import TimeoutError as Unanswered

log = logging.getLogger(__name__)
# While Redis is down each operation answers at once, as an empty cache would,
# for this long after a failure; then Redis is tried again.
RETRY_AFTER = 1.0


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key):
        """Redis takes any key. Django warns of those memcached would refuse: a
        check per key that took a fifth of the time a kept page took to serve
        (it reads the versions of some forty keys, see articles/freshness/pages.py)."""


def _as_if_empty(name: str, answer):
    """``name`` of the backend, answering ``answer(args, kwargs)`` while Redis
    does not: pages are made afresh, and not kept, rather than failing."""
    method = getattr(DjangoRedisCache, name)

    @functools.wraps(method)
    def operation(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return answer(args, kwargs)
        try:
            return method(self, *args, **kwargs)
        except (Unreachable, Unanswered) as error:
            log.warning("cache unavailable, pages made uncached: %s", error)
            self._down_until = time.monotonic() + RETRY_AFTER
            return answer(args, kwargs)

    return operation


RedisCache._down_until = 0.0
for _name, _answer in {
    "get": lambda args, kwargs: args[1] if len(args) > 1 else kwargs.get("default"),
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "set": lambda args, kwargs: None,
    "set_many": lambda args, kwargs: [],
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "delete_many": lambda args, kwargs: None,
    "incr": lambda args, kwargs: 0,
    "clear": lambda args, kwargs: None,
}.items():
    setattr(RedisCache, _name, _as_if_empty(_name, _answer))
