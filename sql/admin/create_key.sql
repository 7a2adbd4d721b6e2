-- create_key.sql - makes a new API key for a user and shows it ONCE: only
-- its SHA-256 and its first 13 characters are stored.
-- in:  @user (the user's name, required), @key_name (optional label)
-- out: one row: api_key (NULL when no live user has that name)
-- usage: { echo "SET @user = 'alice';"; cat sql/admin/create_key.sql; } | mariadb sopm
-- A key is "sopm_" and 48 hex digits (192 random bits, RANDOM_BYTES:
-- MariaDB 10.10 and later).
-- (inputs in the table's collation, whatever the client's)
SET @user = CONVERT(@user USING utf8mb4) COLLATE utf8mb4_unicode_ci;
SET @key_name = CONVERT(@key_name USING utf8mb4) COLLATE utf8mb4_unicode_ci;
SET @sopm_key = CONCAT('sopm_', LOWER(HEX(RANDOM_BYTES(24))));
INSERT INTO api_keys (user_id, name, prefix, key_sha256)
SELECT id, COALESCE(@key_name, ''), LEFT(@sopm_key, 13), SHA2(@sopm_key, 256)
FROM users WHERE name = @user AND disabled_at IS NULL;
SELECT IF(ROW_COUNT() = 1, @sopm_key, NULL) AS api_key;
SET @sopm_key = NULL;
