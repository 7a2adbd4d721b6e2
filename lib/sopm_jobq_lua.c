/* sopm_jobq_lua.c - the Lua scripts of the job queue: every change of a
 * job's state is one script, so it is atomic in Redis. A status is final
 * when it is completed, failed or timeout. */
#include "sopm_jobq_int.h"

#define FINAL(st)                                                              \
	"(" st " == 'completed' or " st " == 'failed' or " st " == 'timeout')"

/* KEYS: job, queue. ARGV: ttl, id, then field/value pairs. */
const char jobq_lua_submit[] = "redis.call('HSET', KEYS[1], unpack(ARGV, 3))\n"
                               "redis.call('EXPIRE', KEYS[1], ARGV[1])\n"
                               "redis.call('LPUSH', KEYS[2], ARGV[2])\n"
                               "return 1";

/* KEYS: job, processing, deadlines. ARGV: id, started_at, pid, owner,
 * deadline (ms), now (ms), cold-start margin (ms). A job with its own
 * timeout_ms gets the deadline now + timeout_ms + margin instead. Returns
 * {function, input, attempt, timeout_ms (0: none)}, or nil (and lets the id
 * go) when the job is gone or has ended. */
const char jobq_lua_start[] =
    "local st = redis.call('HGET', KEYS[1], 'status')\n"
    "if not st or " FINAL(
        "st") " then\n"
              "  redis.call('LREM', KEYS[2], 1, ARGV[1]) return nil end\n"
              "local a = redis.call('HINCRBY', KEYS[1], 'attempts', 1)\n"
              "redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', "
              "ARGV[2], 'worker', ARGV[3], 'owner', ARGV[4])\n"
              "local t = tonumber(redis.call('HGET', KEYS[1], 'timeout_ms') or "
              "'')\n"
              "local deadline = ARGV[5]\n"
              "if t and t > 0 then\n"
              "  deadline = string.format('%d', tonumber(ARGV[6]) + t + "
              "tonumber(ARGV[7]))\n"
              "else t = 0 end\n"
              "redis.call('ZADD', KEYS[3], deadline, ARGV[1])\n"
              "return {redis.call('HGET', KEYS[1], 'function'), "
              "redis.call('HGET', KEYS[1], 'input'), a, t}";

/* KEYS: job, processing, deadlines, done. ARGV: id, ttl, attempt, then
 * field/value pairs. Records only while the record has this attempt and no
 * final status (the fence); lets the id go either way. A recorded end
 * wakes a waiter (sopm_jobq_wait). */
const char jobq_lua_finish[] =
    "redis.call('LREM', KEYS[2], 1, ARGV[1])\n"
    "local st = redis.call('HGET', KEYS[1], 'status')\n"
    "if not st then return 'gone' end\n"
    "if " FINAL("st") " or redis.call('HGET', KEYS[1], 'attempts') ~= "
                      "ARGV[3] then return 'stale' end\n"
                      "redis.call('HSET', KEYS[1], unpack(ARGV, 4))\n"
                      "redis.call('EXPIRE', KEYS[1], ARGV[2])\n"
                      "redis.call('ZREM', KEYS[3], ARGV[1])\n"
                      "redis.call('RPUSH', KEYS[4], 1)\n"
                      "redis.call('EXPIRE', KEYS[4], ARGV[2])\n"
                      "return 'recorded'";

/* KEYS: job, our processing, queue, deadlines, done. ARGV: id,
 * max_attempts, finished_at, error JSON, ttl. Takes back one id from our
 * list (where a dead owner's ids are moved first): requeued, or failed (and
 * a waiter woken) when its attempts are used. */
const char jobq_lua_recover[] =
    "redis.call('LREM', KEYS[2], 1, ARGV[1])\n"
    "local st = redis.call('HGET', KEYS[1], 'status')\n"
    "if not st or " FINAL(
        "st") " then return 'done' end\n"
              "redis.call('ZREM', KEYS[4], ARGV[1])\n"
              "local a = tonumber(redis.call('HGET', KEYS[1], 'attempts') or "
              "'0')\n"
              "if a >= tonumber(ARGV[2]) then\n"
              "  redis.call('HSET', KEYS[1], 'status', 'failed', "
              "'finished_at', "
              "ARGV[3], 'error', ARGV[4])\n"
              "  redis.call('EXPIRE', KEYS[1], ARGV[5])\n"
              "  redis.call('RPUSH', KEYS[5], 1)\n"
              "  redis.call('EXPIRE', KEYS[5], ARGV[5])\n"
              "  return 'failed'\n"
              "end\n"
              "redis.call('HSET', KEYS[1], 'status', 'queued')\n"
              "redis.call('RPUSH', KEYS[3], ARGV[1])\n"
              "return 'requeued'";

/* KEYS: deadlines. ARGV: now (ms), limit, job key prefix, processing key
 * prefix, finished_at, error JSON, ttl. Marks timeout every running job
 * whose deadline has passed, and lets it go from its owner's list (the
 * owner is in the record, so that key is built here: one Redis, not a
 * cluster), and wakes its waiter (<job key>:done). Returns how many it
 * timed out. */
const char jobq_lua_deadlines[] =
    "local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], "
    "'LIMIT', 0, ARGV[2])\n"
    "local n = 0\n"
    "for _, id in ipairs(ids) do\n"
    "  redis.call('ZREM', KEYS[1], id)\n"
    "  local job = ARGV[3] .. id\n"
    "  if redis.call('HGET', job, 'status') == 'running' then\n"
    "    local owner = redis.call('HGET', job, 'owner')\n"
    "    if owner then redis.call('LREM', ARGV[4] .. owner, 1, id) end\n"
    "    redis.call('HSET', job, 'status', 'timeout', 'finished_at', "
    "ARGV[5], 'error', ARGV[6])\n"
    "    redis.call('EXPIRE', job, ARGV[7])\n"
    "    redis.call('RPUSH', job .. ':done', 1)\n"
    "    redis.call('EXPIRE', job .. ':done', ARGV[7])\n"
    "    n = n + 1\n"
    "  end\n"
    "end\n"
    "return n";

/* KEYS: heartbeat, owners. ARGV: pid, ttl (ms), owner. */
const char jobq_lua_heartbeat[] =
    "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])\n"
    "redis.call('SADD', KEYS[2], ARGV[3])\n"
    "return 1";

/* KEYS: heartbeat, owners, processing. ARGV: owner. The owner leaves the
 * set only with an empty list, so no id is ever orphaned. */
const char jobq_lua_leave[] = "redis.call('DEL', KEYS[1])\n"
                              "if redis.call('LLEN', KEYS[3]) == 0 then\n"
                              "  redis.call('SREM', KEYS[2], ARGV[1]) end\n"
                              "return 1";
