-- 002_registry.sql - the registry: users, API keys, quotas, user functions,
-- their versions, and the execution audit.
--
-- Conventions: ids are BIGINT UNSIGNED AUTO_INCREMENT; times are
-- TIMESTAMP(3) in UTC (the pool's sessions run with time_zone '+00:00');
-- utf8mb4 throughout. A flag that an administrator sets by hand is a
-- nullable time (disabled_at, revoked_at): NULL is "no", and the time says
-- when. Administration is plain SQL: see docs/admin.md and sql/admin/.

CREATE TABLE users (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name        VARCHAR(64)     NOT NULL,
    email       VARCHAR(254)    NULL,
    is_admin    BOOLEAN         NOT NULL DEFAULT FALSE,
    disabled_at TIMESTAMP(3)    NULL,
    created_at  TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at  TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                                ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY users_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Only the SHA-256 of a key is stored (hex), with its first 13 characters
-- ("sopm_" and 8 hex digits) to find it and to show it to people. The pool
-- looks a key up by prefix and compares the hash in constant time.
CREATE TABLE api_keys (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id      BIGINT UNSIGNED NOT NULL,
    name         VARCHAR(64)     NOT NULL DEFAULT '',
    prefix       CHAR(13)        CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    key_sha256   CHAR(64)        CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at   TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    last_used_at TIMESTAMP(3)    NULL,
    revoked_at   TIMESTAMP(3)    NULL,
    PRIMARY KEY (id),
    UNIQUE KEY api_keys_sha256 (key_sha256),
    KEY api_keys_prefix (prefix),
    KEY api_keys_user (user_id),
    CONSTRAINT api_keys_user FOREIGN KEY (user_id) REFERENCES users (id)
        ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Per-user overrides of the quota.* defaults of sopm.conf. NULL: the default.
CREATE TABLE quotas (
    user_id         BIGINT UNSIGNED NOT NULL,
    rate_per_s      DOUBLE          NULL CHECK (rate_per_s IS NULL OR rate_per_s >= 0),
    burst           INT UNSIGNED    NULL,
    max_concurrency INT UNSIGNED    NULL,
    max_functions   INT UNSIGNED    NULL,
    updated_at      TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (user_id),
    CONSTRAINT quotas_user FOREIGN KEY (user_id) REFERENCES users (id)
        ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A user function. Its runtime, handler, limits, env and description are the
-- latest upload's; each version keeps its own code (function_versions).
-- Deleting is soft (deleted_at): live_name is NULL once deleted, so the
-- name is unique among a user's live functions only and can be used again.
CREATE TABLE functions (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id     BIGINT UNSIGNED NOT NULL,
    name        VARCHAR(63)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    runtime     ENUM('python3', 'node', 'c') NOT NULL,
    handler     VARCHAR(128)    NOT NULL,
    description VARCHAR(1024)   NOT NULL DEFAULT '',
    memory_mb   INT UNSIGNED    NOT NULL DEFAULT 128,
    timeout_ms  INT UNSIGNED    NOT NULL DEFAULT 5000,
    env         JSON            NOT NULL DEFAULT '{}' CHECK (JSON_VALID(env)),
    version     INT UNSIGNED    NOT NULL DEFAULT 0,
    enabled     BOOLEAN         NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at  TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                                ON UPDATE CURRENT_TIMESTAMP(3),
    deleted_at  TIMESTAMP(3)    NULL,
    live_name   VARCHAR(63)     CHARACTER SET ascii COLLATE ascii_bin
                AS (IF(deleted_at IS NULL, name, NULL)) PERSISTENT,
    PRIMARY KEY (id),
    UNIQUE KEY functions_live_name (user_id, live_name),
    KEY functions_user (user_id, deleted_at),
    CONSTRAINT functions_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One uploaded version: its code and files (a JSON object path -> text),
-- the SHA-256 of both (over code, then each file's path and text in path
-- order; see fcgi/registry_upload.c), and its build. build_job_id is the
-- queued build job, so a version left pending with no live job is queued
-- again. build_log keeps the last 64 KiB.
CREATE TABLE function_versions (
    id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    function_id       BIGINT UNSIGNED NOT NULL,
    version           INT UNSIGNED    NOT NULL,
    runtime           ENUM('python3', 'node', 'c') NOT NULL,
    handler           VARCHAR(128)    NOT NULL,
    code              MEDIUMTEXT      NOT NULL,
    files             JSON            NOT NULL DEFAULT '{}' CHECK (JSON_VALID(files)),
    code_sha256       CHAR(64)        CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    size_bytes        INT UNSIGNED    NOT NULL,
    status            ENUM('pending', 'building', 'ready', 'failed') NOT NULL DEFAULT 'pending',
    build_job_id      CHAR(32)        CHARACTER SET ascii COLLATE ascii_bin NULL,
    image             VARCHAR(512)    NULL,
    digest            VARCHAR(100)    CHARACTER SET ascii COLLATE ascii_bin NULL,
    build_log         MEDIUMTEXT      NULL,
    build_started_at  TIMESTAMP(3)    NULL,
    build_finished_at TIMESTAMP(3)    NULL,
    build_duration_ms INT UNSIGNED    NULL,
    created_at        TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at        TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                                      ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY function_versions_number (function_id, version),
    KEY function_versions_status (status),
    CONSTRAINT function_versions_function FOREIGN KEY (function_id)
        REFERENCES functions (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row per execution of a user function (sync or async).
CREATE TABLE executions (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    job_id      CHAR(32)        CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id     BIGINT UNSIGNED NOT NULL,
    function_id BIGINT UNSIGNED NOT NULL,
    version     INT UNSIGNED    NOT NULL,
    status      ENUM('completed', 'failed', 'timeout', 'rejected') NOT NULL,
    error_code  VARCHAR(32)     NULL,
    duration_us BIGINT UNSIGNED NULL,
    cold_start  BOOLEAN         NULL,
    created_at  TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    KEY executions_job (job_id),
    KEY executions_user_day (user_id, created_at),
    KEY executions_function (function_id, created_at),
    CONSTRAINT executions_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT executions_function FOREIGN KEY (function_id)
        REFERENCES functions (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- ---- views for administrators (docs/admin.md) ----

-- Every function with its owner and its latest version's build.
CREATE VIEW admin_functions AS
SELECT f.id, u.name AS owner, f.user_id, f.name, f.runtime, f.version,
       v.status AS build_status, v.image, v.digest, v.build_finished_at,
       f.enabled, f.memory_mb, f.timeout_ms, f.created_at, f.updated_at,
       f.deleted_at
FROM functions f
JOIN users u ON u.id = f.user_id
LEFT JOIN function_versions v ON v.function_id = f.id AND v.version = f.version;

-- Executions per user and UTC day.
CREATE VIEW admin_usage_daily AS
SELECT u.id AS user_id, u.name AS user_name, DATE(e.created_at) AS day,
       COUNT(*) AS executions,
       SUM(e.status <> 'completed') AS errors,
       SUM(e.cold_start = TRUE) AS cold_starts,
       CAST(AVG(e.duration_us) AS UNSIGNED) AS avg_duration_us,
       SUM(e.duration_us) AS total_duration_us
FROM executions e
JOIN users u ON u.id = e.user_id
GROUP BY u.id, u.name, DATE(e.created_at);

-- Each user with their live key count, live function count and quota
-- overrides (NULL: the quota.* default of sopm.conf).
CREATE VIEW admin_users AS
SELECT u.id, u.name, u.email, u.is_admin, u.disabled_at,
       (SELECT COUNT(*) FROM api_keys k
         WHERE k.user_id = u.id AND k.revoked_at IS NULL) AS live_keys,
       (SELECT COUNT(*) FROM functions f
         WHERE f.user_id = u.id AND f.deleted_at IS NULL) AS functions,
       q.rate_per_s, q.burst, q.max_concurrency, q.max_functions,
       u.created_at
FROM users u
LEFT JOIN quotas q ON q.user_id = u.id;
