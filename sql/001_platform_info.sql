-- 001_platform_info.sql - first migration: a small key/value table about the
-- platform itself. The registry tables (users, keys, functions, versions,
-- builds) come in later migrations.
--
-- Applied by scripts/migrate.sh, which records it in schema_migrations.

CREATE TABLE IF NOT EXISTS platform_info (
    name       VARCHAR(64)  NOT NULL,
    value      VARCHAR(255) NULL,
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                            ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO platform_info (name, value) VALUES ('schema', 'sopm')
    ON DUPLICATE KEY UPDATE value = VALUES(value);
